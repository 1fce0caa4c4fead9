"""POST /api/v1/consignments/<n>/agency-receipt: the agency's receipt for a dossier handed to it,
texted to the citizen once."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder
from delivery.models import Consignment
from tests.payloads import collection_body, scan_body
from tests.web.test_collections_api import outbox
from tests.web.test_intake_agencies import hcm_headers as agency_2_fixture

agency_2_headers = agency_2_fixture.__wrapped__

PROBLEM = "application/problem+json"
DAY = (date.today() + timedelta(days=10)).isoformat()


def handed_over(client, headers, number=1, **body):
    item = client.post("/api/v1/collections", json=collection_body(number, **body),
                       headers=headers).get_json()["tracking_number"]
    for event in ("picked_up", "handed_to_agency"):
        assert client.post("/api/v1/scans", json=scan_body(item, event),
                           headers=headers).status_code == 201
    return item


def send(client, headers, item, **body):
    return client.post(f"/api/v1/consignments/{item}/agency-receipt",
                       json={"receipt_number": "BN-2026-001234", "appointment_date": DAY,
                             **body}, headers=headers)


def test_it_records_the_receipt_and_texts_the_citizen(demo, client, api_headers):
    item = handed_over(client, api_headers)
    response = send(client, api_headers, item)
    assert response.status_code == 201
    assert response.get_json()["agency_receipt"] == {"number": "BN-2026-001234",
                                                     "appointment_date": DAY}
    sms = [s for s in outbox(demo, "sms") if s["template"] == "agency_received"]
    assert len(sms) == 1 and sms[0]["receipt_number"] == "BN-2026-001234"
    assert sms[0]["appointment"] == date.fromisoformat(DAY).strftime("%d/%m/%Y")


def test_it_answers_the_same_receipt_again_with_200_and_no_second_sms(demo, client,
                                                                      api_headers):
    item = handed_over(client, api_headers)
    send(client, api_headers, item)
    again = send(client, api_headers, item)
    assert again.status_code == 200
    assert len([s for s in outbox(demo, "sms") if s["template"] == "agency_received"]) == 1


def test_it_refuses_another_receipt_with_409(demo, client, api_headers):
    item = handed_over(client, api_headers)
    send(client, api_headers, item)
    response = send(client, api_headers, item, receipt_number="BN-OTHER")
    assert response.status_code == 409 and response.mimetype == PROBLEM


def test_it_refuses_a_dossier_not_yet_with_the_agency_with_409(demo, client, api_headers):
    item = client.post("/api/v1/collections", json=collection_body(),
                       headers=api_headers).get_json()["tracking_number"]
    assert send(client, api_headers, item).status_code == 409


def test_it_stores_the_dossier_code_a_collection_was_booked_without(demo, client, api_headers):
    item = handed_over(client, api_headers, None)
    code = "000.00.01.H26-250609-0042"
    assert send(client, api_headers, item, dossier_code=code).status_code == 201
    with Session(demo.extensions["db_engine"]) as db:
        stored = db.exec(select(Consignment).where(Consignment.tracking_number == item)).one()
        order = db.get(CollectionOrder, stored.id)
    assert stored.dossier_code == code and order.agency_receipt_number == "BN-2026-001234"


def test_it_refuses_a_dossier_code_other_than_the_items_with_409(demo, client, api_headers):
    item = handed_over(client, api_headers)
    response = send(client, api_headers, item, dossier_code="000.00.01.H26-250609-0099")
    assert response.status_code == 409


def test_it_names_each_bad_field_with_422(demo, client, api_headers):
    item = handed_over(client, api_headers)
    response = send(client, api_headers, item, receipt_number=" ", appointment_date="2020-01-01",
                    dossier_code="nope")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"receipt_number", "appointment_date",
                                                  "dossier_code"}


@pytest.fixture
def hcm_headers(monkeypatch, demo):
    return agency_2_headers(monkeypatch, demo)


def test_it_answers_another_agencys_key_as_an_unknown_number(demo, client, api_headers,
                                                              hcm_headers):
    item = handed_over(client, api_headers)
    assert send(client, hcm_headers, item).status_code == 404
