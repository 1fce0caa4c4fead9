"""VietQR payloads: field layout, CRC, validation, and a round trip through a real decoder."""

import re

import pytest
import zxingcpp
from PIL import Image

from labels.vietqr import Transfer, crc16_ccitt_false, crc_holds, vietqr_payload, vietqr_svg

TRANSFER = Transfer(bank_bin="970436", account="0011004123456", amount_vnd=22000,
                    purpose="RR287043775VN")


def _fields(text: str) -> dict[str, str]:
    """ID-length-value text as {id: value}."""
    fields, at = {}, 0
    while at < len(text):
        length = int(text[at + 2:at + 4])
        fields[text[at:at + 2]] = text[at + 4:at + 4 + length]
        at += 4 + length
    return fields


def _raster(svg: str, scale: int = 4) -> Image.Image:
    """Paint the SVG's unit squares (the only shapes it draws) into a grayscale image."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        image.paste(0, (int(x) * scale, int(y) * scale, (int(x) + 1) * scale, (int(y) + 1) * scale))
    return image


@pytest.mark.parametrize(("data", "crc"), [(b"123456789", 0x29B1), (b"", 0xFFFF), (b"A", 0xB915)])
def test_it_computes_crc16_ccitt_false(data: bytes, crc: int) -> None:
    assert crc16_ccitt_false(data) == crc


def test_it_lays_out_the_napas_fields() -> None:
    fields = _fields(vietqr_payload(TRANSFER))
    assert fields["00"] == "01" and fields["01"] == "12"
    beneficiary = "0006970436" + "0113" + "0011004123456"
    assert fields["38"] == "0010A000000727" + "0127" + beneficiary + "0208QRIBFTTA"
    assert (fields["53"], fields["54"], fields["58"]) == ("704", "22000", "VN")
    assert fields["62"] == "0813RR287043775VN"
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]


def test_it_ends_with_the_crc_of_everything_before_it() -> None:
    payload = vietqr_payload(TRANSFER)
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"
    wrong = "0000" if payload[-4:] != "0000" else "0001"
    assert crc_holds(payload) and not crc_holds(payload[:-4] + wrong)


@pytest.mark.parametrize("change", [
    {"bank_bin": "97043"}, {"bank_bin": "97043A"}, {"account": "12345"}, {"account": "0011-004"},
    {"account": "1" * 20}, {"amount_vnd": 0}, {"amount_vnd": -22000}, {"amount_vnd": 22000.5},
    {"amount_vnd": True}, {"amount_vnd": "22000"}, {"purpose": ""}, {"purpose": "A" * 26},
    {"purpose": "RR|287"},
])
def test_it_refuses_a_transfer_a_bank_app_would_misread(change: dict) -> None:
    with pytest.raises(ValueError):
        vietqr_payload(Transfer(**{**TRANSFER.__dict__, **change}))


def test_it_renders_a_qr_that_decodes_to_the_payload_with_its_crc() -> None:
    payload = vietqr_payload(TRANSFER)
    svg = vietqr_svg(payload)
    assert "style=" not in svg and "<script" not in svg
    (result,) = zxingcpp.read_barcodes(_raster(svg))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == payload and crc_holds(result.text)
