"""Door scans without coverage: the item page's delivered and failed forms wait on the phone, the
photo as a Blob and the time of the press kept, and are sent when the network is back, exactly once;
the answer (accepted, or refused with the reason) is shown on the item page and the scan page."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_courier_browser import PHONE, create, stored_events
from tests.payloads import scan_body

DOOR = "**/courier/items/*/scan"
SAVED = "Đã lưu trên máy, sẽ gửi khi có mạng"


@pytest.fixture
def vn_phone(browser):
    """A phone at 360 px on Vietnam's clock (the time of the press carries +07:00)."""
    context = browser.new_context(**PHONE, timezone_id="Asia/Ho_Chi_Minh")
    yield context.new_page()
    context.close()


@pytest.fixture
def out(client, api_headers):
    return create(client, api_headers, 1,
                  ["accepted", "arrived_delivery_office", "out_for_delivery"])


def door_photo(folder: Path) -> Path:
    path = folder / "door.jpg"
    Image.new("RGB", (32, 24), "green").save(path, format="JPEG")
    return path


def lose_the_answer(route) -> None:
    """The server records the scan, but the phone never hears back (coverage lost on the way).
    On a loaded machine the page may give up on the request first (its own timeout): then the
    request is already handled, and the next sync tries again."""
    try:
        route.fetch()
        route.abort()
    except PlaywrightError:
        pass


def wait_for(condition, page, seconds: float = 15) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)  # lets Playwright run the route handlers meanwhile
    raise AssertionError("timed out")


def photos(app) -> list[Path]:
    return list(Path(app.config["PROOF_PHOTO_DIR"]).iterdir())


def test_it_delivers_offline_with_the_photo_and_the_time_of_the_press(
    live_server, vn_phone, demo, out, tmp_path
):
    phone = vn_phone
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{out}")
    phone.context.set_offline(True)
    delivered = phone.locator("form", has=phone.locator("#received_by"))
    delivered.locator("#received_by").fill("Nguyễn Văn An")
    delivered.locator("#id_last4").fill("2345")
    delivered.locator("#photo-delivered").set_input_files(str(door_photo(tmp_path)))
    pressed = datetime.now(UTC)
    delivered.locator("button[type=submit]").click()
    expect(phone.locator("#door-queue [data-state=waiting]")).to_contain_text(SAVED)
    screenshot(phone, "courier-offline-delivery")
    assert stored_events(demo, "delivered") == [] and photos(demo) == []
    phone.wait_for_timeout(1500)  # the sync comes later than the press
    phone.route(DOOR, lose_the_answer)
    phone.context.set_offline(False)
    wait_for(lambda: len(stored_events(demo, "delivered")) == 1, phone, seconds=60)
    expect(phone.locator("#door-queue [data-state=waiting]")).to_have_count(1)
    phone.unroute(DOOR)
    phone.reload()  # the page's own sync sends it again, whole
    expect(phone.locator("#door-queue [data-state=sent]")).to_contain_text(
        "Đã phát thành công", timeout=15000)
    (event,) = stored_events(demo, "delivered")
    assert abs((event.occurred_at - pressed).total_seconds()) < 1
    assert len(photos(demo)) == 1 and photos(demo)[0].name in event.proof
    phone.evaluate("window.courierDoor.sync()")
    phone.goto(f"{live_server}/courier/scan")
    phone.evaluate("window.courierQueue.replayAll()")
    expect(phone.locator("#queue-sent")).to_have_text("1")
    assert len(stored_events(demo, "delivered")) == 1 and len(photos(demo)) == 1


def test_it_shows_a_failed_attempt_refused_at_sync_with_the_reason(
    live_server, vn_phone, demo, out, client, api_headers, tmp_path
):
    phone = vn_phone
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{out}")
    phone.context.set_offline(True)
    phone.click("#step-failed summary")
    phone.select_option("#reason", "premises_closed")
    phone.set_input_files("#photo-failed", str(door_photo(tmp_path)))
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("#step-failed button[type=submit]")
    expect(phone.locator("#door-queue [data-state=waiting]")).to_contain_text(SAVED)
    # meanwhile the item is delivered by someone else (the counter, over the API)
    client.post("/api/v1/scans", json=scan_body(out, "delivered"), headers=api_headers)
    phone.context.set_offline(False)
    refused = phone.locator("#door-queue [data-state=refused]")
    expect(refused).to_contain_text("Bị từ chối", timeout=15000)
    expect(refused).to_contain_text(
        "bưu gửi đang ở trạng thái Đã phát thành công, không ghi được Phát không thành công")
    screenshot(phone, "courier-offline-refused")
    assert stored_events(demo, "delivery_failed") == [] and photos(demo) == []
    phone.goto(f"{live_server}/courier/scan")
    expect(phone.locator("#refused-list")).to_contain_text(f"{out}: Không ghi được")
