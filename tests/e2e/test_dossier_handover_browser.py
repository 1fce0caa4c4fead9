"""Collected dossiers in a real browser (1280 px): a transfer from the collecting office's counter
to the counter serving the agency with one scan of the manifest, the agency's officer taking them
the same way, the agency's receipt, then the result booked back to the same citizen and both legs
on the citizen's tracking page (360 px)."""


import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot
from tests.payloads import collection_body, intake_body, scan_body
from tests.web.test_counter_dossiers import SHOP_CLERK, add_shop_clerk

CITIZEN = {"name": "Trần Thị Bình", "phone": "0987654321", "national_id": "001190012345"}


def shot(page, name: str) -> None:
    """Kept for the docs when SCREENSHOTS_DIR is set (README's handover images)."""
    screenshot(page, f"handover-{name}")


@pytest.fixture
def desk(browser):
    """A counter clerk's screen."""
    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        contexts.append(context)
        return context.new_page()
    contexts = []
    yield new
    for context in contexts:
        context.close()


def collected(client, headers):
    items = []
    for n in (1, 2):
        item = client.post("/api/v1/collections", json=collection_body(n),
                           headers=headers).get_json()
        client.post("/api/v1/scans", json=scan_body(item["tracking_number"], "picked_up"),
                    headers=headers)
        items.append(item)
    return items


def manifest_number(page):
    return page.locator("h1 .mono").inner_text().strip()


def send_transfer(shop, base, numbers):
    """The collecting office's clerk puts the dossiers on a transfer and sends it; its number."""
    log_in(shop, base, SHOP_CLERK)
    shop.goto(base + "/counter/dossier-manifests/new?kind=transfer")
    for number in numbers:
        shop.get_by_label(number).check()
    shop.select_option("#to_office_code", "100000")
    shot(shop, "1-transfer-new")
    shop.click("main form[method=post] button[type=submit]")
    transfer = manifest_number(shop)
    shop.get_by_role("button", name="Gửi đi tất cả").click()
    expect(shop.locator(".flash").last).to_contain_text("Đã gửi đi 2 hồ sơ")
    expect(shop.locator("#manifest-state")).to_contain_text("Đang chuyển")
    shot(shop, "2-transfer-dispatched")
    return transfer


def receive_and_hand_to_agency(counter, base, transfer):
    """The agency's counter takes the transfer with one scan, then hands all to the officer."""
    log_in(counter, base, "counter")
    counter.goto(base + "/counter/manifests/scan")
    counter.fill("#number", transfer)
    counter.keyboard.press("Enter")
    expect(counter.locator(".flash").last).to_contain_text("Đã nhận 2 hồ sơ")
    expect(counter.locator("table")).to_contain_text("Đã đến bưu cục bàn giao cơ quan")
    shot(counter, "3-transfer-received")
    counter.goto(base + "/counter/dossier-manifests/new")
    counter.locator("#select-all").check()
    counter.click("main form[method=post] button[type=submit]")
    to_agency = manifest_number(counter)
    shot(counter, "4-to-agency-manifest")
    counter.goto(base + "/counter/manifests/scan")
    counter.fill("#number", to_agency)
    counter.fill("#agency_signatory", "Lê Văn Cường")
    counter.click("main button[type=submit]")
    expect(counter.locator("#manifest-state")).to_contain_text("Lê Văn Cường")
    shot(counter, "5-handed-to-agency")


def book_result_back(client, headers, number):
    """The agency's receipt, then the result on the same dossier code, accepted by the post."""
    assert client.post(f"/api/v1/consignments/{number}/agency-receipt",
                       json={"receipt_number": "BN-2026-001234",
                             "appointment_date": "2027-01-05"},
                       headers=headers).status_code == 201
    result = client.post("/api/v1/consignments", json=intake_body(1, recipient=CITIZEN),
                         headers=headers).get_json()
    client.post("/api/v1/scans", json=scan_body(result["tracking_number"], "accepted"),
                headers=headers)
    return result


def test_it_carries_dossiers_to_the_agency_and_shows_both_legs(live_server, desk, phone, client,
                                                               api_headers, demo):
    add_shop_clerk(demo)
    items = collected(client, api_headers)
    numbers = [i["tracking_number"] for i in items]
    transfer = send_transfer(desk(), live_server, numbers)
    receive_and_hand_to_agency(desk(), live_server, transfer)
    result = book_result_back(client, api_headers, numbers[0])

    phone.goto(items[0]["tracking_url"])
    expect(phone.locator("#other-leg")).to_contain_text("Kết quả trả về")
    expect(phone.locator("#other-leg")).to_contain_text(result["tracking_number"])
    expect(phone.locator("#this-leg")).to_contain_text("Hồ sơ gửi đi")
    shot(phone, "6-citizen-collection-page-360")
    phone.goto(result["tracking_url"])
    expect(phone.locator("#other-leg")).to_contain_text("Hồ sơ gửi đi")
    expect(phone.locator("#other-leg")).to_contain_text("Đã bàn giao")
    shot(phone, "7-citizen-result-page-360")

    supervisor = desk()
    log_in(supervisor, live_server, "supervisor")
    supervisor.goto(live_server + f"/staff/custody/{numbers[0]}")
    expect(supervisor.locator("#custody-ok")).to_be_visible()
    expect(supervisor.locator("#custody")).to_contain_text("Lê Văn Cường")
    shot(supervisor, "8-custody")
