"""What the admin pages need of the directory beyond the CLI's: an agency's delivery settings,
creation that never overwrites, and the lists (agencies, offices, the ward picker, couriers)."""

from dataclasses import replace

import pytest

from delivery.accounts import create_user
from delivery.beats import BeatEntry, save_beat
from delivery.directory import AgencyEntry, OfficeEntry, agency_entry, save_agency, save_office
from delivery.directory_fields import parse_count, parse_province_code, parse_ward_codes
from delivery.directory_lists import agency_lines, office_couriers, office_lines, ward_choices
from delivery.errors import ValidationFailed

HANOI, HCMC = 1, 79
HOAN_KIEM, CUA_NAM = 70, 73
AGENCY = AgencyEntry("000.00.01.H26", "Trung tâm Phục vụ hành chính công Hà Nội", HANOI)
DELIVERY = OfficeEntry("100100", "Bưu cục phát Hoàn Kiếm", "delivery", HANOI,
                       wards=(HOAN_KIEM, CUA_NAM))
COUNTER = OfficeEntry("100000", "Bưu điện Trung tâm Phục vụ HCC", "counter", HANOI,
                      serves=(AGENCY.code,))


def errors_of(call, *args, **kwargs):
    with pytest.raises(ValidationFailed) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def test_it_refuses_a_ward_code_of_thousands_of_digits_naming_the_field():
    assert list(errors_of(parse_ward_codes, "70 " + "9" * 5000)) == ["wards"]


def test_it_refuses_a_province_code_longer_than_three_digits():
    assert list(errors_of(parse_province_code, "0001")) == ["province"]


# --- an agency's delivery settings ---------------------------------------------------------------

def test_it_gives_a_new_agency_the_default_delivery_settings(session):
    agency = save_agency(session, AGENCY).record
    assert (agency.attempt_limit, agency.return_within_days, agency.pickup_hold_days) == (2, 5, 7)


def test_it_sets_an_agencys_delivery_settings(session):
    save_agency(session, AGENCY)
    saved = save_agency(session, replace(AGENCY, attempt_limit=3, return_within_days=10,
                                         pickup_hold_days=14))
    assert saved.changed and agency_entry(saved.record) == replace(
        AGENCY, attempt_limit=3, return_within_days=10, pickup_hold_days=14)


def test_it_keeps_the_delivery_settings_an_entry_leaves_out(session):
    save_agency(session, replace(AGENCY, attempt_limit=3))
    saved = save_agency(session, replace(AGENCY, name="TT PVHCC Hà Nội"))
    assert saved.record.attempt_limit == 3


@pytest.mark.parametrize(("field", "value"), [("attempt_limit", 0), ("attempt_limit", 11),
                                              ("return_within_days", 61), ("pickup_hold_days", 0)])
def test_it_refuses_a_delivery_setting_out_of_range(session, field, value):
    assert "từ 1 đến" in errors_of(save_agency, session, replace(AGENCY, **{field: value}))[field]


@pytest.mark.parametrize(("typed", "read"), [("3", 3), (" 14 ", 14), ("", None)])
def test_it_reads_a_count_as_typed(typed, read):
    assert parse_count(typed, "attempt_limit") == read


@pytest.mark.parametrize("typed", ["-1", "2.5", "ba", "١", "9999999"])
def test_it_refuses_a_count_that_is_not_a_whole_number(typed):
    with pytest.raises(ValidationFailed) as caught:
        parse_count(typed, "pickup_hold_days")
    assert "pickup_hold_days" in caught.value.errors


# --- creation never overwrites -------------------------------------------------------------------

def test_it_refuses_a_new_agency_whose_code_exists(session):
    save_agency(session, AGENCY)
    errors = errors_of(save_agency, session, replace(AGENCY, name="Another"), new=True)
    assert "đã có cơ quan mã 000.00.01.H26" in errors["code"]


def test_it_refuses_a_new_office_whose_code_exists_with_its_other_errors(session):
    save_office(session, DELIVERY)
    errors = errors_of(save_office, session, replace(DELIVERY, name=""), new=True)
    assert "đã có bưu cục mã 100100" in errors["code"] and "name" in errors


# --- lists ---------------------------------------------------------------------------------------

def test_it_lists_an_agency_with_its_province_and_the_counters_serving_it(session):
    save_agency(session, AGENCY)
    save_office(session, COUNTER)
    (line,) = agency_lines(session)
    assert (line.agency.code, line.province, line.counters) == (AGENCY.code, "Thành phố Hà Nội",
                                                                ("100000",))


def test_it_lists_offices_with_what_they_serve(session):
    save_agency(session, AGENCY)
    save_office(session, COUNTER)
    save_office(session, DELIVERY)
    create_user(session, "lan", "a-password-123", "courier", "100100")
    lines = {line.office.code: line for line in office_lines(session)}
    assert (lines["100100"].wards, lines["100100"].couriers) == (2, 1)
    assert lines["100000"].agencies == (AGENCY.code,)


def test_it_lists_the_offices_of_one_province_and_kind(session):
    save_office(session, DELIVERY)
    save_office(session, replace(COUNTER, serves=()))
    save_office(session, OfficeEntry("700100", "Bưu cục phát Sài Gòn", "delivery", HCMC))
    codes = [line.office.code for line in office_lines(session, HANOI, "delivery_office")]
    assert codes == ["100100"]


def test_it_offers_every_ward_of_the_province_naming_the_office_of_a_taken_one(session):
    save_office(session, DELIVERY)
    other = save_office(session, OfficeEntry("100200", "Bưu cục phát Ba Đình", "delivery",
                                             HANOI)).record
    choices = {choice.code: choice for choice in ward_choices(session, other)}
    assert len(choices) > 100 and choices[HOAN_KIEM].served_by == "100100"
    assert all(c.served_by is None for code, c in choices.items() if code not in (70, 73))


def test_it_offers_an_office_its_own_wards_as_free(session):
    office = save_office(session, DELIVERY).record
    choices = {choice.code: choice for choice in ward_choices(session, office)}
    assert choices[HOAN_KIEM].served_by is None


def test_it_names_only_the_active_couriers_of_the_office(session):
    save_office(session, DELIVERY)
    office = save_office(session, replace(DELIVERY, code="100200", wards=())).record
    create_user(session, "lan", "a-password-123", "courier", "100200")
    create_user(session, "minh", "a-password-123", "courier", "100200").active = False
    create_user(session, "hoa", "a-password-123", "counter", "100200")
    create_user(session, "an", "a-password-123", "courier", "100100")
    assert office_couriers(session, office) == ["lan"]


def test_it_refuses_a_new_beat_whose_code_the_office_has(session):
    save_office(session, DELIVERY)
    save_beat(session, BeatEntry("100100", "T01", wards=(HOAN_KIEM,)))
    errors = errors_of(save_beat, session, BeatEntry("100100", "T01", wards=(CUA_NAM,)), new=True)
    assert "đã có tuyến T01" in errors["code"]
