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


def test_it_follows_a_background_print_job_in_the_readers_language(live_server, page, client,
                                                                   api_headers, monkeypatch):
    monkeypatch.setattr("web.print_views.BACKGROUND_ABOVE", 1)
    numbers = [client.post("/api/v1/consignments", json=intake_body(i),
                           headers=api_headers).get_json()["tracking_number"] for i in (1, 2)]
    failures = []
    page.on("pageerror", lambda error: failures.append(error))
    log_in(page, live_server, "counter")
    page.goto(f"{live_server}/print/batch")
    page.click("button[name=language][value=en]")
    page.fill("#numbers", "\n".join(numbers))
    with page.expect_response(lambda response: "/api/v1/print-jobs/" in response.url):
        page.click("main form button[type=submit]")  # the job page's script polls its status
    expect(page.locator("h1")).to_contain_text("Print job")
    # the script's words come from the page: the job's state, polled, stays in English
    expect(page.locator("#job-state")).to_have_text("Done — 2/2")
    expect(page.locator("#job-download")).to_be_visible()
    assert failures == []
