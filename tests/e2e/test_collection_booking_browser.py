"""Booking a collection in a real browser: counter staff at a desk (1280 px), a citizen on a phone
(360 px) confirming with the code texted to them."""

from datetime import datetime, timedelta

from playwright.sync_api import expect

from delivery.models import VIETNAM_TIME
from tests.e2e.conftest import log_in, screenshot

TOMORROW = (datetime.now(VIETNAM_TIME) + timedelta(days=1)).date().isoformat()
ADDRESS = "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội"


def fill_booking(page) -> None:
    page.fill("#procedure", "Đăng ký khai sinh")
    page.fill("#name", "Trần Thị Bình")
    page.fill("#phone", "0987654321")
    page.fill("#address", ADDRESS)
    page.fill("#window_date", TOMORROW)
    page.fill("#window_from", "08:00")
    page.fill("#window_to", "10:00")
    names = page.locator('input[name="doc_name"]')
    names.nth(0).fill("Tờ khai đăng ký khai sinh")
    names.nth(1).fill("Giấy chứng sinh")
    page.locator('input[name="doc_copies"]').nth(1).fill("2")


def test_it_books_a_collection_at_the_counter(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, "counter")
    page.get_by_role("link", name="Thu gom hồ sơ", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Đặt lịch thu gom hồ sơ")
    fill_booking(page)
    page.fill("#window_to", "23:00")
    for _ in range(2):  # more rows than the form's eight
        page.click("#add-document")
    page.locator('input[name="doc_name"]').nth(9).fill("Giấy ủy quyền")
    page.select_option("#payer", "citizen")
    page.fill("#amount_vnd", "15.000")
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Khung giờ:")
    expect(page.locator('input[name="doc_name"]').nth(9)).to_have_value("Giấy ủy quyền")
    screenshot(page, "counter-collection-error")
    page.fill("#window_to", "10:00")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Thu gom hồ sơ")
    expect(page.locator("#checklist")).to_contain_text("Giấy ủy quyền")
    expect(page.locator("#window")).to_contain_text("08:00-10:00")
    expect(page.locator("#payment")).to_contain_text("15.000")
    screenshot(page, "counter-collection")
    label = page.request.get(live_server + page.locator("#view-label").get_attribute("href"))
    assert label.ok and label.body().startswith(b"%PDF")
    context.close()


def test_it_lets_a_citizen_book_on_a_phone_with_the_texted_code(live_server, phone, demo):
    from tests.stand_ins import SmsGateway

    with SmsGateway() as gateway:
        demo.config.update(SMS_GATEWAY="http", SMS_HTTP_URL=gateway.url,
                           SMS_HTTP_TOKEN=gateway.token)
        phone.goto(live_server + "/")
        phone.click("#collect-link a")
        phone.select_option("#agency_code", "000.00.01.H26")
        fill_booking(phone)
        screenshot(phone, "citizen-collection-form")
        phone.click("#collect-form button[type=submit]")
        expect(phone.locator("h1")).to_contain_text("Nhập mã OTP")
        code = gateway.otp_for("+84987654321")
        phone.fill("#code", "000000" if code != "000000" else "111111")
        phone.click("#code-form button[type=submit]")
        expect(phone.locator("#code-refused")).to_contain_text("Còn 4 lần thử")
        screenshot(phone, "citizen-collection-wrong-code")
        phone.fill("#code", code)
        phone.click("#code-form button[type=submit]")
        expect(phone.locator("h1")).to_contain_text("Đã đặt lịch thu gom")
        expect(phone.locator("#booked")).to_contain_text("08:00-10:00")
        screenshot(phone, "citizen-collection-booked")
        phone.click("#tracking-link")
        expect(phone.locator("body")).to_contain_text("RR")
        screenshot(phone, "citizen-collection-tracking")


def test_it_receives_the_dossier_at_the_counter_with_its_pages(live_server, browser):
    from tests.web.door_helpers import page_jpeg

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, "counter")
    page.get_by_role("link", name="Thu gom hồ sơ", exact=True).click()
    fill_booking(page)
    page.click("main button[type=submit]")
    expect(page.locator("#pickup-form h2")).to_contain_text("Nhận hồ sơ tại quầy")
    page.check('input[name="present_1"]')  # the second document is missing
    page.set_input_files("#pages", [
        {"name": f"trang-{n}.jpg", "mimeType": "image/jpeg", "buffer": page_jpeg(n)}
        for n in (1, 2)])
    expect(page.locator("#pages-count")).to_contain_text("2 ảnh trang")
    screenshot(page, "counter-collection-receive")
    page.click("#pickup-form button[type=submit]")
    expect(page.locator(".status")).to_contain_text("Bưu điện đã nhận hồ sơ tại quầy")
    expect(page.locator("#pickup-form")).to_have_count(0)
    number = page.locator("h1 .mono").inner_text()
    pdf = page.request.get(f"{live_server}/api/v1/consignments/{number}/pages.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    context.close()


def test_it_shows_a_citizen_the_booking_form_in_english(live_server, phone):
    phone.goto(live_server + "/t?lang=en")
    phone.click("#collect-link a")  # the cookie keeps the choice on the next page
    expect(phone.locator("h1")).to_have_text("Have the post collect your dossier at home")
    expect(phone.locator("label[for=name]")).to_have_text("Full name")
    expect(phone.locator("main")).not_to_contain_text("Họ và tên")
