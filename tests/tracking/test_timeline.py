from datetime import date, timedelta

from delivery.access import EVERYTHING
from delivery.calendar import WorkingCalendar
from delivery.models import VIETNAM_TIME, PostOffice, Province, utcnow
from tests.payloads import scan_body
from tracking.scans import record_scan
from tracking.timeline import expected_date, public_view, steps


def test_it_names_the_office_and_province_where_an_event_happened(session, consignment):
    office = PostOffice(code="100100", name="Bưu cục phát Hoàn Kiếm", kind="delivery_office",
                        province_code=1)
    session.add(office)
    session.commit()
    record_scan(session, scan_body(consignment.tracking_number, "accepted"), "user:1",
                scope=EVERYTHING,
                office_id=office.id)
    province = session.get(Province, 1).name
    assert (public_view(session, consignment)["events"][0]["place"]
            == f"Bưu cục phát Hoàn Kiếm, {province}")


def test_it_places_a_delivery_at_the_destination_ward(session, consignment):
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery", "delivered"):
        record_scan(session, scan_body(consignment.tracking_number, event), "user:1",
                    scope=EVERYTHING,
                    otp_required=False)
    view = public_view(session, consignment)
    assert view["events"][-1]["place"] == (
        f"{view['destination']['ward']}, {view['destination']['province']}")


def test_it_expects_the_agencys_due_date_while_on_the_way(session, consignment):
    # from 17:00 UTC it is already tomorrow in Vietnam
    due = consignment.due_at.astimezone(VIETNAM_TIME).date()
    assert expected_date(consignment, due - timedelta(days=1), WorkingCalendar()) == due


def test_it_expects_the_next_working_day_once_the_due_date_has_passed(session, consignment):
    friday = date(2030, 1, 4)
    assert expected_date(consignment, friday, WorkingCalendar()) == date(2030, 1, 7)  # Monday


def test_it_expects_nothing_once_delivered_or_returning(session, consignment):
    consignment.status = "returning"
    assert expected_date(consignment, date.today(), WorkingCalendar()) is None


def test_it_marks_steps_done_current_and_todo():
    assert [s["state"] for s in steps("at_delivery_office", "vi")] == [
        "done", "done", "current", "todo", "todo"]
    assert [s["state"] for s in steps("delivered", "en")] == ["done"] * 5


def test_it_keeps_the_full_view_within_the_configured_days(session, consignment):
    consignment.status, consignment.updated_at = "cancelled", utcnow() - timedelta(days=3)
    assert public_view(session, consignment, days_after_final=30)["expired"] is False
    assert public_view(session, consignment, days_after_final=2)["expired"] is True
