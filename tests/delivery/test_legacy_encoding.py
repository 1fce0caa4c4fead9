"""Text typed in TCVN3 (ABC) and VNI-Windows, read as Windows-1252, comes back in Unicode NFC;
anything else is left as written (delivery.legacy_encoding)."""

import os
import shutil
import subprocess
import unicodedata

import pytest

from delivery.legacy_encoding import TABLES, to_unicode

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Hương", "Hoàng Đức Thắng",
         "Vũ Ngọc Ánh", "Đặng Thùy Dương", "Bùi Quốc Việt", "Đỗ Thị Hồng Nhung", "Huỳnh Tấn Phát",
         "Ngô Quang Huy", "Ưng Hoàng Phúc", "Trương Mỹ Lan", "Khổng Minh Nguyệt", "Tạ Quang Bửu",
         "NGUYỄN THỊ MINH KHAI", "Lương Thế Vinh", "Ông Ích Khiêm"]
ADDRESSES = ["Số 3 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
             "Thôn Đông, Xã Nghĩa Hưng, Huyện Nghĩa Đàn, Nghệ An",
             "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội",
             "Ấp Bình Thạnh, Xã Tân Phú, Huyện Châu Thành, Tiền Giang",
             "Tổ 5, Phường Quyết Thắng, Thành phố Biên Hòa, Đồng Nai",
             "Ngõ 45 phố Huế, Quận Hai Bà Trưng, Hà Nội",
             "Khu phố 2, phường Trường Thọ, thành phố Thủ Đức"]
# Typed by hand from the encodings' charts, not through our tables.
TCVN3_TYPED = {"Hµ Néi": "Hà Nội", "NguyÔn V¨n An": "Nguyễn Văn An",
               "TrÇn ThÞ B×nh": "Trần Thị Bình", "hép møt tÕt": "hộp mứt tết",
               "Sè 3 Lª Lîi, Ph\xadêng BÕn NghÐ, QuËn 1": "Số 3 Lê Lợi, Phường Bến Nghé, Quận 1",
               "Xin chµo tÊt c¶ mäi ng\xadêi": "Xin chào tất cả mọi người",
               "§Æng Thïy D\xad¬ng": "Đặng Thùy Dương",
               "NGUYÔN THÞ MINH KHAI": "NGUYỄN THỊ MINH KHAI"}  # capitals of .VnTimeH
VNI_TYPED = {"Haø Noäi": "Hà Nội", "Xin chaøo caùc baïn": "Xin chào các bạn",
             "Nguyeãn Vaên An": "Nguyễn Văn An",
             "Soá 3 Leâ Lôïi, Phöôøng Beán Ngheù, Quaän 1": "Số 3 Lê Lợi, Phường Bến Nghé, Quận 1",
             "Ñaëng Thò Thuøy Döông": "Đặng Thị Thùy Dương", "NGUYEÃN THÒ AÙNH": "NGUYỄN THỊ ÁNH"}
UNTOUCHED = ["Hà Nội", "Nguyễn Văn An", unicodedata.normalize("NFD", "Nguyễn Văn Ánh"),
             "Nguyen Van An", "So 3 Le Loi, Quan 1", "Müller", "José García", "François Lefèvre",
             "Zoë Kühn", "Björn Ångström", "Søren Kierkegaard", "Ana Peña", "Ülkü Gün", "Bé",
             "Lê", "Hà Lê", "Võ Thành Tâm", "Tô Lâm", "12 – Nguyen Trai", "“Nguyen” • 3",
             "Renée Noël", "Cécile Béla"]


def encoded(text: str, name: str) -> str:
    """``text`` as it reaches us when typed in ``name``: through our own table, backwards."""
    back = {unicode: legacy for legacy, unicode in TABLES[name].items()}
    return "".join(back.get(ch, ch) for ch in text)


@pytest.mark.parametrize("text", NAMES + ADDRESSES)
def test_it_converts_names_and_addresses_typed_in_tcvn3(text):
    assert to_unicode(encoded(text, "tcvn3")) == (text, "tcvn3")


@pytest.mark.parametrize("text", NAMES + ADDRESSES)
def test_it_converts_names_and_addresses_typed_in_vni(text):
    assert to_unicode(encoded(text, "vni")) == (text, "vni")


@pytest.mark.parametrize(("typed", "meant"), TCVN3_TYPED.items())
def test_it_converts_tcvn3_typed_by_hand(typed, meant):
    assert to_unicode(typed) == (meant, "tcvn3")


@pytest.mark.parametrize(("typed", "meant"), VNI_TYPED.items())
def test_it_converts_vni_typed_by_hand(typed, meant):
    assert to_unicode(typed) == (meant, "vni")


def test_it_gives_nfc():
    converted, _ = to_unicode(encoded("Khổng Minh Nguyệt", "vni"))
    assert converted == unicodedata.normalize("NFC", converted)


@pytest.mark.parametrize("text", UNTOUCHED)
def test_it_leaves_unicode_ascii_and_foreign_names_as_written_in_nfc(text):
    assert to_unicode(text) == (unicodedata.normalize("NFC", text), None)


def test_it_agrees_with_glibc_on_every_tcvn3_letter():
    """glibc's TCVN5712-1, read independently of our table, byte by byte."""
    if shutil.which("iconv") is None:
        # glibc's iconv is the independent reading of the table: CI (Debian) always has it
        if os.environ.get("CI"):
            pytest.fail("CI must provide glibc's iconv to check the TCVN3 table")
        pytest.skip("needs iconv")
    for legacy, unicode in TABLES["tcvn3"].items():
        byte = legacy.encode("cp1252") if legacy.encode("cp1252", "ignore") else legacy.encode(
            "latin-1")
        read = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=byte,
                              capture_output=True, check=False)
        if read.returncode:
            if os.environ.get("CI"):
                pytest.fail("CI's iconv must know TCVN5712-1 (glibc's gconv modules)")
            pytest.skip("this iconv has no TCVN5712-1")
        assert read.stdout.decode() == unicode, legacy


@pytest.mark.parametrize("place", ["Đắk Lắk", "Krông Pắc", "Cư Jút", "Xã Sró, Gia Lai",
                                   "Đăk Kôi, Quảng Ngãi"])
@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_it_converts_highland_place_names_typed_in_either_encoding(place, name):
    assert to_unicode(encoded(place, name)) == (place, name)
