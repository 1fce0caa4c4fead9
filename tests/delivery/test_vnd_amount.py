import pytest

from delivery.vnd_amount import parse_vnd


@pytest.mark.parametrize("written", [
    "22000", "22.000", "22,000", "22000.0", "22000.00", "22000,00", "22.000,00", "22,000.00",
    " 22 000 ", "22.000 đ", "22000VND", "22\u00a0000",
])
def test_it_reads_twenty_two_thousand_however_a_spreadsheet_writes_it(written):
    assert parse_vnd(written, from_spreadsheet=True) == 22000


@pytest.mark.parametrize("written", ["22000.0", "22000,00", "22.00", "22.000,00"])
def test_it_refuses_a_fraction_a_person_typed(written):
    assert parse_vnd(written) is None


@pytest.mark.parametrize("written", ["22000", "22.000", "22,000", "22.000 đ"])
def test_it_reads_what_a_person_types(written):
    assert parse_vnd(written) == 22000


@pytest.mark.parametrize("written", ["1.000.000", "1,000,000", "1000000", "1.000.000,00"])
def test_it_reads_a_million_with_its_groups(written):
    assert parse_vnd(written, from_spreadsheet=True) == 1_000_000


@pytest.mark.parametrize("written", [
    "22.5", "22000.50", "22.00.000", "2.20.000", "22000.000", "22.000.00", "1,000.000",
    "-22000", "+22000", "22k", "hai mươi", "", "đ", "٢٢٠٠٠", "²²", "1" * 14, "22,,000",
])
def test_it_refuses_what_is_not_a_whole_number_of_dong(written):
    assert parse_vnd(written, from_spreadsheet=True) is None


def test_it_reads_zero():
    assert parse_vnd("0") == 0 and parse_vnd("0,00", from_spreadsheet=True) == 0
