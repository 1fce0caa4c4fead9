"""Items at risk shown first: the supervisor's list (scoped), the courier's round, the job run by
the worker, the demo's thread and the command line, and its signed webhook."""

from datetime import timedelta

from sqlmodel import Session, select

from delivery.intake import create_consignment, parse_intake
from delivery.models import Agency, Consignment, utcnow
from tests.payloads import intake_body
from tests.stand_ins import Receiver
from tests.web.public_helpers import create_item
from tests.web.test_pages import login
from web.tasks import AT_RISK_JOB_ID, PERIODIC_JOBS, flag_at_risk_items

SECRET = "shared-secret-with-the-one-stop-shop"
HCMC = {"street": "Số 8 đường số 10", "ward_code": 25942, "province_code": 79}


def set_item(app, number: str, status: str, due_in: timedelta) -> None:
    with Session(app.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()
        item.status, item.due_at = status, utcnow() + due_in
        db.commit()


def hcmc_item(app) -> str:
    """An item of the Hồ Chí Minh City agency, which the Hà Nội supervisor does not see."""
    with Session(app.extensions["db_engine"]) as db:
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H29")).one()
        body = intake_body(1, dossier_code="000.00.01.H29-250609-0001", address=HCMC)
        item, _ = create_consignment(db, parse_intake(body), agency, indicator="RR")
        db.commit()
        return item.tracking_number


def flag(app) -> dict[str, int]:
    with app.app_context():
        return flag_at_risk_items()


def test_it_shows_the_supervisor_the_at_risk_items_they_see_and_no_others(demo, client,
                                                                          api_headers):
    ours, _ = create_item(client, api_headers)
    theirs = hcmc_item(demo)
    set_item(demo, ours, "at_delivery_office", timedelta(hours=-2))
    set_item(demo, theirs, "in_transit", timedelta(hours=-2))
    assert flag(demo)["flagged"] == 2
    login(client, "supervisor")
    page = client.get("/staff/at-risk").get_data(as_text=True)
    assert ours in page and theirs not in page
    assert "Chưa đi phát trong ngày hạn cuối" in page and "Not out for delivery" not in page


def test_it_leaves_items_not_at_risk_off_the_supervisors_list(demo, client, api_headers):
    calm, _ = create_item(client, api_headers)
    set_item(demo, calm, "at_delivery_office", timedelta(days=4))
    flag(demo)
    login(client, "supervisor")
    page = client.get("/staff/at-risk").get_data(as_text=True)
    assert calm not in page and "Không có bưu gửi nào sắp trễ hạn" in page


def test_it_puts_at_risk_items_first_on_the_couriers_round_with_a_mark(demo, client,
                                                                       api_headers):
    calm, _ = create_item(client, api_headers, 1)
    risky, _ = create_item(client, api_headers, 2)
    set_item(demo, calm, "attempt_failed", timedelta(days=4))
    set_item(demo, risky, "attempt_failed", timedelta(hours=-1))
    flag(demo)
    login(client, "courier")
    page = client.get("/courier").get_data(as_text=True)
    waiting = page[page.index("Chờ tại bưu cục"):]
    assert waiting.index(risky) < waiting.index(calm)
    marked = waiting[waiting.index(risky):waiting.index(calm)]
    assert "⚠ Sắp trễ hạn: hạn " in marked
    assert "Sắp trễ hạn" not in waiting[waiting.index(calm):]


def test_it_signs_the_at_risk_webhook_as_the_others_and_sends_it_once(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    with Receiver(SECRET) as receiver:
        with Session(demo.extensions["db_engine"]) as db:
            agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
            agency.webhook_url, agency.webhook_secret = receiver.url, SECRET
            db.commit()
        set_item(demo, number, "in_transit", timedelta(hours=3))
        flag(demo)
        flag(demo)
    [body] = [r["body"] for r in receiver.received if r["body"]["type"] == "consignment.at_risk"]
    assert receiver.received[-1]["signature_ok"] and receiver.received[-1]["signature_v2_ok"]
    assert (body["data"]["tracking_number"], body["data"]["reason"]) == (
        number, "not_at_delivery_office")


def test_it_flags_at_risk_items_from_the_command_line(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    set_item(demo, number, "attempt_failed", timedelta(hours=-1))
    result = demo.test_cli_runner().invoke(args=["flag-at-risk"])
    assert result.exit_code == 0
    assert "1 newly flagged" in result.output


def test_it_runs_the_at_risk_job_every_few_minutes():
    [periodic] = [p for p in PERIODIC_JOBS if p.key == AT_RISK_JOB_ID]
    assert periodic.job is flag_at_risk_items and periodic.every <= timedelta(minutes=15)
