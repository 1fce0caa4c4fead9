"""The cached public tracking documents change the moment the consignment does
(web/tracking_cache.py)."""

from datetime import timedelta

from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, Consignment, PostOffice, utcnow
from tests.payloads import scan_body
from tests.web.public_helpers import create_item, move, page_csrf
from web import public


def json_view(client, token):
    return client.get(f"/api/v1/track/{token}").get_json()


def page(client, token):
    return client.get(f"/t/{token}").get_data(as_text=True)


def rename_offices(app, name):
    """A change that bumps no consignment's version: only the cache's lifetime bounds it."""
    with Session(app.extensions["db_engine"]) as db:
        for office in db.exec(select(PostOffice)).all():
            office.name = name
        db.commit()


def test_it_shows_a_scan_on_the_next_request(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    assert (json_view(client, token)["status"] == "created"
            and "Chưa bàn giao" in page(client, token))
    move(client, api_headers, number, "accepted")
    assert (json_view(client, token)["status"] == "accepted"
            and "Bưu điện nhận bưu gửi" in page(client, token))


def test_it_shows_a_batch_scan_on_the_next_request(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted")
    assert json_view(client, token)["status"] == "accepted"
    bodies = [scan_body(number, "arrived_hub"), scan_body(number, "departed_hub")]
    assert client.post("/api/v1/scans/batch", json={"scans": bodies},
                       headers=api_headers).status_code == 200
    assert [e["event"] for e in json_view(client, token)["events"]][-2:] == [
        "arrived_hub", "departed_hub"]
    assert "Rời trung tâm khai thác" in page(client, token)


def test_it_shows_a_citizen_request_on_the_next_request(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    assert (json_view(client, token)["requests"]["pickup"] is False
            and "Ông/Bà sẽ nhận tại bưu cục" not in page(client, token))
    client.post(f"/t/{token}/requests",
                data={"csrf_token": page_csrf(client, token), "kind": "pickup"})
    assert json_view(client, token)["requests"]["pickup"] is True
    assert "Ông/Bà sẽ nhận tại bưu cục" in page(demo.test_client(), token)


def test_it_serves_a_repeat_view_from_the_cache(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted")
    assert "Bưu cục phát Hoàn Kiếm" in page(client, token)
    rename_offices(demo, "Renamed office")
    assert ("Bưu cục phát Hoàn Kiếm" in page(client, token)
            and "Renamed office" not in page(client, token))


def test_it_renders_again_on_a_new_day(demo, client, api_headers, monkeypatch):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted")
    page(client, token)
    rename_offices(demo, "Renamed office")
    tomorrow = utcnow().astimezone(VIETNAM_TIME).date() + timedelta(days=1)
    monkeypatch.setattr(public, "today_in_vietnam", lambda: tomorrow)
    assert "Renamed office" in page(client, token)


def test_it_hides_the_details_once_the_window_after_the_final_status_passes(
    demo, client, api_headers
):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "cancelled")
    assert json_view(client, token)["expired"] is False
    # time passes: no version bump, only the clock
    with Session(demo.extensions["db_engine"]) as db:
        db.exec(select(Consignment)).one().updated_at = utcnow() - timedelta(days=31)
        db.commit()
    assert json_view(client, token)["expired"] is True and "N*** V** A" not in page(client, token)


def test_it_answers_not_modified_to_the_etag_it_gave(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    etag = client.get(f"/t/{token}").headers["ETag"]
    assert client.get(f"/t/{token}", headers={"If-None-Match": etag}).status_code == 304
    move(client, api_headers, number, "accepted")
    assert client.get(f"/t/{token}", headers={"If-None-Match": etag}).status_code == 200


def test_it_keeps_the_documents_out_of_shared_caches(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    for url in (f"/t/{token}", f"/api/v1/track/{token}"):
        assert client.get(url).headers["Cache-Control"] == "private, no-cache"


def test_it_writes_no_session_cookie_on_the_public_page(demo, api_headers):
    _, token = create_item(demo.test_client(), api_headers)
    response = demo.test_client().get(f"/t/{token}")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_it_refuses_a_request_with_another_links_form_token(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    _, other = create_item(client, api_headers, 2)
    forged = client.post(f"/t/{token}/requests",
                         data={"csrf_token": page_csrf(client, other), "kind": "pickup"})
    assert forged.status_code == 400 and json_view(client, token)["requests"]["pickup"] is False


def test_it_shows_an_expired_pick_up_on_the_next_request(demo, client, api_headers):
    from delivery.models import TrackingEvent
    from web.tasks import expire_held_pickups

    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "held_for_pickup")
    assert "Chờ nhận tại bưu cục" in page(client, token)
    with Session(demo.extensions["db_engine"]) as db:
        for event in db.exec(select(TrackingEvent)).all():
            event.occurred_at -= timedelta(days=8)
        db.commit()
    with demo.app_context():
        expire_held_pickups()
    assert (json_view(client, token)["status"] == "returning"
            and "Đang chuyển hoàn" in page(client, token))


def test_it_keeps_a_copy_of_the_page_per_language(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    english_reader = demo.test_client()
    for _ in range(2):  # rendered, then from the cache: each reader still gets their own words
        vietnamese = page(client, token)
        english = english_reader.get(f"/t/{token}?lang=en").get_data(as_text=True)
        assert "Chưa bàn giao cho bưu điện." in vietnamese and "Not yet handed" not in vietnamese
        assert "Not yet handed to the post office." in english and "Chưa bàn giao" not in english
    assert {key[4] for key in demo.extensions["tracking_cache"]._entries} == {"vi", "en"}
