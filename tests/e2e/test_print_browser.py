"""The counter's Print buttons in a real browser: a form that records the print (CSRF token
included) and then shows the label; a reprint without a reason comes back saying why."""

from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.print_models import LabelPrint
from tests.e2e.conftest import log_in
from tests.payloads import intake_body


def prints(app):
    with Session(app.extensions["db_engine"]) as db:
        return [(p.format, p.reprint, p.reason) for p in db.exec(select(LabelPrint)).all()]


def test_it_records_a_print_then_asks_a_reason_for_the_reprint(live_server, page, client,
                                                               api_headers, demo):
    number = client.post("/api/v1/consignments", json=intake_body(1),
                         headers=api_headers).get_json()["tracking_number"]
    log_in(page, live_server, "counter")
    item = f"{live_server}/counter/consignments/{number}"
    page.goto(item)
    with page.context.expect_page() as label:  # the label opens in a new tab
        page.click("button[value=svg]")
    expect(label.value).to_have_url(f"{live_server}/api/v1/consignments/{number}/label.svg")
    label.value.close()
    page.reload()
    # printed once: the form asks for the reprint's reason before anything is sent
    page.click("button[value=svg]")
    assert page.evaluate("document.querySelector('#print-reason').validity.valueMissing")
    page.fill("#print-reason", "Nhãn bị rách")
    with page.context.expect_page() as label:
        page.click("button[value=svg]")
    expect(label.value).to_have_url(f"{live_server}/api/v1/consignments/{number}/label.svg")
    assert prints(demo) == [("svg", False, None), ("svg", True, "Nhãn bị rách")]
