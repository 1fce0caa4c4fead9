"""The label read as a courier's phone reads it: from 20, 25 and 30 cm, blurred, noisy, turned a
few degrees and saved as a poor JPEG (tests/labels/phone_camera.py). With 0.375 mm modules the
Code 128 read 97 % at 20 cm and none at 30 cm in an independent test; with 0.5 mm it must hold."""

import io
import random

import pytest
import zxingcpp
from PIL import Image

from labels.png import render_label_png
from labels.sample import sample_label
from tests.labels.phone_camera import as_phone_sees

PICTURES = 20
SAMPLE = sample_label()


def reads(dpi: int, distance_cm: int) -> tuple[int, int]:
    """How many of PICTURES phone pictures gave the Code 128, and how many the QR."""
    label = Image.open(io.BytesIO(render_label_png(SAMPLE, dpi=dpi)))
    rng = random.Random(distance_cm * dpi)
    bars = qrs = 0
    for _ in range(PICTURES):
        found = zxingcpp.read_barcodes(as_phone_sees(label, dpi, distance_cm, rng))
        bars += any(r.format == zxingcpp.BarcodeFormat.Code128
                    and r.text == SAMPLE.tracking_number for r in found)
        qrs += any(r.format == zxingcpp.BarcodeFormat.QRCode and r.text == SAMPLE.qr_url
                   for r in found)
    return bars, qrs


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("distance_cm", [20, 25])
def test_it_reads_the_barcode_and_the_qr_every_time_up_to_25_cm(dpi, distance_cm):
    assert reads(dpi, distance_cm) == (PICTURES, PICTURES)


@pytest.mark.parametrize("dpi", [203, 300])
def test_it_reads_the_qr_every_time_and_the_barcode_mostly_at_30_cm(dpi):
    bars, qrs = reads(dpi, 30)
    assert qrs == PICTURES and bars >= PICTURES // 2
