import re

from sqlmodel import Session, select

from tests.stand_ins import Receiver
from tests.tracking.notified import SECRET
from tests.web.public_helpers import create_item, move, page_csrf
from tests.web.test_pages import login
from tracking.models import Outbox


def kill_webhooks(app, receiver_url):
    """Point the agency at a receiver that refuses, and make every row's next failure its last."""
    from delivery.models import Agency

    with Session(app.extensions["db_engine"]) as db:
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        agency.webhook_url, agency.webhook_secret = receiver_url, SECRET
        db.commit()


def dead_row(app):
    with Session(app.extensions["db_engine"]) as db:
        row = db.exec(select(Outbox).where(Outbox.kind == "webhook")).one()
        row.state, row.attempts, row.last_error = "dead", 10, "HTTP 503"
        db.commit()
        return row.id


def test_it_shows_supervisors_the_backlog_and_dead_letters(demo, client, api_headers):
    with Receiver(SECRET) as receiver:
        kill_webhooks(demo, receiver.url)
        number, _ = create_item(client, api_headers)
        move(client, api_headers, number, "accepted")
    outbox_id = dead_row(demo)
    login(client, "supervisor")
    html = client.get("/staff/outbox").get_data(as_text=True)
    assert ("Thư chết (1)" in html and number in html
            and f"/staff/outbox/{outbox_id}/redeliver" in html)


def test_it_redelivers_a_dead_letter_with_the_same_id(demo, client, api_headers):
    with Receiver(SECRET) as receiver:
        kill_webhooks(demo, receiver.url)
        number, _ = create_item(client, api_headers)
        move(client, api_headers, number, "accepted")
        outbox_id = dead_row(demo)
        login(client, "supervisor")
        page = client.get("/staff/outbox").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(f"/staff/outbox/{outbox_id}/redeliver", data={"csrf_token": token})
    assert [b["id"] for b in receiver.accepted()] == [receiver.received[0]["body"]["id"]] * 2


def test_it_refuses_a_redeliver_without_the_csrf_token(demo, client):
    login(client, "supervisor")
    assert client.post("/staff/outbox/1/redeliver").status_code == 400


def test_it_keeps_the_outbox_from_couriers(demo, client):
    login(client, "courier")
    assert client.get("/staff/outbox").status_code == 403


def test_it_lists_one_rows_attempts_without_its_payload(demo, client, api_headers):
    create_item(client, api_headers)
    login(client, "supervisor")
    html = client.get("/staff/outbox/1").get_data(as_text=True)
    assert "HTTP" in html and "0912345678" not in html


def test_it_shows_the_courier_what_citizens_asked(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    citizen = demo.test_client()
    citizen.post(f"/t/{token}/requests", data={"csrf_token": page_csrf(citizen, token),
                                               "kind": "instructions",
                                               "instructions": "Gọi trước khi đến"})
    login(client, "counter")
    html = client.get("/staff/requests").get_data(as_text=True)
    assert number in html and "Gọi trước khi đến" in html
