"""Money at the door on a 360 px phone: the VietQR shown on demand decodes (zxing-cpp) to a
payload whose CRC holds, under the strict CSP; a transfer recorded shows in the day's total."""

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session, select

from delivery.models import Agency
from labels.vietqr import crc_holds
from tests.e2e.conftest import DOOR_ANSWER_MS, log_in, screenshot
from tests.e2e.test_courier_browser import create


def with_account(app) -> None:
    with Session(app.extensions["db_engine"]) as db:
        for agency in db.exec(select(Agency)).all():
            agency.payment_bank_bin, agency.payment_account = "970436", "0011004123456"
            agency.payment_account_name = "TRUNG TAM PHUC VU HANH CHINH CONG"
            db.add(agency)
        db.commit()


def test_it_shows_a_vietqr_that_decodes_with_its_crc(live_server, phone, client, api_headers,
                                                     demo):
    with_account(demo)
    number = create(client, api_headers, 1, ["accepted", "arrived_delivery_office",
                                             "out_for_delivery"])
    blocked = []
    phone.on("console", lambda m: blocked.append(m.text)
             if "Content Security Policy" in m.text else None)
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    expect(phone.locator("#money")).to_contain_text("22.000 đ")
    expect(phone.locator("svg.vietqr")).to_be_hidden()
    phone.get_by_text("Hiện mã VietQR").click()
    qr = phone.locator("svg.vietqr")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] <= 360
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert crc_holds(result.text) and number in result.text and "540522000" in result.text
    phone.locator("#money").scroll_into_view_if_needed()
    screenshot(phone, "courier-vietqr")
    assert blocked == []


def test_it_records_a_transfer_and_shows_the_days_total(live_server, phone, client, api_headers):
    number = create(client, api_headers, 1, ["accepted", "arrived_delivery_office",
                                             "out_for_delivery"])
    log_in(phone, live_server, "courier")
    phone.goto(f"{live_server}/courier/items/{number}")
    expect(phone.locator("#collected_vnd")).to_have_value("22000")
    phone.fill("#received_by", "Nguyễn Văn An")
    phone.fill("#id_last4", "2345")
    phone.check("input[name=payment_method][value=transfer]")
    delivery_form = phone.locator("form", has=phone.locator("#collected_vnd"))
    delivery_form.locator("button[type=submit]").click()
    # the form is sent by static/js/courier/door.js, which then shows the item page again
    expect(phone.locator(".flash")).to_contain_text("Đã ghi", timeout=DOOR_ANSWER_MS)
    phone.goto(f"{live_server}/courier")
    expect(phone.locator("#money-today")).to_contain_text("Chuyển khoản: 22.000 đ")
    screenshot(phone, "courier-money-today")
