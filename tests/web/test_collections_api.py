"""POST /api/v1/collections and the collection's life through the shared endpoints."""

import json

from sqlmodel import Session, select

from delivery import s10
from tests.payloads import collection_body, scan_body
from tracking.models import Outbox

PROBLEM = "application/problem+json"


def book(client, headers, body=None):
    return client.post("/api/v1/collections", json=body or collection_body(), headers=headers)


def scan(client, headers, number, event, **extra):
    return client.post("/api/v1/scans", json=scan_body(number, event, **extra), headers=headers)


def outbox(app, kind):
    with Session(app.extensions["db_engine"]) as db:
        return [json.loads(row.payload) for row in db.exec(
            select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id)).all()]


def test_it_books_a_collection_as_the_contract_shows(demo, client, api_headers):
    response = book(client, api_headers)
    body = response.get_json()
    assert response.status_code == 201
    assert s10.is_valid(body["tracking_number"]) and body["direction"] == "to_agency"
    assert body["status"] == "created" and body["tracking_url"].startswith("http://localhost/t/")
    assert body["window"]["from"] == "08:00" and body["window"]["to"] == "10:00"
    assert [d["copies"] for d in body["documents"]] == [1, 1, 2]
    assert body["fee"] == {"payer": "citizen", "amount_vnd": 15000}
    assert body["destination_office"]["code"] == "100100"


def test_it_texts_the_citizen_the_window_and_the_link(demo, client, api_headers):
    number = book(client, api_headers).get_json()["tracking_number"]
    [sms] = outbox(demo, "sms")
    assert sms["template"] == "collection_booked" and sms["tracking_number"] == number
    assert sms["window"].startswith("08:00-10:00 ")


def test_it_answers_an_identical_booking_with_200_and_the_same_item(demo, client, api_headers):
    first = book(client, api_headers).get_json()
    again = book(client, api_headers)
    assert again.status_code == 200
    assert again.get_json()["tracking_number"] == first["tracking_number"]
    assert len(outbox(demo, "sms")) == 1


def test_it_recognises_a_repeat_without_a_dossier_code_by_its_body(demo, client, api_headers):
    first = book(client, api_headers, collection_body(None)).get_json()
    again = book(client, api_headers, collection_body(None))
    assert again.status_code == 200
    assert again.get_json()["tracking_number"] == first["tracking_number"]


def test_it_refuses_the_same_dossier_code_with_other_details_with_409(demo, client, api_headers):
    book(client, api_headers)
    response = book(client, api_headers, collection_body(note="khác"))
    assert response.status_code == 409 and response.mimetype == PROBLEM


def test_it_lets_a_result_and_its_dossier_share_the_dossier_code(demo, client, api_headers):
    from tests.payloads import intake_body

    book(client, api_headers)
    response = client.post("/api/v1/consignments", json=intake_body(), headers=api_headers)
    assert response.status_code == 201 and response.get_json()["direction"] == "to_citizen"


def test_it_refuses_a_window_in_the_past(demo, client, api_headers):
    response = book(client, api_headers, collection_body(days_ahead=-1))
    assert response.status_code == 422 and "window" in response.get_json()["errors"]


def test_it_refuses_a_window_outside_the_offices_hours(demo, client, api_headers):
    body = collection_body()
    body["window"].update({"from": "19:30", "to": "21:00"})
    response = book(client, api_headers, body)
    assert response.status_code == 422
    assert "7:30" in response.get_json()["errors"]["window"].replace("07:30", "7:30")


def test_it_refuses_a_window_that_ends_before_it_starts(demo, client, api_headers):
    body = collection_body()
    body["window"].update({"from": "10:00", "to": "08:00"})
    assert "window.to" in book(client, api_headers, body).get_json()["errors"]


def test_it_refuses_a_checklist_over_50_documents(demo, client, api_headers):
    documents = [{"name": f"Giấy tờ {n}", "copies": 1} for n in range(51)]
    response = book(client, api_headers, collection_body(documents=documents))
    assert response.status_code == 422 and "documents" in response.get_json()["errors"]


def test_it_refuses_an_address_no_office_serves(demo, client, api_headers):
    response = book(client, api_headers, collection_body(
        address="Xã Tà Xùa, Tỉnh Sơn La"))
    assert response.status_code == 422
    assert "address" in response.get_json()["errors"]


def test_it_keeps_nothing_of_a_refused_booking(demo, client, api_headers):
    book(client, api_headers, collection_body(days_ahead=-1))
    assert outbox(demo, "sms") == [] and book(client, api_headers).status_code == 201


def test_it_collects_and_hands_the_dossier_to_the_agency(demo, client, api_headers):
    number = book(client, api_headers).get_json()["tracking_number"]
    assert scan(client, api_headers, number, "picked_up").get_json()["status"] == "picked_up"
    assert scan(client, api_headers, number, "arrived_hub").get_json()["status"] == "in_transit"
    answer = scan(client, api_headers, number, "handed_to_agency").get_json()
    assert answer["status"] == "handed_to_agency"


def test_it_refuses_a_delivery_event_on_a_collection_with_409(demo, client, api_headers):
    number = book(client, api_headers).get_json()["tracking_number"]
    response = scan(client, api_headers, number, "out_for_delivery")
    assert response.status_code == 409


def test_it_refuses_a_collection_event_on_a_result_with_409(demo, client, api_headers):
    from tests.payloads import intake_body

    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    assert scan(client, api_headers, number, "picked_up").status_code == 409


def test_it_tells_the_upstream_system_of_a_collection_exactly_once(demo, client, api_headers):
    from tests.stand_ins import Receiver
    from tests.tracking.test_webhooks import SECRET, point_webhook_at
    from web.tasks import send_outbox

    number = book(client, api_headers).get_json()["tracking_number"]
    with Receiver(SECRET, statuses=[503]) as receiver:  # the first POST fails
        point_webhook_at(demo, receiver.url)
        pick_up = scan_body(number, "picked_up")
        client.post("/api/v1/scans", json=pick_up, headers=api_headers)
        client.post("/api/v1/scans", json=pick_up, headers=api_headers)  # the phone resends
        with Session(demo.extensions["db_engine"]) as db:
            rows = db.exec(select(Outbox.id).where(Outbox.kind == "webhook")).all()
            for row in db.exec(select(Outbox).where(Outbox.kind == "webhook")).all():
                row.next_attempt_at = None  # the backoff has passed
                db.add(row)
            db.commit()
        with demo.app_context():
            for row_id in rows * 2:  # retried, and the job run twice
                send_outbox(row_id)
    assert sorted(b["type"] for b in receiver.accepted()) == ["consignment.status_changed",
                                                    "dossier.collected"]
    collected = [r["body"]["id"] for r in receiver.received
                 if r["body"]["type"] == "dossier.collected"]
    assert len(set(collected)) == 1 and all(r["signature_ok"] for r in receiver.received)
