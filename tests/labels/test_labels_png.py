import io

import pytest
import zxingcpp
from PIL import Image

from labels.model import LabelSize
from labels.png import render_label_png
from labels.sample import SAMPLE, sample_label


def _decoded(png: bytes) -> dict[str, str]:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return {result.format.name: result.text for result in results}


@pytest.mark.parametrize("dpi", [203, 300])
def test_it_prints_a_code128_that_decodes_to_the_s10_number(dpi):
    assert _decoded(render_label_png(SAMPLE, dpi=dpi))["Code128"] == "RR287043775VN"


@pytest.mark.parametrize("dpi", [203, 300])
def test_it_prints_a_qr_code_that_decodes_to_the_url(dpi):
    assert _decoded(render_label_png(SAMPLE, dpi=dpi))["QRCode"] == SAMPLE.qr_url


def test_it_decodes_both_symbols_on_a6():
    decoded = _decoded(render_label_png(SAMPLE, LabelSize.A6, dpi=203))
    assert decoded == {"Code128": "RR287043775VN", "QRCode": SAMPLE.qr_url}


def test_it_decodes_with_long_text_and_a_long_url():
    label = sample_label(
        recipient_name=('TRƯƠNG NGUYỄN HOÀNG PHƯƠNG UYÊN <script>&" '
                        'Công ty TNHH Một Thành Viên ') * 2,
        qr_url=(
            "https://dichvucong.ketqua.example.gov.vn/tracking/EE123456785VN?ref=H56-250601-0001"
        ),
        tracking_number="EE123456785VN",
    )
    decoded = _decoded(render_label_png(label, dpi=203))
    assert decoded == {"Code128": "EE123456785VN", "QRCode": label.qr_url}


def test_it_sizes_the_image_in_printer_dots_with_dpi_metadata():
    image = Image.open(io.BytesIO(render_label_png(SAMPLE, dpi=203)))
    assert image.size == (799, 1199) and image.mode == "1"
    assert round(image.info["dpi"][0]) == 203


def test_it_draws_each_barcode_module_as_four_dots_at_203_dpi():
    image = Image.open(io.BytesIO(render_label_png(SAMPLE, dpi=203))).convert("L")
    y = round(32 * 203 / 25.4)  # 32 mm from the top: through the bars (24–41 mm)
    row = [image.getpixel((x, y)) for x in range(image.width)]
    runs, current = [], 1
    for left, right in zip(row, row[1:], strict=False):
        if left == right:
            current += 1
        else:
            runs.append(current)
            current = 1
    assert min(runs) == 4 and all(run % 4 == 0 for run in runs[1:-1])
