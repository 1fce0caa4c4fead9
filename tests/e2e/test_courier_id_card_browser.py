"""The citizen's CCCD read by the courier's camera at the door (360 px phone, fake camera): the QR
of a made-up card fills who received it and the ID's last 4 digits, and the item is delivered;
a code of the wrong shape is refused with a clear message."""

from __future__ import annotations

import io
import json

import pytest
import qrcode
from playwright.sync_api import expect

from tests.e2e.camera import label_video
from tests.e2e.conftest import CHROMIUM_ARGS, DOOR_ANSWER_MS, chromium_path, log_in, screenshot
from tests.e2e.test_courier_browser import PHONE, create, stored_events

ADDRESS = "Số 12 Lý Thái Tổ, Phường Hoàn Kiếm, Hà Nội"
# A made-up card whose last 4 digits are the recipient's in the contract's example (tests.payloads)
CARD = f"001089012345|123456789|Nguyễn Văn An|15031989|Nam|{ADDRESS}|20042021"


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    qrcode.make(text, border=4).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def card_camera(playwright, tmp_path):
    """Opens a phone whose camera sees the QR of ``text``; returns its page and console errors."""
    opened = []

    def open_phone(text: str):
        video = label_video(qr_png(text), tmp_path / f"card-{len(opened)}.y4m")
        args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=args)
        context = browser.new_context(**PHONE, permissions=["camera"])
        opened.append((browser, context))
        page = context.new_page()
        page.csp_errors = []
        page.on("console", lambda m: page.csp_errors.append(m.text)
                if "Content Security Policy" in m.text else None)
        return page

    yield open_phone
    for browser, context in opened:
        context.close()
        browser.close()


def item_at_the_door(client, api_headers) -> str:
    return create(client, api_headers, 1,
                  ["accepted", "arrived_delivery_office", "out_for_delivery"])


def test_it_delivers_with_the_name_and_digits_read_from_the_card(
    live_server, card_camera, client, api_headers, demo
):
    number = item_at_the_door(client, api_headers)
    page = card_camera(CARD)
    log_in(page, live_server, "courier")
    page.goto(f"{live_server}/courier/items/{number}")
    page.click("#id-card-scan")
    expect(page.locator("#id-card-message")).to_contain_text("khớp CCCD người nhận",
                                                             timeout=20000)
    expect(page.locator("#received_by")).to_have_value("Nguyễn Văn An")
    expect(page.locator("#id_last4")).to_have_value("2345")
    screenshot(page, "courier-id-card")
    page.locator("form", has=page.locator("#received_by")).locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Đã phát thành công", timeout=DOOR_ANSWER_MS)
    [event] = stored_events(demo, "delivered")
    proof = json.loads(event.proof)
    assert (proof["id_last4"], proof["received_by"], proof["id_source"]) == (
        "2345", "Nguyễn Văn An", "cccd_qr")
    assert "001089012345" not in event.proof and page.csp_errors == []


def test_it_says_when_the_card_is_not_the_recipients(
    live_server, card_camera, client, api_headers
):
    number = item_at_the_door(client, api_headers)
    page = card_camera(CARD.replace("001089012345", "001089019999"))
    log_in(page, live_server, "courier")
    page.goto(f"{live_server}/courier/items/{number}")
    page.click("#id-card-scan")
    expect(page.locator("#id-card-message")).to_contain_text("không khớp CCCD người nhận",
                                                             timeout=20000)


def test_it_refuses_a_code_of_the_wrong_shape_with_a_clear_message(
    live_server, card_camera, client, api_headers
):
    number = item_at_the_door(client, api_headers)
    page = card_camera(CARD.replace("001089012345", "00108901234"))
    log_in(page, live_server, "courier")
    page.goto(f"{live_server}/courier/items/{number}")
    page.click("#id-card-scan")
    expect(page.locator("#id-card-message")).to_contain_text(
        "✗ số CCCD phải có 12 chữ số", timeout=20000)
    expect(page.locator("#id_last4")).to_have_value("")
    assert page.csp_errors == []


def test_it_fills_a_proxys_own_name_and_digits_from_their_card(
    live_server, card_camera, client, api_headers, demo
):
    number = item_at_the_door(client, api_headers)
    page = card_camera(f"079195001234||Trần Thị Bích|01011995|Nữ|{ADDRESS}|10082022")
    log_in(page, live_server, "courier")
    page.goto(f"{live_server}/courier/items/{number}")
    page.select_option("#relation", "proxy")
    page.click("#id-card-scan")
    expect(page.locator("#id-card-message")).to_contain_text(
        "✓ Người nhận thay: Trần Thị Bích", timeout=20000)
    expect(page.locator("#id_last4")).to_have_value("1234")
    page.fill("#authorisation_ref", "GUQ-2025-017")
    page.locator("form", has=page.locator("#received_by")).locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Đã phát thành công", timeout=DOOR_ANSWER_MS)
    [event] = stored_events(demo, "delivered")
    assert json.loads(event.proof)["received_by"] == "Trần Thị Bích"
