"""The admin's directory pages in a real browser at a desktop width: an admin creates a delivery
office and picks its wards with the picker's filter (typed without diacritics)."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from delivery.accounts import create_user
from delivery.directory import find_office
from delivery.served import served_wards
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot

BA_DINH, NGOC_HA = 4, 8  # GSO codes of two Hà Nội wards no demo office serves


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def create_office(page, base: str) -> None:
    log_in(page, base, "admin")
    page.click('header >> text="Bưu cục"')
    screenshot(page, "admin-offices")
    page.click("text=+ Thêm bưu cục")
    page.fill("#code", "100200")
    page.fill("#name", "Bưu cục phát Ba Đình")
    page.select_option("#kind", "delivery_office")
    page.select_option("#province", label="Thành phố Hà Nội")
    page.fill("#hours", "7:30-17:00, thứ Hai - thứ Bảy")
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo bưu cục 100200")


def pick(page, typed: str, ward: int) -> None:
    page.fill("#ward-filter", typed)
    box = page.locator(f'input[name="ward"][value="{ward}"]')
    expect(box).to_be_visible()
    box.check()


def test_it_lets_an_admin_create_a_delivery_office_and_pick_its_wards(live_server, demo, desktop):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    page = desktop
    blocked = []  # the policy forbids inline code: the picker's script must be a file
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    create_office(page, live_server)
    taken = page.locator('label.ward:has(input[value="70"])')  # Hoàn Kiếm: the demo's 100100
    expect(taken).to_contain_text("100100")
    expect(taken.locator("input")).to_be_disabled()

    pick(page, "ba dinh", BA_DINH)
    expect(page.locator("label.ward:visible")).to_have_count(1)
    pick(page, "ngoc ha", NGOC_HA)
    expect(page.locator("[data-picked-count]")).to_have_text("2")
    screenshot(page, "admin-office-ward-picker")
    page.click("text=Lưu phường xã")

    expect(page.locator(".flash")).to_contain_text("Đã lưu bưu cục 100200")
    expect(page.locator(f'input[name="ward"][value="{BA_DINH}"]')).to_be_checked()
    screenshot(page, "admin-office-saved")
    with Session(demo.extensions["db_engine"]) as db:
        assert served_wards(db, find_office(db, "100200")) == (BA_DINH, NGOC_HA)
    assert blocked == []
