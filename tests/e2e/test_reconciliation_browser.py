"""The office's cash reconciliation at 1280 px: two couriers deliver through the courier's form,
one collects less than due; the supervisor sees the difference flagged in words, downloads the
XLSX and signs the day off."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlmodel import Session

from delivery.accounts import create_user
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_courier_browser import create
from tests.web.test_courier_money import deliver
from tests.web.test_pages import csrf_of, login

OUT = ["accepted", "arrived_delivery_office", "out_for_delivery"]


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  accept_downloads=True)
    yield context.new_page()
    context.close()


def two_couriers_deliver(app, client, headers) -> str:
    """"courier" collects in full (cash and transfer); "courier-b" collects 20.000 of 22.000 đ.
    Returns the short item's number."""
    with Session(app.extensions["db_engine"]) as db:
        create_user(db, "courier-b", PASSWORD, "courier", "100100")
        db.commit()
    numbers = [create(client, headers, n, OUT) for n in (1, 2, 3)]
    for username, number, money in (("courier", numbers[0], ("22000", "cash")),
                                    ("courier", numbers[1], ("22.000", "transfer")),
                                    ("courier-b", numbers[2], ("20000", "cash"))):
        login(client, username)
        deliver(client, number, collected_vnd=money[0], payment_method=money[1])
        client.post("/logout", data={"csrf_token": csrf_of(client.get("/courier").data)})
    return numbers[2]


def test_it_flags_a_difference_exports_it_and_signs_off(live_server, desk, client, api_headers,
                                                        demo):
    short = two_couriers_deliver(demo, client, api_headers)
    log_in(desk, live_server, "supervisor")
    desk.get_by_role("link", name="Đối soát thu hộ").click()
    expect(desk.locator("h1")).to_contain_text("Đối soát thu hộ")
    off = desk.locator("section.courier", has_text="courier-b")
    expect(off).to_contain_text("-2.000 đ (thiếu)")
    expect(off.locator("tr.off")).to_contain_text(short)
    expect(off.locator("tr.off")).to_contain_text("Số tiền thu khác số phải thu")
    expect(desk.locator("section.courier", has_text="courier").first).to_contain_text("Khớp")
    with desk.expect_download() as download:
        desk.click("#export-xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [r[1].value for r in sheet.iter_rows(min_row=3)].count("Cộng / Total") == 3
    desk.fill("#r-note", "Bưu tá courier-b nộp thiếu 2.000 đ, nộp bổ sung ngày mai")
    desk.get_by_role("button", name="Ký xác nhận", exact=True).click()
    expect(desk.locator("#signoff")).to_contain_text("Đã ký xác nhận bởi supervisor")
    assert desk.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(desk, "reconciliation")


def test_it_fits_a_phone_with_the_difference_flagged(live_server, phone, client, api_headers,
                                                     demo):
    short = two_couriers_deliver(demo, client, api_headers)
    log_in(phone, live_server, "supervisor")
    phone.goto(f"{live_server}/staff/reconciliation")
    expect(phone.locator("section.courier tr.off")).to_contain_text(short)
    # the item tables scroll inside their cards; the page itself stays phone-wide
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "reconciliation-phone")
