"""The admin's staff pages in a real browser: an admin creates a courier, the courier logs in on a
phone."""

from playwright.sync_api import expect
from sqlmodel import Session

from delivery.accounts import create_user
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot

COURIER_PASSWORD = "buu-ta-moi-2026"
OFFICE = "100100 · Bưu cục phát Hoàn Kiếm"


def fill_new_courier(page, repeated: str) -> None:
    page.fill("#username", "hoa.nt")
    page.select_option("#role", "courier")
    page.select_option("#office", label=OFFICE)
    page.fill("#password", COURIER_PASSWORD)
    page.fill("#password_again", repeated)
    page.click("main button[type=submit]")


def create_courier(page, base: str) -> None:
    """As the admin: a first try with the password typed differently, then the right one."""
    log_in(page, base, "admin")
    page.click('header >> text="Nhân viên"')
    page.click("text=+ Tạo tài khoản")
    fill_new_courier(page, "typed-differently")
    expect(page.locator("#password_again-error")).to_contain_text("không khớp")
    expect(page.locator("#username")).to_have_value("hoa.nt")  # kept after the error
    screenshot(page, "admin-new-user-error")
    page.fill("#password", COURIER_PASSWORD)
    page.fill("#password_again", COURIER_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo tài khoản hoa.nt")


def test_it_lets_an_admin_create_a_courier_who_then_logs_in(live_server, demo, page, phone):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    create_courier(page, live_server)
    expect(page.locator("tr", has_text="hoa.nt")).to_contain_text("Bưu tá")
    screenshot(page, "admin-staff-list")
    page.locator("tr", has_text="hoa.nt").get_by_role("link").click()
    expect(page.locator("#office")).to_have_value("100100")
    screenshot(page, "admin-edit-user")

    phone.goto(live_server + "/login")
    phone.fill("#username", "hoa.nt")
    phone.fill("#password", COURIER_PASSWORD)
    phone.click("main button[type=submit]")
    expect(phone).to_have_url(live_server + "/courier")
    expect(phone.locator("header")).to_contain_text("hoa.nt")
    screenshot(phone, "courier-first-login")


def test_it_shows_an_admin_the_staff_pages_in_english(live_server, demo, page):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    log_in(page, live_server, "admin")
    page.goto(live_server + "/staff/users")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server + "/staff/users")
    expect(page.locator("main")).to_contain_text("Counter staff")
    expect(page.locator("main")).not_to_contain_text("Nhân viên quầy")
    page.click("text=+ New account")
    fill_new_courier(page, "typed-differently")
    expect(page.locator(".flash")).to_contain_text("Not created:")
    expect(page.locator("#password_again-error")).to_have_text("the two entries differ")
    screenshot(page, "admin-new-user-error-english")
