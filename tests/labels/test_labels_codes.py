import random
import string

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from labels.codes import code128_modules, qr_matrix, spaced_s10


def test_it_spaces_an_s10_number_in_groups():
    assert spaced_s10("RR287043775VN") == "RR 287 043 775 VN"


def test_it_refuses_to_space_a_non_s10_number():
    with pytest.raises(ValueError):
        spaced_s10("RR28704377VN")


def test_it_returns_code128_modules_ending_with_the_stop_pattern():
    modules = code128_modules("RR287043775VN")
    assert set(modules) == {"0", "1"}
    assert modules.startswith("11") and modules.endswith("1100011101011")


def test_it_encodes_any_s10_number_in_156_modules():
    # start + RR + codeC + 4 digit pairs + codeB + 3 chars + checksum = 13 symbols, + 13-module stop
    assert {
        len(code128_modules(n)) for n in ("RR287043775VN", "EE000000000VN", "CP999999999FR")
    } == {156}


def test_it_builds_the_same_modules_on_repeated_calls():
    assert code128_modules("RR287043775VN") == code128_modules("RR287043775VN")


def test_it_returns_a_qr_matrix_without_quiet_zone():
    matrix = qr_matrix("https://ketqua.example.gov.vn/t/RR287043775VN")
    assert len(matrix) == len(matrix[0]) and (len(matrix) - 17) % 4 == 0
    assert matrix[0][:7] == [True] * 7  # the finder pattern starts at the very corner


def test_it_refuses_a_trailing_newline_in_an_s10_number():
    with pytest.raises(ValueError):
        spaced_s10("RR287043775VN\n")


def _urls(count: int) -> list[str]:
    """Tracking URLs of many lengths (QR versions 1 to 15, so version information too)."""
    rng = random.Random(4)
    alphabet = string.ascii_letters + string.digits + "-_/"
    return ["https://ketqua.example.gov.vn/t/"
            + "".join(rng.choices(alphabet, k=rng.randint(1, length)))
            for length in (5, 20, 40, 80, 160, 320) for _ in range(count)]


def _plain_qrcode(url: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def test_it_builds_the_same_qr_matrix_as_plain_qrcode_mask_included():
    urls = _urls(20)
    assert max(len(qr_matrix(url)) for url in urls) >= 17 + 4 * 7  # version information is covered
    assert [url for url in urls if qr_matrix(url) != _plain_qrcode(url)] == []
