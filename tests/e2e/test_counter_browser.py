"""Counter staff in a real browser: the live address check, choosing a ward, and a handover."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot


def fill_recipient(page, dossier_number: int) -> None:
    page.fill("#dossier_code", f"000.00.01.H26-250609-{dossier_number:04d}")
    page.fill("#name", "Nguyễn Thị Hồng Nhung")
    page.fill("#phone", "0901234567")


def test_it_checks_the_address_while_the_clerk_types(live_server, page):
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    fill_recipient(page, 11)
    page.fill("#address",
              "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội")
    expect(page.locator("#address-check")).to_contain_text(
        "Phường Hoàn Kiếm, Thành phố Hà Nội")
    screenshot(page, "counter-new-consignment")
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo bưu gửi")
    expect(page.locator(".card").first).to_contain_text("Bưu cục phát Hoàn Kiếm")
    screenshot(page, "counter-consignment")


def test_it_tells_the_clerk_an_address_pasted_in_tcvn3_was_converted(live_server, page):
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    fill_recipient(page, 12)
    page.fill("#address", "Sè 12 Lý Th¸i Tæ, Ph\xadêng Lý Th¸i Tæ, QuËn Hoµn KiÕm, Hµ Néi")
    expect(page.locator("#address-check")).to_contain_text("Phường Hoàn Kiếm, Thành phố Hà Nội")
    expect(page.locator("#address-check")).to_contain_text("đã chuyển mã TCVN3 sang Unicode")
    screenshot(page, "counter-address-tcvn3")
    page.click("main button[type=submit]")
    expect(page.locator(".flash").last).to_contain_text("Đã chuyển mã TCVN3 sang Unicode")


def test_it_lets_the_clerk_choose_among_candidate_wards(live_server, page):
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    fill_recipient(page, 12)
    page.fill("#address", "so 5 duong nguyen trai, phuong dong an, tp di an, binh duong")
    expect(page.locator("#address-check")).to_contain_text("hãy chọn")
    page.get_by_label("Phường Dĩ An, Thành phố Hồ Chí Minh").check()
    screenshot(page, "counter-address-candidates")
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo bưu gửi")
    expect(page.locator(".card").first).to_contain_text("Bưu cục phát Dĩ An")
    expect(page.locator(".card").first).to_contain_text("phuong dong an, tp di an, binh duong")


def test_it_hands_over_a_manifest_in_the_browser(live_server, page, client, api_headers):
    from tests.payloads import intake_body

    for i in (21, 22):
        client.post("/api/v1/consignments", json=intake_body(i), headers=api_headers)
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/manifests/new")
    page.check("#select-all")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("BK")
    page.fill("#agency_signatory", "Lê Văn Cán Bộ")
    page.fill("#received_by", "Bưu tá Hòa")
    screenshot(page, "counter-manifest")
    page.click("text=Xác nhận bàn giao")
    expect(page.locator(".flash")).to_contain_text("Đã bàn giao 2 bưu gửi")


def test_it_shows_a_corrected_ward_name_for_the_clerk_to_confirm(live_server, page):
    log_in(page, live_server, "counter")
    page.goto(live_server + "/counter/consignments/new")
    fill_recipient(page, 13)
    page.fill("#address", "Số 3 Lê Lợi, Phường Bến Ngé, Quận 1, TP HCM")
    expect(page.locator("#address-check")).to_contain_text(
        "Đã sửa: Phường Bến Ngé → Phường Bến Nghé?")
    page.get_by_label("Phường Sài Gòn, Thành phố Hồ Chí Minh").check()
    screenshot(page, "counter-address-correction")
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã tạo bưu gửi")
