from datetime import date

import pytest

from delivery.dossier import parse_dossier_code
from delivery.errors import ValidationFailed


def test_it_reads_unit_date_and_number():
    assert parse_dossier_code("000.00.01.H26-250609-0001") == ("000.00.01.H26", date(2025, 6, 9), 1)


@pytest.mark.parametrize("code", ["", "000.00.01.H26-250609-001", "000.00.01.26-250609-0001",
                                  "H26-250609-0001", "000.00.01.H26_250609_0001",
                                  "000.00.01.h26-250609-0001"])
def test_it_refuses_malformed_codes(code):
    with pytest.raises(ValidationFailed, match="000.00.01.H26-250609-0001"):
        parse_dossier_code(code)


def test_it_refuses_a_date_that_does_not_exist():
    with pytest.raises(ValidationFailed, match="not a real date"):
        parse_dossier_code("000.00.01.H26-250230-0001")


def test_it_refuses_a_date_in_the_future():
    with pytest.raises(ValidationFailed, match="future"):
        parse_dossier_code("000.00.01.H26-251231-0001", today=date(2025, 6, 1))


def test_it_refuses_number_zero():
    with pytest.raises(ValidationFailed, match="0001"):
        parse_dossier_code("000.00.01.H26-250609-0000")
