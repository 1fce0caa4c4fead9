"""The citizen's rating over HTTP: the JSON endpoint (CONTRACT.md "Service quality"), the tracking
page's form, the supervisor's list, the counter's item page, the delivered SMS and retention."""

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from delivery.models import Consignment, utcnow
from tests.web.public_helpers import create_item, move, page_csrf
from tests.web.test_intake_agencies import hcm_body, hcm_headers  # noqa: F401 (a fixture)
from tests.web.test_pages import login
from tracking.models import Outbox, Rating
from tracking.sms import SmsSettings, render

DELIVERY = ("accepted", "arrived_delivery_office", "out_for_delivery", "delivered")


@pytest.fixture
def delivered(demo, client, api_headers):
    """(tracking number, token) of a delivered item."""
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, *DELIVERY)
    return number, token


def rate(client, token, body):
    return client.post(f"/api/v1/track/{token}/rating", json=body)


def ratings(app):
    with Session(app.extensions["db_engine"]) as db:
        return [(r.stars, r.comment) for r in db.exec(select(Rating))]


def first_rated_days_ago(app, days):
    with Session(app.extensions["db_engine"]) as db:
        rating = db.exec(select(Rating)).one()
        rating.created_at = utcnow() - timedelta(days=days)
        db.add(rating)
        db.commit()


def test_it_answers_201_for_a_first_rating_then_200_when_it_is_replaced(demo, client, delivered):
    first = rate(client, delivered[1], {"stars": 2, "comment": "Giao muộn"})
    second = rate(client, delivered[1], {"stars": 4})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json()["stars"] == 4 and second.get_json()["comment"] is None
    assert ratings(demo) == [(4, None)]


def test_it_answers_409_before_delivery_and_stores_nothing(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    response = rate(client, token, {"stars": 5})
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert "delivered" in response.get_json()["detail"] and ratings(demo) == []


def test_it_refuses_a_change_after_seven_days_with_a_clear_409(demo, client, delivered):
    rate(client, delivered[1], {"stars": 1, "comment": "Tệ"})
    first_rated_days_ago(demo, 8)
    response = rate(client, delivered[1], {"stars": 5})
    assert response.status_code == 409 and "7 days" in response.get_json()["detail"]
    assert ratings(demo) == [(1, "Tệ")]


@pytest.mark.parametrize("body", [{"stars": 0}, {"stars": 6}, {"stars": "5"}, {"stars": 4.5},
                                  {"stars": True}, {}, {"stars": 3, "comment": "x" * 1001},
                                  {"stars": 3, "comment": 7}, ["stars", 3]])
def test_it_answers_422_naming_the_field_and_stores_nothing(demo, client, delivered, body):
    response = rate(client, delivered[1], body)
    problem = response.get_json()
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(problem["errors"]) <= {"stars", "comment", "body"} and ratings(demo) == []


def test_it_refuses_a_control_character_in_the_comment(demo, client, delivered):
    response = rate(client, delivered[1], {"stars": 3, "comment": "a\u0000b"})
    assert response.status_code == 422 and "comment" in response.get_json()["errors"]
    assert ratings(demo) == []


def test_it_answers_an_unknown_link_with_404_as_tracking_does(demo, client):
    response = rate(client, "no-such-token", {"stars": 5})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_it_caps_the_changes_per_item_and_day_with_429(demo, client, delivered):
    demo.config["CITIZEN_REQUESTS_PER_DAY"] = 2
    codes = [rate(client, delivered[1], {"stars": s}).status_code for s in (1, 2, 3)]
    assert codes == [201, 200, 429] and ratings(demo) == [(2, None)]


def test_it_describes_the_endpoint_in_the_openapi_document(demo, client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"][
        "/api/v1/track/{token}/rating"]["post"]
    assert {"200", "201", "404", "409", "422", "429"} <= set(operation["responses"])
    assert operation["security"] == []


def page(client, token, **kwargs):
    return client.get(f"/t/{token}", **kwargs).get_data(as_text=True)


def rate_on_page(client, token, **form):
    return client.post(f"/t/{token}/rating", data={"csrf_token": page_csrf(client, token), **form})


def test_it_invites_a_rating_on_the_page_only_once_delivered(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, *DELIVERY[:-1])
    assert 'id="rating"' not in page(client, token)
    move(client, api_headers, number, "delivered")
    html = page(client, token)
    assert 'id="rating"' in html and "quý khách" in html and 'name="stars" value="5"' in html


def test_it_invites_the_rating_in_english_too(demo, client, delivered):
    html = page(client, delivered[1], query_string={"lang": "en"})
    assert "How was the delivery?" in html and "Send my rating" in html and "Very good" in html


def test_it_records_a_rating_from_the_page_and_shows_it(demo, client, delivered):
    response = rate_on_page(client, delivered[1], stars="2", comment="<b>Giao muộn</b>")
    assert response.status_code == 302 and response.location.endswith("#rating")
    html = page(client, delivered[1])
    assert "Cảm ơn quý khách" in html and "2/5" in html and "Sửa đánh giá" in html
    # typed by a citizen: escaped on the page
    assert "&lt;b&gt;Giao muộn&lt;/b&gt;" in html and "<b>Giao muộn" not in html


def test_it_shows_the_rating_on_the_cached_page_of_every_visitor(demo, client, delivered):
    page(demo.test_client(), delivered[1])  # cached before the rating
    rate(client, delivered[1], {"stars": 3})
    assert "3/5" in page(demo.test_client(), delivered[1])


def test_it_keeps_what_was_typed_after_a_refusal_on_the_page(demo, client, delivered):
    response = rate_on_page(client, delivered[1], stars="9", comment="Bưu tá lịch sự")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="stars-error"' in html
    assert ">Bưu tá lịch sự</textarea>" in html and ratings(demo) == []
    response = rate_on_page(client, delivered[1], stars="4", comment="x" * 1001)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="comment-error"' in html
    assert re.search(r'value="4" required checked', html) and ratings(demo) == []


def test_it_refuses_a_page_rating_without_the_forms_token(demo, client, delivered):
    response = client.post(f"/t/{delivered[1]}/rating", data={"stars": "5"})
    assert response.status_code == 400 and ratings(demo) == []


def test_it_says_on_the_page_when_the_rating_can_no_longer_change(demo, client, delivered):
    rate(client, delivered[1], {"stars": 1})
    csrf = page_csrf(client, delivered[1])
    first_rated_days_ago(demo, 8)
    response = client.post(f"/t/{delivered[1]}/rating", data={"csrf_token": csrf, "stars": "5"})
    assert response.status_code == 409 and "7 ngày" in response.get_data(as_text=True)
    # the week was cut short above, not by the clock: drop the page cached with the rating
    demo.extensions.pop("tracking_cache")
    html = page(demo.test_client(), delivered[1])
    assert "1/5" in html and "Sửa đánh giá" not in html


def test_it_invites_the_rating_in_the_delivered_sms(demo, client, delivered):
    with Session(demo.extensions["db_engine"]) as db:
        payloads = [r.payload for r in db.exec(select(Outbox).where(Outbox.kind == "sms"))]
    texts = [render(json.loads(p), SmsSettings(public_base_url="http://localhost"))
             for p in payloads]
    assert any("đánh giá" in t and f"http://localhost/t/{delivered[1]}" in t for t in texts)


def test_it_lists_ratings_in_scope_for_the_supervisor_low_ones_first(
    demo, client, api_headers, delivered, hcm_headers  # noqa: F811
):
    good, good_token = create_item(client, api_headers, 2)
    move(client, api_headers, good, *DELIVERY)
    theirs, their_token = create_item(client, hcm_headers, 3, **hcm_body(3))
    move(client, hcm_headers, theirs, *DELIVERY)
    for token, stars in ((good_token, 5), (delivered[1], 1), (their_token, 2)):
        assert rate(client, token, {"stars": stars, "comment": f"c{stars}"}).status_code == 201
    login(client, "supervisor")
    html = client.get("/staff/ratings").get_data(as_text=True)
    assert html.index(delivered[0]) < html.index(good) and theirs not in html
    assert "⚠ 1/5" in html and f'/counter/consignments/{delivered[0]}"' in html


def test_it_shows_the_rating_on_the_counters_item_page(demo, client, delivered):
    rate(client, delivered[1], {"stars": 2, "comment": "Không gọi trước"})
    login(client, "supervisor")
    html = client.get(f"/counter/consignments/{delivered[0]}").get_data(as_text=True)
    assert "đánh giá thấp" in html and "Không gọi trước" in html


def test_it_erases_the_comment_with_the_other_personal_data(demo, client, delivered):
    rate(client, delivered[1], {"stars": 2, "comment": "Nhà tôi ở ngõ 5"})
    with Session(demo.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment)).one()
        item.updated_at = utcnow() - timedelta(days=181)
        db.add(item)
        db.commit()
    assert demo.test_cli_runner().invoke(args=["anonymise-expired"]).exit_code == 0
    assert ratings(demo) == [(2, None)]
