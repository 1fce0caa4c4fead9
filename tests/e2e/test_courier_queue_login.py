"""The courier phone's offline queue belongs to the courier who scanned: a scan queued by one
courier is never sent under another's login on the same phone, only under the scanning courier's
own, when they log in again. Logging out first tries to send, then says what stays on the phone."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.models import TrackingEvent, User
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot
from tests.payloads import intake_body, scan_body

SHOTS = "/tmp/reprint_shots"
BATCH = "**/api/v1/scans/batch"


@pytest.fixture
def second_courier(demo):
    """courier-b, at the demo courier's delivery office; answers both users' ids."""
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "courier-b", PASSWORD, "courier", "100100")
        db.commit()
        return {u.username: u.id for u in db.exec(select(User))}


@pytest.fixture
def accepted(client, api_headers):
    number = client.post("/api/v1/consignments", json=intake_body(1),
                         headers=api_headers).get_json()["tracking_number"]
    client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=api_headers)
    return number


def events_of(app, number):
    with Session(app.extensions["db_engine"]) as db:
        return [(e.event, e.actor) for e in db.exec(select(TrackingEvent)).all()
                if e.event == "arrived_delivery_office"]


def shot(page, name):
    """Screenshots to look at (360 px wide), and for the docs when SCREENSHOTS_DIR is set."""
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    screenshot(page, name)


def queue_offline(phone, base, number):
    phone.goto(base + "/courier/scan")
    phone.select_option("#mode", "bag")
    phone.select_option("#bag-event", "arrived_delivery_office")
    phone.context.set_offline(True)
    phone.fill("#manual-number", number)
    phone.press("#manual-number", "Enter")
    expect(phone.locator("#queue-waiting")).to_have_text("1")


def test_it_sends_a_queued_scan_only_under_the_login_of_the_courier_who_scanned(
    live_server, phone, demo, second_courier, accepted
):
    log_in(phone, live_server, "courier")
    queue_offline(phone, live_server, accepted)
    phone.route(BATCH, lambda route: route.abort())  # coverage too weak to send anything
    phone.context.set_offline(False)
    phone.click("header button[type=submit]")
    notice = phone.locator("#logout-notice")
    expect(notice).to_contain_text("1 lượt quét của courier chưa gửi được")
    expect(notice).to_contain_text("Chỉ gửi khi courier đăng nhập lại trên máy này")
    shot(phone, "logout-keeps-scans")
    phone.click("text=Vẫn đăng xuất")
    expect(phone).to_have_url(f"{live_server}/login")
    phone.unroute(BATCH)

    log_in(phone, live_server, "courier-b")
    phone.goto(live_server + "/courier/scan")
    expect(phone.locator("#queue-others")).to_contain_text(
        "1 lượt quét chờ courier đăng nhập lại trên máy này")
    phone.evaluate("window.courierQueue.sync()")
    expect(phone.locator("#queue-waiting")).to_have_text("0")
    shot(phone, "queue-waits-for-its-courier")
    assert events_of(demo, accepted) == []
    phone.click("header button[type=submit]")  # nothing of courier-b's waits: out at once
    expect(phone).to_have_url(f"{live_server}/login")

    log_in(phone, live_server, "courier")
    phone.goto(live_server + "/courier/scan")
    expect(phone.locator("#queue-sent")).to_have_text("1", timeout=10000)
    expect(phone.locator("#queue-others")).to_be_empty()
    assert events_of(demo, accepted) == [
        ("arrived_delivery_office", f"user:{second_courier['courier']}")]


def test_it_keeps_the_courier_logged_in_when_logging_out_offline(
    live_server, phone, demo, second_courier, accepted
):
    log_in(phone, live_server, "courier")
    queue_offline(phone, live_server, accepted)
    phone.click("header button[type=submit]")
    notice = phone.locator("#logout-notice")
    expect(notice).to_contain_text("Không có mạng nên chưa đăng xuất được")
    expect(notice).to_contain_text("1 lượt quét của courier vẫn chờ gửi trên máy này")
    shot(phone, "logout-offline")
    phone.context.set_offline(False)
    expect(phone.locator("#queue-sent")).to_have_text("1", timeout=15000)  # the same login sends
    assert events_of(demo, accepted) == [
        ("arrived_delivery_office", f"user:{second_courier['courier']}")]


def test_it_neither_queues_nor_sends_from_a_tab_of_an_earlier_login(
    live_server, phone, demo, second_courier, accepted
):
    log_in(phone, live_server, "courier")
    queue_offline(phone, live_server, accepted)
    phone.route(BATCH, lambda route: route.abort())
    phone.context.set_offline(False)
    other = phone.context.new_page()  # courier-b logs in on another tab of the same phone
    log_in(other, live_server, "courier-b")
    other.goto(live_server + "/courier")
    phone.unroute(BATCH)
    phone.evaluate("window.courierQueue.sync()")
    expect(phone.locator("#login-stale")).to_contain_text(
        "Trang này thuộc lần đăng nhập trước của courier")
    phone.fill("#manual-number", accepted)
    phone.press("#manual-number", "Enter")
    expect(phone.locator("#scan-message")).to_contain_text("Trang của lần đăng nhập trước")
    shot(phone, "scan-page-of-an-earlier-login")
    assert events_of(demo, accepted) == []
