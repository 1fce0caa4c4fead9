import unicodedata
from dataclasses import replace

import pytest
from sqlmodel import select

from delivery.accounts import create_user
from delivery.beats import BeatEntry, beat_entries, delete_beat, save_beat
from delivery.directory import (
    AgencyEntry,
    OfficeEntry,
    find_agency,
    office_entry,
    rotate_webhook_secret,
    save_agency,
    save_office,
    set_counter_agencies,
    set_office_wards,
)
from delivery.dossier import parse_dossier_code
from delivery.errors import NotFound, ValidationFailed
from delivery.models import Agency, OfficeWard, PostOffice
from delivery.organisation import BeatWard, OfficeAgency

HOAN_KIEM, CUA_NAM, BA_DINH, SAI_GON = 70, 73, 4, 26740
HANOI, HCMC = 1, 79
AGENCY = AgencyEntry("000.00.01.H26", "Trung tâm Phục vụ hành chính công Hà Nội", HANOI)
DELIVERY = OfficeEntry("100100", "Bưu cục phát Hoàn Kiếm", "delivery", HANOI,
                       "75 Đinh Tiên Hoàng", "7:30-19:00", wards=(HOAN_KIEM, CUA_NAM))


def errors_of(call, *args):
    with pytest.raises(ValidationFailed) as caught:
        call(*args)
    return caught.value.errors


@pytest.fixture
def delivery_office(session):
    office = save_office(session, DELIVERY).record
    session.commit()
    return office


# --- agencies -----------------------------------------------------------------------------------

def test_it_creates_an_agency_and_gives_it_a_webhook_secret_once(session):
    saved = save_agency(session, replace(AGENCY, webhook_url="https://motcua.example/hook"))
    again = save_agency(session, replace(AGENCY, webhook_url="https://motcua.example/hook"))
    assert saved.created and len(saved.webhook_secret) == 64
    assert saved.record.webhook_secret == saved.webhook_secret and again.webhook_secret is None


def test_it_changes_nothing_when_an_agency_is_saved_again(session):
    save_agency(session, AGENCY)
    again = save_agency(session, AGENCY)
    assert not again.created and not again.changed and not session.dirty


def test_it_updates_an_agency_without_a_new_secret(session):
    secret = save_agency(session, AGENCY).webhook_secret
    saved = save_agency(session, replace(AGENCY, name="TT PVHCC Hà Nội", province_code=None))
    assert saved.changed and saved.webhook_secret is None
    assert (saved.record.name, saved.record.province_code, saved.record.webhook_secret) == (
        "TT PVHCC Hà Nội", None, secret)


def test_it_gives_a_secret_to_an_agency_that_had_none(session):
    session.add(Agency(code=AGENCY.code, name=AGENCY.name, province_code=HANOI))
    session.flush()
    saved = save_agency(session, AGENCY)
    assert saved.changed and saved.record.webhook_secret == saved.webhook_secret is not None


def test_it_upper_cases_an_agency_code(session):
    assert save_agency(session, replace(AGENCY, code=" 000.00.01.h26 ")).record.code == \
        "000.00.01.H26"


@pytest.mark.parametrize("code", ["H26", "000.00.01", "000-00-01-H26", "000.00.01.H2",
                                  "000.00.01.H266", "０００.00.01.H26", ""])
def test_it_refuses_an_agency_code_that_is_not_a_unit_code(session, code):
    assert "000.00.01.H26" in errors_of(save_agency, session, replace(AGENCY, code=code))["code"]


@pytest.mark.parametrize("code", ["000.00.01.H26", "000.12.34.G01", "999.99.99.Z99"])
def test_it_accepts_unit_codes_that_dossier_codes_start_with(session, code):
    saved = save_agency(session, replace(AGENCY, code=code))
    assert parse_dossier_code(f"{saved.record.code}-250609-0001")[0] == code


@pytest.mark.parametrize("url", ["ftp://motcua.example/hook", "motcua.example/hook", "https://",
                                 "https://motcua.example/a hook", "http://[::1"])
def test_it_refuses_a_webhook_url_that_is_not_a_web_address(session, url):
    assert "webhook_url" in errors_of(save_agency, session, replace(AGENCY, webhook_url=url))


def test_it_refuses_an_unknown_province_for_an_agency(session):
    assert "99" in errors_of(save_agency, session, replace(AGENCY, province_code=99))["province"]


def test_it_rotates_a_webhook_secret(session):
    first = save_agency(session, AGENCY).webhook_secret
    second = rotate_webhook_secret(session, AGENCY.code)
    assert second != first and find_agency(session, AGENCY.code).webhook_secret == second


def test_it_rotates_no_secret_of_an_unknown_agency(session):
    with pytest.raises(NotFound):
        rotate_webhook_secret(session, "000.00.99.H26")


# --- offices ------------------------------------------------------------------------------------

def test_it_creates_a_delivery_office_with_its_wards(session, delivery_office):
    wards = session.exec(select(OfficeWard.ward_code)
                         .where(OfficeWard.office_id == delivery_office.id)).all()
    assert (delivery_office.kind, delivery_office.opening_hours) == ("delivery_office",
                                                                     "7:30-19:00")
    assert sorted(wards) == [HOAN_KIEM, CUA_NAM]


def test_it_reads_an_office_back_as_the_entry_it_was_saved_from(session, delivery_office):
    assert office_entry(session, delivery_office) == DELIVERY


def test_it_changes_nothing_when_an_office_is_saved_again(session, delivery_office):
    again = save_office(session, DELIVERY)
    assert not again.created and not again.changed and not session.dirty and not session.new


def test_it_takes_names_written_in_nfd_as_the_same(session, delivery_office):
    nfd = replace(DELIVERY, name=unicodedata.normalize("NFD", DELIVERY.name))
    assert not save_office(session, nfd).changed


@pytest.mark.parametrize("code", ["1001", "1001000", "10010a", ""])
def test_it_refuses_an_office_code_that_is_not_5_or_6_digits(session, code):
    assert "5" in errors_of(save_office, session, replace(DELIVERY, code=code))["code"]


def test_it_refuses_an_unknown_kind(session):
    assert "counter, hub, delivery" in errors_of(save_office, session,
                                                 replace(DELIVERY, kind="kho"))["kind"]


def test_it_refuses_an_office_without_a_province(session):
    assert "province" in errors_of(save_office, session, replace(DELIVERY, province_code=None))


def test_it_reports_every_field_at_once(session):
    errors = errors_of(save_office, session, OfficeEntry("1", "", "kho", 99))
    assert set(errors) == {"code", "name", "kind", "province"}


def test_it_refuses_an_unknown_ward_naming_its_code(session):
    errors = errors_of(save_office, session, replace(DELIVERY, wards=(HOAN_KIEM, 99999)))
    assert "99999" in errors["wards"]


def test_it_refuses_a_ward_of_another_province(session):
    errors = errors_of(save_office, session, replace(DELIVERY, wards=(SAI_GON,)))
    assert "26740 Phường Sài Gòn" in errors["wards"]


def test_it_refuses_a_ward_another_office_serves_naming_that_office(session, delivery_office):
    other = OfficeEntry("100200", "Bưu cục phát Ba Đình", "delivery", HANOI,
                        wards=(BA_DINH, CUA_NAM))
    message = errors_of(save_office, session, other)["wards"]
    assert "00073 Phường Cửa Nam" in message and "100100 Bưu cục phát Hoàn Kiếm" in message


def test_it_writes_nothing_for_a_refused_office(session):
    errors_of(save_office, session, replace(DELIVERY, wards=(HOAN_KIEM, 99999)))
    assert session.exec(select(PostOffice)).all() == []
    assert session.exec(select(OfficeWard)).all() == []


def test_it_refuses_wards_for_a_hub(session):
    hub = OfficeEntry("100900", "Trung tâm Khai thác chia chọn Hà Nội", "hub", HANOI,
                      wards=(BA_DINH,))
    assert "delivery office" in errors_of(save_office, session, hub)["wards"]


def test_it_refuses_agencies_served_by_a_delivery_office(session):
    save_agency(session, AGENCY)
    errors = errors_of(save_office, session, replace(DELIVERY, serves=(AGENCY.code,)))
    assert "counter" in errors["serves"]


def test_it_records_the_agencies_a_counter_serves(session):
    agency = save_agency(session, AGENCY).record
    counter = save_office(session, OfficeEntry("100000", "Bưu điện TT PVHCC Hà Nội", "counter",
                                               HANOI, serves=(AGENCY.code.lower(),))).record
    assert session.exec(select(OfficeAgency)).one() == OfficeAgency(office_id=counter.id,
                                                                    agency_id=agency.id)


def test_it_refuses_an_unknown_agency_for_a_counter(session):
    entry = OfficeEntry("100000", "Bưu điện TT PVHCC Hà Nội", "counter", HANOI,
                        serves=("000.00.09.H26",))
    assert "000.00.09.H26" in errors_of(save_office, session, entry)["serves"]


def test_it_sets_a_delivery_offices_wards_alone(session, delivery_office):
    assert set_office_wards(session, delivery_office, (BA_DINH,))
    assert office_entry(session, delivery_office).wards == (BA_DINH,)
    assert not set_office_wards(session, delivery_office, (BA_DINH,))


def test_it_sets_no_agencies_for_an_office_that_is_no_counter(session, delivery_office):
    save_agency(session, AGENCY)
    assert "serves" in errors_of(set_counter_agencies, session, delivery_office, (AGENCY.code,))


def test_it_takes_wards_an_office_gives_up_off_its_beats(session, delivery_office):
    save_beat(session, BeatEntry("100100", "T01", wards=(HOAN_KIEM, CUA_NAM)))
    save_office(session, replace(DELIVERY, wards=(HOAN_KIEM,)))
    assert session.exec(select(BeatWard.ward_code)).all() == [HOAN_KIEM]


def test_it_keeps_an_office_with_beats_a_delivery_office(session, delivery_office):
    save_beat(session, BeatEntry("100100", "T01", wards=(HOAN_KIEM,)))
    errors = errors_of(save_office, session, replace(DELIVERY, kind="hub", wards=()))
    assert "beats" in errors["kind"]


# --- beats --------------------------------------------------------------------------------------

def test_it_creates_a_beat_with_its_courier(session, delivery_office):
    create_user(session, "lan", "mật-khẩu-dài", "courier", "100100")
    entry = BeatEntry("100100", "T01", "Tuyến Hoàn Kiếm", (HOAN_KIEM,), "lan")
    saved = save_beat(session, entry)
    assert saved.created and beat_entries(session, delivery_office) == [entry]


def test_it_changes_nothing_when_a_beat_is_saved_again(session, delivery_office):
    save_beat(session, BeatEntry("100100", "T01", "Tuyến Hoàn Kiếm", (HOAN_KIEM,)))
    again = save_beat(session, BeatEntry("100100", "T01", "Tuyến Hoàn Kiếm", (HOAN_KIEM,)))
    assert not again.created and not again.changed


def test_it_refuses_a_beat_of_a_hub(session):
    save_office(session, OfficeEntry("100900", "Trung tâm Khai thác", "hub", HANOI))
    errors = errors_of(save_beat, session, BeatEntry("100900", "T01", wards=(BA_DINH,)))
    assert "delivery offices" in errors["office"]


def test_it_refuses_a_beat_of_an_unknown_office(session):
    assert "999999" in errors_of(save_beat, session, BeatEntry("999999", "T01"))["office"]


def test_it_refuses_a_beat_ward_the_office_does_not_serve(session, delivery_office):
    errors = errors_of(save_beat, session, BeatEntry("100100", "T01", wards=(HOAN_KIEM, BA_DINH)))
    assert "00004 Phường Ba Đình" in errors["wards"] and "HOAN" not in errors["wards"]


def test_it_refuses_a_beat_without_wards(session, delivery_office):
    assert "wards" in errors_of(save_beat, session, BeatEntry("100100", "T01"))


@pytest.mark.parametrize(("username", "role", "office", "words"), [
    ("nobody", None, None, "no user"),
    ("quay", "counter", "100100", "not a courier"),
    ("khac", "courier", "100200", "does not work at office 100100"),
])
def test_it_refuses_a_courier_who_cannot_walk_the_beat(session, delivery_office, username, role,
                                                      office, words):
    save_office(session, OfficeEntry("100200", "Bưu cục phát Ba Đình", "delivery", HANOI))
    if role:
        create_user(session, username, "mật-khẩu-dài", role, office)
    beat = BeatEntry("100100", "T01", wards=(HOAN_KIEM,), courier=username)
    assert words in errors_of(save_beat, session, beat)["courier"]


def test_it_deletes_a_beat_once(session, delivery_office):
    save_beat(session, BeatEntry("100100", "T01", wards=(HOAN_KIEM,)))
    assert delete_beat(session, "100100", "T01") and not delete_beat(session, "100100", "T01")
    assert beat_entries(session, delivery_office) == []
    assert session.exec(select(BeatWard)).all() == []
