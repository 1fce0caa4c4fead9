"""GET /api/v1/reports/quality over the generated month (tests/quality_month.py): the figures, the
caller's scope, and the 422s."""

from __future__ import annotations

import pytest

from delivery.accounts import create_api_client
from tests.quality_month import make_month
from tests.web.test_pages import login

SEPTEMBER = "/api/v1/reports/quality?from=2026-09-01&to=2026-09-30"
KEY = "bk_quality-read-key"


@pytest.fixture
def month(session):
    return make_month(session)


@pytest.fixture
def read_headers(session, month):
    create_api_client(session, "quality-reader", "read", month.agencies["A1"], key=KEY)
    session.commit()
    return {"Authorization": f"Bearer {KEY}"}


def test_it_answers_an_agency_key_with_its_own_items_only(client, read_headers):
    body = client.get(SEPTEMBER, headers=read_headers).get_json()
    # A1's items created in September: 1-6, 8, 9, 11-13, 15-17; delivered: 1, 2, 4, 7, 11, 12, 14,
    # 16; returned: 3, 15
    assert (body["volume"], body["delivered"], body["returned"]) == (14, 8, 2)
    assert body["failures_by_reason"] == {"recipient_absent": 4, "address_incorrect": 1,
                                          "premises_closed": 1, "recipient_moved": 1,
                                          "recipient_refused": 1}


def test_it_answers_in_the_contract_s_shape(client, read_headers, month):
    body = client.get(SEPTEMBER + "&office=O1", headers=read_headers).get_json()
    assert {"volume", "delivered", "on_time", "late", "returned", "first_attempt_success_rate",
            "failures_by_reason", "past_due", "collected_vnd", "to_collect_vnd",
            "rating"} <= body.keys()
    assert body["past_due"][0] == {"tracking_number": month.numbers[8],
                                   "due_at": "2026-09-18T17:00:00+07:00", "status": "returning",
                                   "holder_kind": "office", "holder": "Bưu cục phát Hoàn Kiếm"}
    assert body["rating"] == {"count": 4, "average": 4.0}


def test_it_answers_a_supervisor_s_session_within_their_office(client, month):
    login(client, "s3")
    body = client.get(SEPTEMBER).get_json()
    assert (body["volume"], body["delivered"]) == (3, 1)
    assert [item["tracking_number"] for item in body["past_due"]] == [month.numbers[20]]


def test_it_answers_an_office_outside_the_scope_exactly_as_an_unknown_one(client, month):
    login(client, "s3")
    outside = client.get(SEPTEMBER + "&office=O1")
    unknown = client.get(SEPTEMBER + "&office=NO-SUCH")
    assert outside.status_code == unknown.status_code == 422
    assert outside.get_json() == unknown.get_json()
    assert set(outside.get_json()["errors"]) == {"office"}


@pytest.mark.parametrize(("query", "fields"), [
    ("from=2025-01-01&to=2026-02-01", {"to"}),  # 13 months and a day
    ("from=2026-09-30&to=2026-09-01", {"to"}),
    ("from=2026-13-01&to=2026-09-01", {"from"}),
    ("from=01/09/2026&to=30/09/2026", {"from", "to"}),
    ("to=2026-09-30", {"from"}),
    ("from=2026-09-01&to=2026-09-30&office=NO-SUCH&courier=nobody", {"office", "courier"}),
])
def test_it_refuses_a_bad_query_with_problem_details(client, read_headers, query, fields):
    response = client.get(f"/api/v1/reports/quality?{query}", headers=read_headers)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == fields


def test_it_refuses_a_counter_clerk(client, month, session):
    from delivery.accounts import create_user

    create_user(session, "clerk", "test-password-123", "counter", "O1")
    session.commit()
    login(client, "clerk")
    assert client.get(SEPTEMBER).status_code == 403
