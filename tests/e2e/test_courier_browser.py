"""The courier's phone in a real browser: camera scanning of a rendered label, and the offline
queue."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.models import TrackingEvent
from tests.e2e.camera import label_video
from tests.e2e.conftest import CHROMIUM_ARGS, DOOR_ANSWER_MS, chromium_path, log_in, screenshot
from tests.payloads import intake_body, scan_body

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN"}


def create(client, headers, n, events=()):
    number = client.post(
        "/api/v1/consignments", json=intake_body(n), headers=headers
    ).get_json()["tracking_number"]
    for event in events:
        client.post("/api/v1/scans", json=scan_body(number, event), headers=headers)
    return number


def stored_events(app, event):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(TrackingEvent).where(TrackingEvent.event == event)).all()


@pytest.fixture
def camera_phone(playwright, live_server, client, api_headers, tmp_path):
    """A phone whose camera sees the label of a consignment that waits at the delivery office."""
    number = create(client, api_headers, 1, ["accepted", "arrived_delivery_office"])
    png = client.get(f"/api/v1/consignments/{number}/label.png?dpi=203", headers=api_headers).data
    video = label_video(png, tmp_path / "label.y4m")
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=args)
    context = browser.new_context(**PHONE, permissions=["camera"])
    yield context.new_page(), number
    context.close()
    browser.close()


def test_it_opens_the_item_whose_label_the_camera_sees(live_server, camera_phone):
    page, number = camera_phone
    log_in(page, live_server, "courier")
    page.goto(live_server + "/courier/scan")
    page.click("#camera-toggle")
    expect(page).to_have_url(f"{live_server}/courier/items/{number}", timeout=20000)
    screenshot(page, "courier-item")


def test_it_records_a_bag_scan_from_the_camera(live_server, camera_phone, demo):
    page, number = camera_phone
    log_in(page, live_server, "courier")
    page.goto(live_server + "/courier/scan")
    page.select_option("#mode", "bag")
    page.select_option("#bag-event", "out_for_delivery")
    page.click("#camera-toggle")
    expect(page.locator("#bag-list")).to_contain_text(number, timeout=20000)
    expect(page.locator("#queue-sent")).to_have_text("1", timeout=10000)
    screenshot(page, "courier-scan")
    assert [e.status_after for e in stored_events(demo, "out_for_delivery")] == ["out_for_delivery"]


def test_it_keeps_twenty_offline_scans_and_stores_each_exactly_once(
    live_server, phone, client, api_headers, demo
):
    numbers = [create(client, api_headers, n, ["accepted"]) for n in range(1, 21)]
    log_in(phone, live_server, "courier")
    phone.goto(live_server + "/courier/scan")
    phone.select_option("#mode", "bag")
    phone.select_option("#bag-event", "arrived_delivery_office")
    phone.context.set_offline(True)
    for number in numbers:
        phone.fill("#manual-number", number)
        phone.press("#manual-number", "Enter")
    expect(phone.locator("#queue-waiting")).to_have_text("20")
    screenshot(phone, "courier-offline-queue")
    assert stored_events(demo, "arrived_delivery_office") == []
    phone.context.set_offline(False)
    expect(phone.locator("#queue-sent")).to_have_text("20", timeout=15000)
    assert len(stored_events(demo, "arrived_delivery_office")) == 20
    phone.evaluate("window.courierQueue.replayAll()")
    expect(phone.locator("#queue-refused")).to_have_text("0")
    assert len(stored_events(demo, "arrived_delivery_office")) == 20


def test_it_flags_a_mistyped_number_as_you_type(live_server, phone):
    log_in(phone, live_server, "courier")
    phone.goto(live_server + "/courier/scan")
    phone.fill("#manual-number", "RR287043776IN")
    expect(phone.locator("#manual-check")).to_contain_text("Sai số kiểm tra")
    phone.fill("#manual-number", "RR287043775IN")
    expect(phone.locator("#manual-check")).to_contain_text("hợp lệ")


def test_it_shows_the_server_refusal_of_an_unknown_number(live_server, phone):
    log_in(phone, live_server, "courier")
    phone.goto(live_server + "/courier/scan")
    phone.select_option("#mode", "bag")
    phone.fill("#manual-number", "RR287043775IN")
    phone.press("#manual-number", "Enter")
    expect(phone.locator("#refused-list")).to_contain_text("RR287043775IN", timeout=10000)


def test_it_delivers_with_the_otp_and_identity_check_and_refuses_a_wrong_otp(
    live_server, phone, client, api_headers, demo
):
    from tests.stand_ins import SmsGateway

    with SmsGateway() as gateway:
        demo.config.update(SMS_GATEWAY="http", SMS_HTTP_URL=gateway.url,
                           SMS_HTTP_TOKEN=gateway.token, DELIVERY_OTP_REQUIRED=True)
        number = create(
            client, api_headers, 1, ["accepted", "arrived_delivery_office", "out_for_delivery"]
        )
        otp = gateway.otp_for("+84912345678")
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    delivered = phone.locator("form", has=phone.locator("#received_by"))
    delivered.locator("#received_by").fill("Nguyễn Văn An")
    delivered.locator("#id_last4").fill("2345")
    delivered.locator("#otp").fill("000000" if otp != "000000" else "111111")
    delivered.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("Mã OTP không đúng", timeout=DOOR_ANSWER_MS)
    screenshot(phone, "courier-wrong-otp")
    delivered = phone.locator("form", has=phone.locator("#received_by"))
    delivered.locator("#received_by").fill("Nguyễn Văn An")
    delivered.locator("#id_last4").fill("2345")
    delivered.locator("#otp").fill(otp)
    delivered.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("Đã phát thành công", timeout=DOOR_ANSWER_MS)
    assert client.get(
        f"/api/v1/consignments/{number}", headers=api_headers
    ).get_json()["status"] == "delivered"


def test_it_refuses_a_delivery_when_the_id_digits_do_not_match(
    live_server, phone, client, api_headers
):
    number = create(
        client, api_headers, 1, ["accepted", "arrived_delivery_office", "out_for_delivery"]
    )
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    delivered = phone.locator("form", has=phone.locator("#received_by"))
    delivered.locator("#received_by").fill("Nguyễn Văn An")
    delivered.locator("#id_last4").fill("9999")
    delivered.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("4 số cuối CCCD không khớp",
                                                    timeout=DOOR_ANSWER_MS)
