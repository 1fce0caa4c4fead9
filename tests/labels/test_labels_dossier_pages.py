import hashlib
import io

import pypdfium2 as pdfium
import pytest
import qrcode
from PIL import Image, ImageOps

from labels.dossier_pages import PhotoRefused, write_dossier_pdf
from tests.labels.pdf_reading import decoded

A4_PT = (595.276, 841.89)  # 210 x 297 mm


def photo(kind: str, size: tuple[int, int], colour: object = "red", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if kind == "PNG" else "RGB", size, colour).save(out, kind, **save)
    return out.getvalue()


def three_photos() -> list[bytes]:
    return [photo("JPEG", (300, 400), "red"), photo("PNG", (300, 400), (0, 0, 255, 255)),
            photo("JPEG", (800, 600), "green")]


def written(photos: list[bytes], title: str = "RR287043775VN") -> tuple[bytes, object]:
    out = io.BytesIO()
    result = write_dossier_pdf(photos, out, title=title)
    return out.getvalue(), result


def pages(pdf: bytes) -> list[pdfium.PdfPage]:
    return list(pdfium.PdfDocument(pdf))


def centre_colour(pdf: bytes, index: int) -> tuple[int, ...]:
    image = pages(pdf)[index].render(scale=0.25).to_pil().convert("RGB")
    return image.getpixel((image.width // 2, image.height // 2))


def near(colour: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def test_it_makes_one_page_per_photo():
    pdf, result = written(three_photos())
    assert len(pages(pdf)) == 3 and result.page_count == 3


def test_it_sizes_each_page_to_a4_turned_like_the_photo():
    pdf, _ = written(three_photos())
    sizes = [tuple(round(v) for v in page.get_size()) for page in pages(pdf)]
    portrait = (round(A4_PT[0]), round(A4_PT[1]))
    assert sizes == [portrait, portrait, portrait[::-1]]


def test_it_keeps_the_photos_in_order_with_their_colours():
    pdf, _ = written(three_photos())
    colours = [centre_colour(pdf, i) for i in range(3)]
    assert [near(c, e) for c, e in zip(colours, [(254, 0, 0), (0, 0, 255), (0, 128, 0)],
                                       strict=True)] == [True, True, True]


def test_it_embeds_a_jpeg_byte_for_byte():
    jpeg = photo("JPEG", (640, 480), "orange")
    pdf, _ = written([jpeg])
    assert jpeg in pdf and b"/DCTDecode" in pdf


def test_it_fits_the_photo_inside_the_page_keeping_its_shape():
    pdf, _ = written([photo("JPEG", (800, 200), "green")])  # 4:1 on a 297 x 210 mm page
    image = pages(pdf)[0].render(scale=0.25).to_pil().convert("RGB")
    column = [near(image.getpixel((image.width // 2, y)), (0, 128, 0)) for y in
              range(image.height)]
    assert abs(sum(column) / image.height - (297 / 4) / 210) < 0.02


def test_it_returns_the_sha256_of_each_photo_as_given():
    photos = three_photos()
    _, result = written(photos)
    assert result.page_sha256 == tuple(hashlib.sha256(p).hexdigest() for p in photos)


def test_it_returns_the_sha256_and_size_of_what_it_wrote():
    pdf, result = written(three_photos())
    assert (result.sha256, result.size) == (hashlib.sha256(pdf).hexdigest(), len(pdf))


def test_it_sets_the_title_to_the_tracking_number():
    pdf, _ = written(three_photos(), title="RR287043775VN")
    assert pdfium.PdfDocument(pdf).get_metadata_dict()["Title"] == "RR287043775VN"


def test_it_keeps_a_qr_code_in_a_photo_readable():
    page = Image.new("RGB", (1200, 1600), "white")
    page.paste(qrcode.make("https://ketqua.example.gov.vn/t/abc123", box_size=8).get_image()
               .convert("RGB"), (300, 300))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    pdf, _ = written([out.getvalue()])
    rendered = pages(pdf)[0].render(scale=150 / 72).to_pil().convert("L")
    assert decoded(rendered) == [("QRCode", "https://ketqua.example.gov.vn/t/abc123")]


def quadrants_with_orientation(orientation: int) -> bytes:
    """A 594 x 420 photo (A4's shape) in four colours, tagged with an EXIF orientation."""
    stored = Image.new("RGB", (594, 420), (255, 0, 0))
    for box, colour in (((297, 0, 594, 210), (0, 0, 255)), ((0, 210, 297, 420), (0, 160, 0)),
                        ((297, 210, 594, 420), (255, 255, 0))):
        stored.paste(colour, box)
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def corner_colours(image: Image.Image) -> list[tuple[int, ...]]:
    image = image.convert("RGB")
    return [image.getpixel((round(image.width * x), round(image.height * y)))
            for x, y in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))]


def test_it_turns_photos_the_phone_tagged_as_pillow_turns_them():
    photos = [quadrants_with_orientation(n) for n in range(1, 9)]
    pdf, _ = written(photos)
    for index, data in enumerate(photos):
        upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        rendered = pages(pdf)[index].render(scale=0.5).to_pil()
        assert all(near(got, want) for got, want in zip(
            corner_colours(rendered), corner_colours(upright), strict=True)), index + 1


def test_it_converts_a_webp_photo():
    pdf, _ = written([photo("WEBP", (300, 400), "red")])
    assert near(centre_colour(pdf, 0), (254, 0, 0))


def test_it_refuses_a_file_that_is_not_an_image_naming_its_page():
    with pytest.raises(PhotoRefused, match="Trang 2 không phải ảnh.*page 2 is not"):
        written([photo("JPEG", (30, 40)), b"%PDF-1.7 not a photo"])


def test_it_refuses_a_dossier_without_pages_before_writing_anything():
    out = io.BytesIO()
    with pytest.raises(ValueError, match="no pages"):
        write_dossier_pdf(iter([]), out)
    assert out.getvalue() == b""


def test_it_refuses_a_jpeg_cut_before_its_frame_header():
    jpeg = photo("JPEG", (300, 400))
    sof = jpeg.index(b"\xff\xc0")
    with pytest.raises(PhotoRefused, match="page 1's photo is cut short") as refused:
        written([jpeg[:sof + 3]])
    assert refused.value.page == 1


def test_it_refuses_a_jpeg_cut_in_the_middle_of_its_pixels():
    jpeg = photo("JPEG", (300, 400), "purple")
    with pytest.raises(PhotoRefused, match="cut short"):
        written([jpeg[:len(jpeg) * 2 // 3]])


def test_it_refuses_a_png_cut_short():
    png = photo("PNG", (300, 400), (0, 0, 255, 255))
    with pytest.raises(PhotoRefused, match="Ảnh trang 1 bị thiếu dữ liệu"):
        written([png[:len(png) // 2]])


def test_it_reads_the_photos_one_at_a_time():
    seen = []

    def photos():
        for number, data in enumerate(three_photos(), start=1):
            seen.append(number)
            yield data

    out = io.BytesIO()
    chunks_before = []
    original_write = out.write

    def write(chunk):
        chunks_before.append(len(seen))
        return original_write(chunk)

    out.write = write
    write_dossier_pdf(photos(), out)
    assert chunks_before[:3] == [1, 1, 1]  # header and page 1 written before photo 2 is read


def test_it_refuses_a_12_bit_jpeg_that_pdf_cannot_embed():
    jpeg = bytearray(photo("JPEG", (30, 40)))
    jpeg[jpeg.index(b"\xff\xc0") + 4] = 12  # the frame header's sample precision
    with pytest.raises(PhotoRefused, match="12-bit JPEG"):
        written([bytes(jpeg)])
