import json
import unicodedata
from datetime import timedelta

from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, Consignment, TrackingEvent, utcnow
from tests.web.public_helpers import create_item, move, page_csrf


def page(client, token, **kwargs):
    return client.get(f"/t/{token}", **kwargs).get_data(as_text=True)


def test_it_shows_status_steps_masked_name_and_destination_in_vietnamese(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_hub")
    html = page(client, token)
    assert 'lang="vi"' in html and "Đang vận chuyển" in html and 'class="step-current"' in html
    assert "N*** V** A" in html and "Hà Nội" in html and "Căn cước" in html


def test_it_speaks_english_from_the_url_then_the_cookie_then_the_browser(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    assert "Destination" in page(client, token, query_string={"lang": "en"})
    assert "Destination" in page(client, token)  # the cookie remembers the choice
    fresh = demo.test_client()
    assert "Destination" in page(fresh, token, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Nơi nhận" in page(fresh, token, headers={"Accept-Language": "fr"})


def test_it_stops_telling_what_to_bring_once_the_item_is_cancelled(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    assert "Cần chuẩn bị khi nhận" in page(client, token)
    move(client, api_headers, number, "cancelled")
    assert "Cần chuẩn bị khi nhận" not in page(client, token)


def test_it_keeps_the_contract_fields_of_the_json_view(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    view = client.get(f"/api/v1/track/{token}").get_json()
    assert set(view) >= {
        "tracking_number", "status", "status_label", "recipient", "destination", "eta", "events"}
    assert set(view["destination"]) == {"ward", "province"}


def test_it_never_shows_more_than_the_masked_form_of_an_nfd_name(demo, client, api_headers):
    name = unicodedata.normalize("NFD", "Ưng Vũ Hoa")
    _, token = create_item(client, api_headers, recipient={"name": name, "phone": "0912345678"})
    view = client.get(f"/api/v1/track/{token}").get_json()
    shown = json.dumps(view, ensure_ascii=False)
    assert view["recipient"] == "Ư** V* H"
    assert not any(unicodedata.normalize(form, word) in shown
                   for word in ("Ưng", "Vũ", "Hoa") for form in ("NFC", "NFD"))
    assert "Ư** V* H" in page(client, token)


def test_it_expects_delivery_today_once_out_for_delivery(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    today = utcnow().astimezone(VIETNAM_TIME).date().isoformat()
    assert client.get(f"/api/v1/track/{token}").get_json()["eta"] == today
    assert "Hôm nay" in page(client, token)


def test_it_shows_only_the_status_long_after_delivery(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "cancelled")
    with Session(demo.extensions["db_engine"]) as db:
        db.exec(select(Consignment)).one().updated_at = utcnow() - timedelta(days=31)
        db.commit()
    view = client.get(f"/api/v1/track/{token}").get_json()
    assert (view["expired"] and view["events"] == [] and view["recipient"] == ""
            and view["status"] == "cancelled")
    assert "N*** V** A" not in page(client, token)


def test_it_gives_each_item_a_link_with_at_least_128_random_bits(demo, client, api_headers):
    tokens = {create_item(client, api_headers, n)[1] for n in range(1, 4)}
    assert len(tokens) == 3 and all(len(t) * 6 >= 128 for t in tokens)


def test_it_says_not_found_for_an_unknown_link(demo, client):
    assert client.get("/t/not-a-token").status_code == 404


def request_change(client, token, **form):
    return client.post(f"/t/{token}/requests",
                       data={"csrf_token": page_csrf(client, token), **form})


def test_it_records_another_date_as_an_event(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    day = (utcnow().astimezone(VIETNAM_TIME).date() + timedelta(days=2))
    day = day + timedelta(days=1) if day.weekday() == 6 else day
    assert request_change(client, token, kind="date", date=day.isoformat()).status_code == 302
    view = client.get(f"/api/v1/track/{token}").get_json()
    assert (view["requests"]["date"] == day.isoformat()
            and view["events"][-1]["event"] == "reschedule_requested")
    assert view["eta"] == day.isoformat()


def test_it_refuses_a_date_outside_the_agencys_window(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    far = (utcnow() + timedelta(days=30)).date().isoformat()
    request_change(client, token, kind="date", date=far)
    assert client.get(f"/api/v1/track/{token}").get_json()["requests"]["date"] is None
    assert "Chưa ghi nhận" in page(client, token)


def test_it_lets_the_citizen_collect_at_the_office(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    request_change(client, token, kind="pickup")
    assert client.get(f"/api/v1/track/{token}").get_json()["requests"]["pickup"] is True


def test_it_passes_instructions_to_staff_without_showing_them_in_public(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    request_change(client, token, kind="instructions", instructions="Gọi 0988777666 trước khi đến")
    with Session(demo.extensions["db_engine"]) as db:
        stored = db.exec(select(TrackingEvent)).one()
        assert (stored.event, stored.note) == ("instructions_given", "Gọi 0988777666 trước khi đến")
    assert "0988777666" not in (page(client, token)
                                + client.get(f"/api/v1/track/{token}").get_data(as_text=True))


def test_it_refuses_a_request_without_the_csrf_token(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    assert client.post(f"/t/{token}/requests", data={"kind": "pickup"}).status_code == 400


def test_it_takes_no_request_once_delivered(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    csrf = page_csrf(client, token)
    move(client, api_headers, number, "cancelled")
    client.post(f"/t/{token}/requests", data={"csrf_token": csrf, "kind": "pickup"})
    assert client.get(f"/api/v1/track/{token}").get_json()["requests"]["pickup"] is False


def test_it_caps_a_citizens_requests_per_item_and_day_with_a_readable_refusal(
    demo, client, api_headers
):
    demo.config["CITIZEN_REQUESTS_PER_DAY"] = 2
    _, token = create_item(client, api_headers)
    answers = [request_change(client, token, kind="pickup") for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    text = page(client, token)
    assert "Chưa ghi nhận: " in text and "ngày mai" in text and "tomorrow" not in text
    with Session(demo.extensions["db_engine"]) as db:
        assert len(db.exec(select(TrackingEvent)).all()) == 2


def test_it_shows_a_failed_attempt_as_a_problem_not_as_progress(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivery_failed")
    html = page(client, token)
    assert 'class="status tone-problem" id="status">Phát không thành công' in html
    assert 'class="step-problem" aria-current="step">Đang đi phát' in html


def test_it_says_first_when_the_item_was_delivered(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivered")
    html = page(client, token)
    delivered = [e for e in client.get(f"/api/v1/track/{token}").get_json()["events"]
                 if e["event"] == "delivered"][0]["at"]
    said = f"Đã phát lúc {delivered[11:16]} ngày {delivered[8:10]}/{delivered[5:7]}"
    assert 'class="status tone-done"' in html and said in html
    assert html.index(said) < html.index("Hành trình")
