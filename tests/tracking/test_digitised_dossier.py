"""Pages photographed at the door become files and one PDF; a bad photo leaves no file."""

import hashlib
import io

import pypdfium2
import pytest
from PIL import Image

from delivery.errors import ValidationFailed
from tracking.digitised_dossier import discard_pages, write_pages


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(out, format="JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(out, format="PNG")
    return out.getvalue()


def test_it_writes_each_photo_and_one_pdf_a_page_per_photo(tmp_path):
    photos = [jpeg("red"), png(), jpeg("blue")]
    pages = write_pages(tmp_path, photos, title="RR000000014VN")
    assert pages.count == 3 and pages.sizes == tuple(len(p) for p in photos)
    assert [(tmp_path / p).read_bytes() for p in pages.photos] == photos
    assert pages.page_sha256 == tuple(hashlib.sha256(p).hexdigest() for p in photos)
    pdf = (tmp_path / pages.pdf).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == pages.pdf_sha256
    assert len(pypdfium2.PdfDocument(pdf)) == 3


@pytest.mark.parametrize(("photos", "said"), [
    ([jpeg("red"), b"GIF89a not ours"], "Ảnh trang 2 / Page 2 photo: chỉ nhận ảnh JPEG"),
    ([jpeg("red"), jpeg("red") + b"\0" * 2000], "Ảnh trang 2 / Page 2 photo: ảnh quá 1 KB"),
    ([jpeg("red")[:300]], "Ảnh trang 1"),
    ([], "ít nhất một trang"),
])
def test_it_refuses_a_bad_photo_naming_its_page_and_keeps_no_file(tmp_path, photos, said):
    with pytest.raises(ValidationFailed) as refused:
        write_pages(tmp_path, photos, title="RR000000014VN", max_bytes=1024 + 1000)
    assert said in refused.value.errors["pages"]
    assert list(tmp_path.iterdir()) == []


def test_it_discards_written_pages_idempotently(tmp_path):
    pages = write_pages(tmp_path, [jpeg("red")], title="RR000000014VN")
    discard_pages(tmp_path, pages.photos, pages.pdf)
    discard_pages(tmp_path, pages.photos, pages.pdf)
    assert list(tmp_path.iterdir()) == []
