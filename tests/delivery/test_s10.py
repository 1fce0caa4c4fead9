import pytest

from delivery import s10
from delivery.errors import ValidationFailed


@pytest.mark.parametrize("number", ["RR287043775IN", "EE471108151FR", "RR072705659PL",
                                    "EB000717595HK"])
def test_it_accepts_the_upu_examples(number):
    assert s10.is_valid(number)


def test_it_rejects_a_wrong_check_digit():
    assert not s10.is_valid("EB000717594HK")


def test_it_accepts_the_spaced_printed_form():
    assert s10.parse("rr 287 043 775 in") == "RR287043775IN"


@pytest.mark.parametrize("serial, digit", [("28704377", 5), ("00071759", 5), ("47110815", 1)])
def test_it_computes_check_digits(serial, digit):
    assert s10.check_digit(serial) == digit


def test_it_refuses_digits_of_other_scripts():
    """A label carries ASCII digits; the same number in Arabic-Indic or full-width digits is not an
    S10 number."""
    assert not s10.is_valid("RR\u0662\u0668\u0667\u0660\u0664\u0663\u0667\u0667\u0665IN")
    assert not s10.is_valid("RR\uff12\uff18\uff17\uff10\uff14\uff13\uff17\uff17\uff15IN")
    with pytest.raises(ValueError):
        s10.check_digit("\u0662\u0668\u0667\u0660\u0664\u0663\u0667\u0667")


def test_it_maps_eleven_to_five():
    assert s10.check_digit("00000000") == 5  # sum 0 -> 11 - 0 = 11 -> 5


def test_it_maps_ten_to_zero():
    assert s10.check_digit("00000008") == 0  # 8 * 7 = 56, 56 mod 11 = 1 -> 10 -> 0


@pytest.mark.parametrize("bad", ["", "RR28704377IN", "RR2870437751N", "1R287043775IN",
                                 "RR287043775I"])
def test_it_explains_a_malformed_number(bad):
    with pytest.raises(ValidationFailed) as error:
        s10.parse(bad)
    assert "tracking_number" in error.value.errors


@pytest.mark.parametrize("indicator", ["JA", "KB", "SC", "TD", "WE"])
def test_it_refuses_reserved_service_indicators(indicator):
    with pytest.raises(ValueError, match="reserved"):
        s10.validate_indicator(indicator)


def test_it_allocates_consecutive_serials_per_indicator(session):
    first, second = s10.allocate(session, "RR"), s10.allocate(session, "RR")
    other = s10.allocate(session, "EA")
    session.commit()
    assert [first[2:10], second[2:10], other[2:10]] == ["00000001", "00000002", "00000001"]
    assert all(s10.is_valid(n) for n in (first, second, other))


def test_it_forgets_a_serial_taken_by_a_rolled_back_transaction(session):
    s10.allocate(session, "RR")
    session.rollback()
    assert s10.allocate(session, "RR")[2:10] == "00000001"


def test_it_refuses_to_wrap_an_exhausted_range(session):
    from sqlalchemy import text

    s10.allocate(session, "RR")
    session.exec(text("UPDATE s10serial SET last_serial = 99999999 WHERE indicator = 'RR'"))
    with pytest.raises(Exception, match="exhausted"):
        s10.allocate(session, "RR")
