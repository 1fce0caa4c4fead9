import pytest

from labels import metrics
from labels.layout import build_layout
from labels.model import LabelSize
from labels.sample import SAMPLE, sample_label

LONG = sample_label(
    sender=("Sở Tài nguyên và Môi trường tỉnh Bà Rịa - Vũng Tàu, "
            "Văn phòng Đăng ký đất đai ") * 2,
    recipient_name="TRƯƠNG NGUYỄN HOÀNG PHƯƠNG UYÊN " * 4,
    street=("Căn hộ 12.08 Tòa nhà Sunrise Riverside, "
            "số 2468 đường Nguyễn Hữu Thọ ") * 3,
    legacy_line="Xã Phước Kiển, Huyện Nhà Bè, Thành phố Hồ Chí Minh " * 3,
    destination_office=("Trung tâm Khai thác Vận chuyển "
                        "Bưu điện Thành phố Hồ Chí Minh ") * 2,
    sort_code="79-HCM-NHA-BE-12",
    amount_to_collect_vnd=123_456_789,
)


def _extent(text):
    width = metrics.text_width(text.text, text.size, text.bold)
    left = {"start": text.x, "middle": text.x - width / 2, "end": text.x - width}[text.anchor]
    return left, left + width


@pytest.mark.parametrize("size", list(LabelSize))
def test_it_keeps_all_text_inside_the_page_even_when_fields_are_long(size):
    layout = build_layout(LONG, size)
    for text in layout.texts:
        left, right = _extent(text)
        assert left >= 0 and right <= layout.width and text.size <= text.y <= layout.height, text


@pytest.mark.parametrize("dpi", [203, 300])
def test_it_snaps_barcode_modules_to_whole_dots(dpi):
    dots = build_layout(SAMPLE, dpi=dpi).barcode.module * dpi / 25.4
    assert dots == pytest.approx({203: 4, 300: 6}[dpi])


@pytest.mark.parametrize("dpi", [None, 203, 300])
def test_it_keeps_the_qr_at_least_25_mm_wide(dpi):
    assert build_layout(SAMPLE, LabelSize.A6, dpi).qr.width >= 25


def test_it_refuses_a_url_too_long_for_a_scannable_qr():
    with pytest.raises(ValueError):
        build_layout(sample_label(qr_url="https://x.vn/" + "a" * 600))


def test_it_refuses_a_tracking_number_that_is_not_s10():
    with pytest.raises(ValueError):
        build_layout(sample_label(tracking_number="RR28704377Ư5VN"))


def test_it_shrinks_a_long_dossier_code_instead_of_cutting_it():
    layout = build_layout(sample_label(dossier_code="000.00.12.H56-250601-0001"))
    assert "000.00.12.H56-250601-0001" in [t.text for t in layout.texts]
