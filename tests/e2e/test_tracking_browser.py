"""The citizen's tracking page on a phone in a real browser: both languages, and a request sent from
the page."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.web.public_helpers import create_item, move


def test_it_shows_the_status_and_the_history_in_vietnamese_on_a_phone(
    live_server, phone, client, api_headers
):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    phone.goto(f"{live_server}/t/{token}")
    expect(phone.locator("#status")).to_have_text("Đang đi phát")
    expect(phone.locator("#eta")).to_have_text("Hôm nay")
    expect(phone.locator("li[aria-current=step]")).to_have_text("Đang đi phát")
    # nothing wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "tracking-vi")


def test_it_switches_to_english_and_shows_where_to_collect_a_held_item(
    live_server, phone, client, api_headers
):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "held_for_pickup")
    phone.goto(f"{live_server}/t/{token}")
    phone.click("a[hreflang=en]")
    expect(phone.locator("#status")).to_have_text("Waiting for pick-up at the post office")
    expect(phone.locator("#pickup")).to_contain_text("75 Đinh Tiên Hoàng")
    expect(phone.locator("#pickup h2")).to_have_text("Where to collect it")
    expect(phone.locator("#pickup")).to_contain_text("Opening hours")
    expect(phone.locator("main")).not_to_contain_text("Giờ mở cửa")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    screenshot(phone, "tracking-en-held")


def test_it_records_a_request_to_collect_at_the_office_from_the_page(
    live_server, phone, client, api_headers
):
    _, token = create_item(client, api_headers)
    phone.goto(f"{live_server}/t/{token}")
    phone.click("#requests form:nth-of-type(2) button")
    expect(phone.locator(".flash")).to_contain_text("Đã ghi nhận yêu cầu")
    expect(phone.locator("#requests")).to_contain_text("Ông/Bà sẽ nhận tại bưu cục")
    phone.reload()  # the message was for one visit; the page itself now says it for everyone
    expect(phone.locator(".flash")).to_have_count(0)
    expect(phone.locator("#requests")).to_contain_text("Ông/Bà sẽ nhận tại bưu cục")


def test_it_rates_a_delivered_item_from_the_page_and_changes_the_rating(
    live_server, phone, client, api_headers
):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivered")
    phone.goto(f"{live_server}/t/{token}")
    rating = phone.locator("#rating")
    expect(rating).to_contain_text("Mời quý khách cho biết mức độ hài lòng")
    rating.locator("input[name=stars][value='2']").check()
    phone.fill("#rating-comment", "Bưu tá không gọi trước khi đến")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "tracking-rating")
    rating.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("Cảm ơn quý khách đã đánh giá")
    expect(phone.locator("#rating-given")).to_contain_text("2/5")
    expect(phone.locator("#rating-comment")).to_have_value("Bưu tá không gọi trước khi đến")
    # changed within the week: the same form, the stars chosen again
    phone.locator("#rating input[name=stars][value='4']").check()
    phone.locator("#rating button[type=submit]").click()
    expect(phone.locator("#rating-given")).to_contain_text("4/5")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "tracking-rating-given")


def test_it_takes_a_citizen_from_the_labels_qr_to_the_page_with_the_number_filled_in(
    live_server, phone, client, api_headers
):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivery_failed")
    phone.goto(f"{live_server}/courier/items/{number}")  # what the label's QR opens
    expect(phone.locator("#tracking_number")).to_have_value(number)
    expect(phone.locator("#staff-login a")).to_have_attribute(
        "href", f"/login?next=/courier/items/{number}")
    screenshot(phone, "tracking-lookup-from-label")
    phone.fill("#phone_last4", "5678")
    phone.click("button[type=submit]")
    expect(phone.locator("#status")).to_have_text("Phát không thành công")
    expect(phone.locator("#status")).to_have_class("status tone-problem")
    screenshot(phone, "tracking-attempt-failed")


def test_it_greets_a_visitor_of_the_site_with_the_lookup(live_server, phone):
    phone.goto(live_server + "/")
    expect(phone.locator("h1")).to_have_text("Tra cứu bưu gửi")
    phone.click("#staff-login a")
    expect(phone).to_have_url(f"{live_server}/login")


def test_it_lets_the_citizen_choose_zalo_and_shows_the_choice_after_a_reload(
    live_server, phone, client, api_headers, demo
):
    from tracking.zalo_zns import ZaloSettings

    _, token = create_item(client, api_headers)
    demo.config["ZALO"] = ZaloSettings("zalo-app", "zalo-secret", template_ids={})
    phone.goto(f"{live_server}/t/{token}")
    phone.check("form.channel input[value=zns]")
    phone.click("form.channel button")
    expect(phone.locator(".flash")).to_contain_text("Đã ghi nhận yêu cầu")
    phone.reload()  # the cached page, for everyone
    expect(phone.locator("form.channel")).to_contain_text("Ông/Bà đã chọn Zalo")
    expect(phone.locator("form.channel input[value=zns]")).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
