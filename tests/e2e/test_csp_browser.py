"""The Content-Security-Policy (no inline code) must not break any staff or citizen page: Chromium
reports every blocked script, style or request as a console error, and the pages' scripts must still
run."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in

STAFF_PAGES = ["/counter", "/counter/consignments/new", "/counter/manifests/new",
               "/counter/imports/new", "/print/batch", "/courier", "/courier/scan", "/staff/outbox",
               "/staff/requests", "/staff/audit"]


def violations_on(page, base, paths):
    seen = []
    page.on("console", lambda message: seen.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    return seen


def test_it_runs_every_staff_page_without_a_csp_violation(live_server, page):
    log_in(page, live_server, "supervisor")
    assert violations_on(page, live_server, STAFF_PAGES) == []


def test_it_still_runs_the_counters_address_check_under_the_policy(live_server, page):
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    page.fill("#address",
              "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội")
    expect(page.locator("#address-check")).to_contain_text("Phường Hoàn Kiếm")


def test_it_shows_the_citizen_pages_without_a_csp_violation(live_server, page):
    assert violations_on(page, live_server, ["/login", "/t", "/t?lang=en"]) == []
