"""The courier's day on the item page and the round: what to know first, safe buttons, and the
day the citizen asked for (issue 18)."""

from datetime import datetime, timedelta

from sqlmodel import select

from delivery.access import EVERYTHING
from delivery.lookup import get_consignment
from delivery.models import VIETNAM_TIME
from tests.payloads import intake_body, scan_body
from tests.web.test_pages import csrf_of, login
from tracking.models import Outbox


def item(client, headers, events, number=1):
    tracking_number = client.post("/api/v1/consignments", json=intake_body(number),
                                  headers=headers).get_json()["tracking_number"]
    for event in events:
        client.post("/api/v1/scans", json=scan_body(tracking_number, event), headers=headers)
    return tracking_number


def asked_for(session, number, days_ahead=3):
    day = datetime.now(VIETNAM_TIME).date() + timedelta(days=days_ahead)
    consignment = get_consignment(session, number, EVERYTHING)
    consignment.requested_date, consignment.delivery_instructions = day, "Cổng sau"
    session.commit()
    return day


def test_it_shows_first_what_to_collect_the_clerks_note_and_the_citizens_requests(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    day = asked_for(session, number)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    first = page[:page.index('id="recipient"')]
    assert "Thu hộ 22.000 đ</strong> · người nhận trả" in first
    assert "Gọi trước khi giao" in first and "Cổng sau" in first
    assert f"<strong>{day:%d/%m}</strong>" in first and day.isoformat() not in page


def test_it_says_which_proof_the_door_needs(demo, client, api_headers):
    demo.config["DELIVERY_OTP_REQUIRED"] = True
    number = item(client, api_headers, ["accepted", "arrived_delivery_office", "out_for_delivery"])
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    proof = page[page.index('class="proof"'):page.index('id="recipient"')]
    assert "mã OTP" in proof and "4 số cuối CCCD của người nhận" in proof
    assert "giấy ủy quyền" in proof


def test_it_offers_the_delivery_first_and_a_failure_with_no_reason_chosen(
    demo, client, api_headers
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office", "out_for_delivery"])
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    delivered = page.index('class="success">Xác nhận phát thành công')
    assert delivered < page.index("Báo phát không thành công")
    assert '<select id="reason" name="reason" required><option value="" selected>' in page
    assert page.count(" selected>") == 1


def test_it_asks_before_a_failure_or_a_return_is_recorded(demo, client, api_headers):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office", "out_for_delivery",
                                        "delivery_failed"])
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert 'data-confirm="Chuyển hoàn' in page and 'class="danger-outline"' in page
    assert '<details class="card step" id="step-return">' in page
    assert "js/courier/confirm.js" in page


def test_it_refuses_a_failure_without_a_reason(demo, client, api_headers):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office", "out_for_delivery"])
    login(client, "courier")
    token = csrf_of(client.get(f"/courier/items/{number}").data)
    shown = client.post(f"/courier/items/{number}/scan", follow_redirects=True, data={
        "csrf_token": token, "event": "delivery_failed", "reason": ""}).get_data(as_text=True)
    assert "Không ghi được" in shown and "cần lý do" in shown
    assert client.get(f"/api/v1/consignments/{number}",
                      headers=api_headers).get_json()["status"] == "out_for_delivery"


def test_it_lists_an_item_asked_for_later_apart_from_the_round(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    day = asked_for(session, number)
    login(client, "courier")
    page = client.get("/courier").get_data(as_text=True)
    later = page[page.index('id="later"'):]
    assert number in later and f"<strong>{day:%d/%m}</strong>" in later
    assert number not in page[:page.index('id="later"')]


def test_it_asks_the_courier_why_an_item_goes_out_before_the_requested_date(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    asked_for(session, number)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert '<textarea id="early-note" name="note" maxlength="500" required>' in page
    shown = client.post(f"/courier/items/{number}/scan", follow_redirects=True, data={
        "csrf_token": csrf_of(page.encode()), "event": "out_for_delivery"}).get_data(as_text=True)
    assert "Không ghi được" in shown and "đi phát sớm hơn cần ghi lý do" in shown


def test_it_shows_the_supervisor_why_an_item_went_out_early(demo, client, api_headers, session):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    asked_for(session, number)
    login(client, "courier")
    token = csrf_of(client.get(f"/courier/items/{number}").data)
    client.post(f"/courier/items/{number}/scan", data={
        "csrf_token": token, "event": "out_for_delivery", "note": "Người nhận gọi xin nhận sớm"})
    supervisor = demo.test_client()
    login(supervisor, "supervisor")
    page = supervisor.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert "⚠ Đi phát trước ngày người nhận hẹn: Người nhận gọi xin nhận sớm" in page


def test_it_answers_an_early_scan_without_a_reason_with_a_422_naming_it(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    asked_for(session, number)
    answer = client.post("/api/v1/scans", json=scan_body(number, "out_for_delivery"),
                         headers=api_headers)
    assert answer.status_code == 422 and "cần ghi lý do" in answer.get_json()["errors"]["note"]


def test_it_makes_taking_the_item_out_the_primary_action_at_the_office(demo, client, api_headers):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert 'class="success">Nhận bưu gửi đi phát</button>' in page
    assert 'class="secondary">Lưu tại bưu cục chờ nhận' in page and "early-note" not in page


def will_collect(session, number):
    get_consignment(session, number, EVERYTHING).pickup_requested = True
    session.commit()


def test_it_lists_an_item_the_citizen_will_collect_to_hold_not_to_take_out(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    will_collect(session, number)
    login(client, "courier")
    page = client.get("/courier").get_data(as_text=True)
    assert number in page[page.index('id="to-hold"'):page.index('id="later"')]
    assert number not in page[:page.index('id="to-hold"')]


def test_it_makes_holding_for_pick_up_the_primary_action_when_the_citizen_will_collect(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    will_collect(session, number)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert 'class="success">Lưu tại bưu cục chờ nhận' in page
    assert "Lý do vẫn đi phát (bắt buộc)" in page


def test_it_holds_the_item_for_pick_up_from_the_courier_page_and_texts_the_code(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    will_collect(session, number)
    login(client, "courier")
    token = csrf_of(client.get(f"/courier/items/{number}").data)
    client.post(f"/courier/items/{number}/scan", data={"csrf_token": token,
                                                       "event": "held_for_pickup"})
    assert client.get(f"/api/v1/consignments/{number}",
                      headers=api_headers).get_json()["status"] == "held_for_pickup"
    held = get_consignment(session, number, EVERYTHING)
    texts = session.exec(select(Outbox.dedupe_key).where(Outbox.kind == "sms")).all()
    assert len([key for key in texts if key != f"sms:{held.id}:created"]) == 1  # the code's SMS


def test_it_asks_why_an_item_the_citizen_will_collect_is_sent_out(
    demo, client, api_headers, session
):
    number = item(client, api_headers, ["accepted", "arrived_delivery_office"])
    will_collect(session, number)
    answer = client.post("/api/v1/scans", json=scan_body(number, "out_for_delivery"),
                         headers=api_headers)
    assert answer.status_code == 422
    assert "nhận tại bưu cục" in answer.get_json()["errors"]["note"]
    sent = client.post("/api/v1/scans", json=scan_body(number, "out_for_delivery",
                                                       note="Người nhận gọi đổi ý"),
                       headers=api_headers)
    assert sent.get_json()["event"]["reason"] == "despite_pickup_request"
