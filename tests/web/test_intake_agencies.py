"""Intake through the API, per agency (issue 16): an agency's key creates only its own agency's
items, dossier codes are its own and looked up within it, and a refusal never tells anything of
another agency."""

import pytest
from sqlmodel import Session, select

from delivery.accounts import hash_api_key
from delivery.models import Agency, ApiClient, Consignment
from tests.payloads import intake_body
from tests.web.test_pages import csrf_of, login

HANOI, HCM = "000.00.01.H26", "000.00.01.H29"
HCM_KEY = "bk_test-key-for-the-second-demo-agency"
HCM_ADDRESS = "Số 9 Nguyễn Trãi, Phường Đông Hòa, TP Dĩ An, Bình Dương"


@pytest.fixture
def hcm_headers(monkeypatch, demo):
    """The demo's second agency's key (DEMO_API_KEY_2)."""
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_API_KEY_2", HCM_KEY)
    with Session(demo.extensions["db_engine"]) as db:
        seed_demo(db)
    return {"Authorization": f"Bearer {HCM_KEY}"}


def hcm_body(number=1, **overrides):
    return intake_body(number, dossier_code=f"{HCM}-250609-{number:04d}", address=HCM_ADDRESS,
                       **overrides)


def create(client, headers, body):
    return client.post("/api/v1/consignments", json=body, headers=headers)


def agency_of(app, tracking_number):
    with Session(app.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(
            Consignment.tracking_number == tracking_number)).one()
        return db.get(Agency, item.agency_id).code


def key_without_agency(app, name, postal=False):
    """A key stored before keys had to be bound to an agency or the postal network (with intake:
    create_api_client refuses both now)."""
    key = f"legacy-key-{name}-0123456789"
    with Session(app.extensions["db_engine"]) as db:
        db.add(ApiClient(name=name, key_hash=hash_api_key(key), scopes="intake read",
                         postal=postal))
        db.commit()
    return {"Authorization": f"Bearer {key}"}


def test_it_creates_the_second_agencys_item_with_its_own_key(demo, client, hcm_headers):
    response = create(client, hcm_headers, hcm_body())
    assert response.status_code == 201
    assert agency_of(demo, response.get_json()["tracking_number"]) == HCM


def test_it_refuses_another_agencys_dossier_code_with_a_422_naming_the_prefix(
    demo, client, api_headers
):
    response = create(client, api_headers, hcm_body())
    body = response.get_json()
    assert response.status_code == 422 and set(body["errors"]) == {"dossier_code"}
    assert HANOI in body["errors"]["dossier_code"]


def test_it_answers_a_code_another_agency_registered_with_422_not_409_and_no_number(
    demo, client, api_headers, hcm_headers
):
    theirs = create(client, hcm_headers, hcm_body()).get_json()["tracking_number"]
    response = create(client, api_headers, hcm_body())
    assert response.status_code == 422
    assert theirs not in response.get_data(as_text=True)


def test_it_keeps_the_same_dossier_code_of_two_agencies_as_two_items(
    demo, client, api_headers
):
    """An item registered under this code by another agency before codes were per agency."""
    first = create(client, api_headers, intake_body()).get_json()["tracking_number"]
    with Session(demo.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(Consignment.tracking_number == first)).one()
        item.agency_id = db.exec(select(Agency.id).where(Agency.code == HCM)).one()
        db.commit()
    response = create(client, api_headers, intake_body(note="khác"))
    assert response.status_code == 201 and response.get_json()["tracking_number"] != first
    assert agency_of(demo, response.get_json()["tracking_number"]) == HANOI


def test_it_still_answers_a_conflicting_repeat_within_the_agency_with_409(
    demo, client, hcm_headers
):
    create(client, hcm_headers, hcm_body())
    assert create(client, hcm_headers, hcm_body(note="khác")).status_code == 409


def test_it_ignores_an_agency_keys_own_agency_code(demo, client, api_headers):
    response = create(client, api_headers, {**intake_body(), "agency_code": HANOI})
    assert response.status_code == 201


def test_it_refuses_an_agency_key_sending_for_another_agency(demo, client, api_headers):
    response = create(client, api_headers, {**hcm_body(), "agency_code": HCM})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"agency_code"}


def test_it_refuses_intake_by_a_key_of_no_agency(demo, client):
    headers = key_without_agency(demo, "unbound")
    response = create(client, headers, {**intake_body(), "agency_code": HANOI})
    body = response.get_json()
    assert response.status_code == 422 and "belongs to no agency" in body["errors"]["agency_code"]


def test_it_refuses_intake_by_a_postal_network_key(demo, client):
    headers = key_without_agency(demo, "vnpost", postal=True)
    response = create(client, headers, {**intake_body(), "agency_code": HANOI})
    assert response.status_code == 422 and "agency_code" in response.get_json()["errors"]


def test_it_lets_counter_staff_create_by_api_only_for_agencies_their_office_serves(
    demo, client
):
    login(client, "counter")
    headers = {"X-CSRF-Token": csrf_of(client.get("/counter/consignments/new").data)}
    refused = create(client, headers, {**hcm_body(), "agency_code": HCM})
    allowed = create(client, headers, {**intake_body(), "agency_code": HANOI})
    assert (refused.status_code, allowed.status_code) == (422, 201)
    assert set(refused.get_json()["errors"]) == {"agency_code"}


def test_it_stores_no_key_of_the_second_agency_in_clear(demo, hcm_headers):
    with Session(demo.extensions["db_engine"]) as db:
        client = db.exec(select(ApiClient).where(ApiClient.name == "demo-upstream-hcm")).one()
    assert HCM_KEY not in client.key_hash
