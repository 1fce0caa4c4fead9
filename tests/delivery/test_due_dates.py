"""Due dates: the agency's appointment date, else working days by route; moved only by an
explicit recompute, with an event and an audit row (delivery.due_dates)."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from delivery.audit import AuditEntry, Who
from delivery.calendar import WorkingCalendar, save_calendar_day
from delivery.due_dates import (
    AgencyRoutes,
    RouteSettings,
    agency_routes,
    computed_due_date,
    recompute_due_dates,
    save_route_settings,
)
from delivery.errors import ValidationFailed
from delivery.intake import parse_intake
from delivery.models import VIETNAM_TIME, Consignment, OfficeWard, PostOffice, TrackingEvent
from tests.payloads import intake_body

ADMIN = Who("user:1", "admin")


def due_day(consignment: Consignment) -> date:
    return consignment.due_at.astimezone(VIETNAM_TIME).date()


def item_created_on(day: date, **fields) -> Consignment:
    # 02:00 UTC is 09:00 in Vietnam, the same day
    return Consignment(created_at=datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
                       **{"province_code": 1, **fields})


@pytest.fixture
def home_office(session, agency):
    """A delivery office serving the contract address's ward, which is also the agency's ward."""
    ward = parse_intake(intake_body()).address.ward_code
    office = PostOffice(code="100100", name="Bưu cục phát Hoàn Kiếm", kind="delivery_office",
                        province_code=1)
    session.add(office)
    session.flush()
    session.add(OfficeWard(ward_code=ward, office_id=office.id))
    agency.province_code, agency.ward_code = 1, ward
    session.commit()
    return office


def test_it_gives_the_same_delivery_office_its_own_transit_days(session, agency, home_office):
    routes = agency_routes(session, agency)
    assert routes.route_of(home_office.id, 1) == "same_office"
    assert routes.route_of(None, 1) == "same_province"
    assert routes.route_of(None, 79) == "other_province"


def test_it_counts_transit_days_by_route_in_working_days(agency):
    agency.transit_days_same_province, agency.transit_days_other_province = 2, 4
    routes, friday = AgencyRoutes(None, 1), date(2026, 11, 27)
    near, far = item_created_on(friday), item_created_on(friday, province_code=79)
    assert computed_due_date(agency, routes, WorkingCalendar(), near) == date(2026, 12, 1)
    assert computed_due_date(agency, routes, WorkingCalendar(), far) == date(2026, 12, 3)


def test_it_stores_the_due_date_at_the_end_of_the_day_in_vietnam(new_consignment):
    due_at = new_consignment().due_at.astimezone(VIETNAM_TIME)
    assert (due_at.hour, due_at.minute, due_at.second) == (23, 59, 59)


def test_it_dates_an_item_for_the_agencys_own_office_by_that_route(
        session, agency, home_office, new_consignment):
    agency.transit_days_same_office = 1
    session.commit()
    item = new_consignment()
    today = item.created_at.astimezone(VIETNAM_TIME).date()
    assert item.destination_office_id == home_office.id
    assert due_day(item) == WorkingCalendar().add_working_days(today, 1)


def test_it_lets_the_appointment_date_win(new_consignment):
    item = new_consignment(appointment_date="2025-07-15")
    assert item.appointment_date == date(2025, 7, 15) and due_day(item) == date(2025, 7, 15)


def test_it_refuses_an_appointment_date_that_is_not_a_date():
    with pytest.raises(ValidationFailed) as failure:
        parse_intake(intake_body(appointment_date="15/07/2025"))
    assert set(failure.value.errors) == {"appointment_date"}


def test_it_refuses_an_appointment_before_the_dossier_was_received():
    with pytest.raises(ValidationFailed) as failure:
        parse_intake(intake_body(appointment_date="2025-06-08"))  # the code says 2025-06-09
    assert "2025-06-09" in failure.value.errors["appointment_date"]


def test_it_leaves_stored_due_dates_alone_when_the_calendar_changes(
        session, agency, new_consignment):
    item = new_consignment()
    before = item.due_at
    save_calendar_day(session, agency, due_day(item), False, "nghỉ")
    session.commit()
    session.refresh(item)
    assert item.due_at == before


def test_it_moves_a_due_date_with_an_event_and_an_audit_row(session, agency, new_consignment):
    item = new_consignment()
    before = due_day(item)
    save_calendar_day(session, agency, before, False, "nghỉ")
    moved = recompute_due_dates(session, agency, ADMIN)
    session.commit()
    session.refresh(item)
    event = session.exec(select(TrackingEvent)
                         .where(TrackingEvent.consignment_id == item.id)).one()
    audit = session.exec(select(AuditEntry).where(AuditEntry.consignment_id == item.id)).one()
    assert [m.tracking_number for m in moved] == [item.tracking_number] and due_day(item) > before
    assert (event.event, event.status_after) == ("due_date_changed", "created")
    assert event.note == f"{before.isoformat()} -> {due_day(item).isoformat()}"
    assert audit.action == "consignment.due_date_changed"


def test_it_moves_nothing_when_recomputed_again(session, agency, new_consignment):
    item = new_consignment()
    save_calendar_day(session, agency, due_day(item), False)
    recompute_due_dates(session, agency, ADMIN)
    assert recompute_due_dates(session, agency, ADMIN) == []


def test_it_never_moves_a_delivered_item(session, agency, new_consignment):
    item = new_consignment()
    item.status = "delivered"
    session.commit()
    save_calendar_day(session, agency, due_day(item), False)
    assert recompute_due_dates(session, agency, ADMIN) == []


def test_it_refuses_route_settings_outside_the_bounds(session, agency):
    with pytest.raises(ValidationFailed) as failure:
        save_route_settings(session, agency, RouteSettings(0, 2, 31, 999_999))
    assert set(failure.value.errors) == {"transit_days_same_office",
                                         "transit_days_other_province", "ward_code"}
