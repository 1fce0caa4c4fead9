"""The courier's scripts speak the page's language: their words come from the page (words.js),
English once the courier chooses it."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_it_says_the_scan_pages_messages_in_english_once_chosen(live_server, phone):
    log_in(phone, live_server, "courier")
    phone.goto(live_server + "/courier/scan")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.fill("#manual-number", "RR287043776IN")
    expect(phone.locator("#manual-check")).to_have_text("✗ Wrong check digit, retype")
    phone.fill("#manual-number", "RR287043775IN")
    expect(phone.locator("#manual-check")).to_have_text("✓ Valid number")
    phone.select_option("#mode", "bag")
    for _ in range(2):
        phone.fill("#manual-number", "RR287043775IN")
        phone.press("#manual-number", "Enter")
    expect(phone.locator("#scan-message")).to_have_text("Already scanned: RR287043775IN")
    expect(phone.locator("#camera-toggle")).to_have_text("Start camera")
