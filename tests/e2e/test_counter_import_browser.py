"""A counter import in a real browser at 1280 px: a good row, a bad row and a row whose old ward was
split, created in place with the ward the clerk picks."""

from playwright.sync_api import expect

from tests.delivery.test_importing import BAD, GOOD, csv_bytes
from tests.e2e.conftest import log_in, screenshot

SPLIT = '000.00.01.H26-250609-0005,Võ Minh Khoa,0903111222,"45 Kỳ Đồng, P.4, Q.3, TP HCM",,\n'


def test_it_imports_a_file_and_fixes_its_ambiguous_row_in_place(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/imports/new")
    page.set_input_files("input[type=file]", {"name": "ketqua.csv", "mimeType": "text/csv",
                                              "buffer": csv_bytes(GOOD[0], BAD, SPLIT)})
    page.click("main button[type=submit]")
    expect(page.locator("#import-state")).to_contain_text("Hoàn tất")
    bar = page.locator("#import-bar").bounding_box()
    card = page.locator("#import-progress").bounding_box()
    assert bar["width"] > 0.9 * card["width"] - 40  # full width of its card, not a stub
    assert page.eval_on_selector("#import-bar", "b => b.position") == 1
    expect(page.locator("#row-3")).to_contain_text("Lê Văn Cường")
    expect(page.locator("#row-3")).to_contain_text("Điện thoại di động")
    row = page.locator("#row-4")
    expect(row).to_contain_text("nhận một phần Phường 4, Quận 3")
    row.get_by_label("Phường Bàn Cờ", exact=False).check()
    screenshot(page, "counter-import-ambiguous")
    row.get_by_role("button").click()
    expect(page.locator(".flash")).to_contain_text("Dòng 4: đã tạo bưu gửi")
    created = page.locator("#import-created")
    expect(created).to_contain_text("Võ Minh Khoa")
    expect(created).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#print-created")).to_have_attribute("target", "_blank")
    screenshot(page, "counter-import-results")
    context.close()


def test_it_keeps_the_former_ward_of_a_split_candidate_on_the_new_item_form(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    page.fill("#dossier_code", "000.00.01.H26-250609-0031")
    page.fill("#name", "Võ Minh Khoa")
    page.fill("#phone", "0903111222")
    page.fill("#address", "45 Kỳ Đồng, P.4, Q.3, TP HCM")
    choices = page.locator("#address-candidates")
    expect(choices).to_contain_text("Phường Bàn Cờ, Thành phố Hồ Chí Minh (nhận một phần Phường 4, "
                                    "Quận 3)")
    choices.get_by_label("Phường Bàn Cờ", exact=False).check()
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo bưu gửi")
    expect(page.locator(".card").first).to_contain_text("Địa chỉ cũ: Phường 4, Quận 3")
    context.close()
