"""The pick-up at the door on a 360 px phone: the courier sees today's pick-up stop, opens it,
ticks two of three documents (one missing), photographs three pages (two, then one more), and
confirms; the agency's pages.pdf and the citizen's receipt PDF are read back (pypdfium2). Offline,
the form waits on the phone with its page photos and is sent once when the network is back."""

import hashlib
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder, DossierPage
from tests.e2e.conftest import DOOR_ANSWER_MS, log_in, screenshot
from tests.e2e.test_courier_browser import PHONE, stored_events
from tests.web.door_helpers import book_for_today, item_of

CONFIRM = "Xác nhận đã nhận hồ sơ"
SAVED = "Đã lưu trên máy, sẽ gửi khi có mạng"


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, timezone_id="Asia/Ho_Chi_Minh")
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    """Kept for the docs when SCREENSHOTS_DIR is set (README's pickup images)."""
    screenshot(page, f"pickup-{name}")


def page_photos(folder: Path) -> list[Path]:
    """Three photographed sheets, as a phone's camera writes them (JPEG, portrait)."""
    paths = []
    for number, colour in enumerate(("#f4f1e8", "#e8eef4", "#f4e8ec"), start=1):
        image = Image.new("RGB", (600, 850), colour)
        for row in range(80, 800, 40):  # lines of text, more or less
            image.paste((60, 60, 60), (60, row, 540 - 30 * number, row + 8))
        path = folder / f"trang-{number}.jpg"
        image.save(path, format="JPEG", quality=80)
        paths.append(path)
    return paths


def dossier_of(app, number):
    item = item_of(app, number)
    with Session(app.extensions["db_engine"]) as db:
        rows = db.exec(select(DossierPage).where(DossierPage.consignment_id == item.id)
                       .order_by(DossierPage.number)).all()
        return item, rows, db.get(CollectionOrder, item.id)


def read_back_the_dossier(app, client, headers, number, photos):
    """The agency's pages.pdf: a page per photo, the hashes the rows and the booking keep."""
    item, rows, order = dossier_of(app, number)
    assert [r.sha256 for r in rows] == [hashlib.sha256(p.read_bytes()).hexdigest()
                                        for p in photos]
    with client.get(f"/api/v1/consignments/{number}/pages.pdf", headers=headers) as answer:
        pdf = answer.get_data()
    assert len(pypdfium2.PdfDocument(pdf)) == 3
    assert hashlib.sha256(pdf).hexdigest() == order.pages_pdf_sha256
    return item


def test_it_collects_a_dossier_at_the_door_with_a_missing_document_and_three_pages(
        live_server, phone, demo, client, api_headers, tmp_path):
    number = book_for_today(demo, client, api_headers)
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier")
    stop = phone.locator("#pickups li", has_text=number)
    expect(stop).to_contain_text("08:00–10:00")
    expect(stop.locator(".badge")).to_have_text("Nhận hồ sơ")
    stop.scroll_into_view_if_needed()
    shot(phone, "1-round-pick-up-stop")
    stop.get_by_role("link", name=number).click()
    expect(phone.locator("#collection")).to_contain_text("Đăng ký khai sinh")
    shot(phone, "2-item-page")
    phone.check("input[name=present_1]")
    phone.check("input[name=present_2]")
    photos = page_photos(tmp_path)
    phone.set_input_files("#pages", [str(p) for p in photos[:2]])
    phone.set_input_files("#pages", str(photos[2]))  # one more sheet, photographed after
    expect(phone.locator("#pages-count")).to_have_text("3 ảnh trang")
    shot(phone, "3-pick-up-form-filled")
    phone.get_by_role("button", name=CONFIRM).click()
    expect(phone.locator("#brief .status")).to_contain_text("Bưu tá đã nhận hồ sơ",
                                                            timeout=DOOR_ANSWER_MS)
    shot(phone, "4-collected")
    item = read_back_the_dossier(demo, client, api_headers, number, photos)
    phone.goto(f"{live_server}/t/{item.tracking_token}")
    expect(phone.locator("#receipt")).to_contain_text("Thiếu")
    expect(phone.locator("#receipt-pages")).to_have_text("3")
    shot(phone, "5-citizen-receipt")
    receipt = phone.request.get(f"{live_server}/t/{item.tracking_token}/receipt.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    text = pypdfium2.PdfDocument(receipt.body())[0].get_textpage().get_text_range()
    assert "BIÊN NHẬN HỒ SƠ" in text and "Thiếu" in text and "15.000" in text


def test_it_keeps_the_pick_up_with_its_pages_on_the_phone_offline(
        live_server, phone, demo, client, api_headers, tmp_path):
    number = book_for_today(demo, client, api_headers)
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    phone.context.set_offline(True)
    phone.check("input[name=present_1]")
    phone.check("input[name=present_3]")
    photos = page_photos(tmp_path)
    phone.set_input_files("#pages", [str(p) for p in photos])
    phone.get_by_role("button", name=CONFIRM).click()
    expect(phone.locator("#door-queue [data-state=waiting]")).to_contain_text(SAVED)
    shot(phone, "6-offline-saved")
    assert stored_events(demo, "picked_up") == []
    phone.context.set_offline(False)
    phone.evaluate("window.courierDoor.sync()")
    expect(phone.locator("#door-queue [data-state=sent]")).to_have_count(1, timeout=DOOR_ANSWER_MS)
    _, rows, order = dossier_of(demo, number)
    assert len(stored_events(demo, "picked_up")) == 1 and len(rows) == 3
    assert '"missing": [2]' in stored_events(demo, "picked_up")[0].proof
    assert order.pages_pdf_sha256
