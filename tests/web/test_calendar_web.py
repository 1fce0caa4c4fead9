"""The working calendar over HTTP and the CLI: appointment_date on POST /api/v1/consignments, the
agency page's calendar section, calendar-day and recompute-due-dates."""

from datetime import date

from sqlmodel import Session, select

from delivery.calendar import CalendarDay
from delivery.models import Consignment, TrackingEvent
from tests.payloads import intake_body
from tests.web.test_admin_directory import admin, post, text_of  # noqa: F401 (fixture)

AGENCY_PAGE = "/staff/agencies/000.00.01.H26"


def create(client, headers, **fields):
    return client.post("/api/v1/consignments", json=intake_body(**fields), headers=headers)


def stored(app) -> list[Consignment]:
    with Session(app.extensions["db_engine"]) as db:
        return list(db.exec(select(Consignment)))


def test_it_returns_the_appointment_date_and_the_due_date_that_follows_it(
        demo, client, api_headers):
    body = create(client, api_headers, appointment_date="2025-07-15").get_json()
    assert body["appointment_date"] == "2025-07-15"
    assert body["due_at"] == "2025-07-15T23:59:59+07:00"


def test_it_refuses_a_bad_appointment_date_with_422_and_stores_nothing(
        demo, client, api_headers):
    response = create(client, api_headers, appointment_date="2025-02-30")
    assert response.status_code == 422 and "appointment_date" in response.get_json()["errors"]
    assert stored(demo) == []


def test_it_answers_another_appointment_date_for_the_same_dossier_with_409(
        demo, client, api_headers):
    create(client, api_headers, appointment_date="2025-07-15")
    assert create(client, api_headers, appointment_date="2025-07-16").status_code == 409


def test_it_describes_the_appointment_date_in_the_openapi_document(demo, client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "appointment_date" in schemas["IntakeRequest"]["properties"]


def test_it_saves_an_agencys_day_off_from_its_page(demo, admin):  # noqa: F811
    response = post(admin, AGENCY_PAGE, AGENCY_PAGE + "/calendar", day="2026-03-09",
                    working="off", note="Kiểm kê")
    with Session(demo.extensions["db_engine"]) as db:
        entry = db.exec(select(CalendarDay)).one()
    assert response.status_code == 302
    assert (entry.day, entry.working, entry.note) == (date(2026, 3, 9), False, "Kiểm kê")


def test_it_keeps_what_was_typed_when_a_day_is_refused(demo, admin):  # noqa: F811
    response = post(admin, AGENCY_PAGE, AGENCY_PAGE + "/calendar", day="09/03/2026",
                    working="off", note="Kiểm kê kho")
    page = text_of(response)
    assert response.status_code == 422 and 'value="Kiểm kê kho"' in page \
        and "Ngày: ngày dạng YYYY-MM-DD, ví dụ 2026-02-16" in page


def test_it_refuses_a_calendar_form_without_its_csrf_token(demo, admin):  # noqa: F811
    response = admin.post(AGENCY_PAGE + "/calendar", data={"day": "2026-03-09", "working": "off"})
    assert response.status_code in (400, 403)


def test_it_keeps_typed_transit_days_when_they_are_refused(demo, admin):  # noqa: F811
    response = post(admin, AGENCY_PAGE, AGENCY_PAGE + "/routes", transit_days_same_office="1",
                    transit_days_same_province="2", transit_days_other_province="99",
                    ward_code="")
    page = text_of(response)
    assert response.status_code == 422 and 'value="99"' in page


def test_it_recomputes_due_dates_from_the_button_with_an_event(demo, admin, client,  # noqa: F811
                                                               api_headers):
    due = create(client, api_headers).get_json()["due_at"][:10]
    post(admin, AGENCY_PAGE, AGENCY_PAGE + "/calendar", day=due, working="off")
    post(admin, AGENCY_PAGE, AGENCY_PAGE + "/due-dates")
    with Session(demo.extensions["db_engine"]) as db:
        events = db.exec(select(TrackingEvent.event)).all()
    assert events == ["due_date_changed"]


def test_it_sets_a_nationwide_day_off_and_recomputes_from_the_cli(demo, client, api_headers):
    due = create(client, api_headers).get_json()["due_at"][:10]
    runner = demo.test_cli_runner()
    assert runner.invoke(args=["calendar-day", "set", due, "--off", "--note", "QĐ"]).exit_code == 0
    result = runner.invoke(args=["recompute-due-dates", "--agency", "000.00.01.H26"])
    assert result.exit_code == 0 and "1 due date(s) moved" in result.output


def test_it_names_the_day_when_the_cli_is_given_a_bad_one(demo):
    result = demo.test_cli_runner().invoke(args=["calendar-day", "set", "2026-13-01", "--off"])
    assert result.exit_code == 1 and "Ngày / day" in result.output
