"""One language at a time, in a real browser: a clerk switches their pages to English and back."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot


def test_it_switches_a_clerks_pages_to_english_and_back(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    expect(page.locator("header")).to_contain_text("Tạo bưu gửi")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server + "/counter/consignments/new")
    expect(page.locator("header")).to_contain_text("New item")
    expect(page.locator("header")).not_to_contain_text("Tạo bưu gửi")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "counter-english")
    page.goto(live_server + "/counter")  # the choice stays for the next pages
    expect(page.locator("header")).to_contain_text("Print labels")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("header")).to_contain_text("In nhãn")
    context.close()


def test_it_lets_a_courier_read_the_phone_pages_in_english(live_server, phone):
    log_in(phone, live_server, "courier")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("header")).to_contain_text("Today's round")
    expect(phone.locator("main h1").first).to_contain_text("Out for delivery")
    expect(phone.locator("main")).not_to_contain_text("Đang đi phát")
