import pytest

from labels import pdffont
from labels.model import LabelSize
from labels.pdf import Sheet, render_label_pdf, stream_labels_pdf
from labels.sample import SAMPLE, sample_label
from tests.labels.pdf_reading import decoded, page_count, page_image, page_text


def test_it_decodes_the_s10_and_the_qr_url_from_the_pdf_rasterised_at_203_dpi():
    assert sorted(decoded(page_image(render_label_pdf(SAMPLE)))) == [("Code128", "RR287043775VN"),
                                                                     ("QRCode", SAMPLE.qr_url)]


def test_it_gives_back_a_vietnamese_name_as_text():
    pdf = render_label_pdf(sample_label(recipient_name="Trương Thị Ngọc Ánh Đặng"))
    assert "Trương Thị Ngọc Ánh Đặng" in page_text(pdf)


def test_it_makes_the_page_the_label_size():
    # 10 dots per mm
    width, height = page_image(render_label_pdf(SAMPLE, LabelSize.A6), dpi=254).size
    assert abs(width - 1050) <= 1 and abs(height - 1480) <= 1  # pdfium rounds the bitmap up


def test_it_keeps_the_given_order_in_a_batch():
    numbers = ["RR000000015VN", "RR000000020VN", "RR000000001VN"]
    pdf = b"".join(stream_labels_pdf([sample_label(tracking_number=n) for n in numbers]))
    assert [dict(decoded(page_image(pdf, i)))["Code128"] for i in range(3)] == numbers


def test_it_puts_four_a6_labels_on_an_a4_sheet():
    labels = [sample_label(tracking_number=f"RR00000000{i}VN") for i in range(5)]
    pdf = b"".join(stream_labels_pdf(labels, sheet=Sheet.A4_4UP))
    codes = [text for fmt, text in decoded(page_image(pdf)) if fmt == "Code128"]
    assert page_count(pdf) == 2 and sorted(codes) == [f"RR00000000{i}VN" for i in range(4)]


def test_it_yields_a_chunk_per_page_before_the_batch_ends():
    chunks = stream_labels_pdf(sample_label() for _ in range(3))
    assert next(chunks).startswith(b"%PDF-") and b"/Type /Page " in next(chunks)
    chunks.close()


def test_it_embeds_a_subset_of_dejavu_sans():
    pdf = render_label_pdf(SAMPLE)
    assert b"+DejaVuSans /FirstChar" in pdf and b"/FontFile2" in pdf and b"/ToUnicode" in pdf


def test_it_says_which_package_to_install_when_the_font_is_missing(monkeypatch, tmp_path):
    monkeypatch.setitem(pdffont.FONT_FILES, False, tmp_path / "missing.ttf")
    pdffont.font_file.cache_clear()
    with pytest.raises(pdffont.FontMissing, match="fonts-dejavu-core"):
        render_label_pdf(SAMPLE)
    pdffont.font_file.cache_clear()
