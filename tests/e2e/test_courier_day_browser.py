"""The courier's item page at 360 px in a real browser: what to know shows first, and a failed
delivery needs a reason and a confirmation (issue 18)."""

from datetime import datetime, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, Consignment
from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_courier_browser import create, stored_events


def ask_for_a_later_day(app, number) -> str:
    day = datetime.now(VIETNAM_TIME).date() + timedelta(days=3)
    with Session(app.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()
        item.requested_date = day
        db.add(item)
        db.commit()
    return f"{day:%d/%m}"


def test_it_shows_what_to_know_first_and_needs_a_reason_for_a_failure(
    live_server, phone, client, api_headers, demo
):
    number = create(client, api_headers, 1,
                    ["accepted", "arrived_delivery_office", "out_for_delivery"])
    day = ask_for_a_later_day(demo, number)
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    brief = phone.locator("#brief")
    expect(brief).to_contain_text("Thu hộ 22.000 đ")
    expect(brief).to_contain_text("Gọi trước khi giao")
    expect(brief).to_contain_text(day)
    assert brief.bounding_box()["y"] < phone.locator("#recipient").bounding_box()["y"]
    assert brief.bounding_box()["y"] + brief.bounding_box()["height"] < 740  # on the first screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    primary = phone.get_by_role("button", name="Xác nhận phát thành công")
    expect(primary).to_have_css("background-color", "rgb(11, 107, 46)")
    screenshot(phone, "courier-day-item")

    phone.get_by_text("Báo phát không thành công").click()
    expect(phone.locator("#reason")).to_have_value("")
    record = phone.get_by_role("button", name="Ghi phát không thành công")
    record.click()
    assert phone.locator("#reason").evaluate("el => el.validity.valueMissing")
    phone.select_option("#reason", "recipient_absent")
    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    record.click()
    expect(phone.locator("#reason")).to_have_value("recipient_absent")
    assert asked and "phát không thành công" in asked[0]
    assert stored_events(demo, "delivery_failed") == []
    phone.once("dialog", lambda dialog: dialog.accept())
    record.click()
    expect(phone.locator(".flash")).to_contain_text("Đã ghi")
    assert len(stored_events(demo, "delivery_failed")) == 1
