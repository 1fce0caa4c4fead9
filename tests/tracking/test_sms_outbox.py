import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, utcnow
from tests.stand_ins import SmsGateway
from tests.web.public_helpers import create_item, move
from tracking.models import DeliveryAttempt, Outbox
from tracking.outbox import BACKOFF

PHONE = "+84912345678"


@pytest.fixture
def gateway(demo):
    with SmsGateway() as gateway:
        demo.config.update(SMS_GATEWAY="http", SMS_HTTP_URL=gateway.url, SMS_HTTP_TOKEN="sms-token",
                           SMS_QUIET_HOURS=(0, 0))
        yield gateway


def rows(app, **where):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(
            select(Outbox).where(Outbox.kind == "sms").filter_by(**where).order_by(Outbox.id)
        ).all()


def test_it_texts_the_tracking_link_when_the_item_is_created(demo, client, api_headers, gateway):
    _, token = create_item(client, api_headers)
    [message] = gateway.sent()
    assert (message["to"] == PHONE and f"http://localhost/t/{token}" in message["text"]
            and message["segments"] >= 1)


def test_it_texts_every_step_the_citizen_must_act_on(demo, client, api_headers, gateway):
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivery_failed", "held_for_pickup")
    texts = [m["text"] for m in gateway.sent()]
    assert (len(texts) == 4 and "OTP" in texts[1] and "/t/" in texts[2]
            and "chờ nhận tại Bưu cục phát" in texts[3])


def test_it_sends_without_diacritics_when_asked(demo, client, api_headers, gateway):
    demo.config["SMS_ASCII_ONLY"] = True
    create_item(client, api_headers)
    assert gateway.sent()[0]["encoding"] == "GSM-7"


def test_it_holds_an_sms_in_quiet_hours_but_not_the_otp(demo, client, api_headers, gateway):
    hour = utcnow().astimezone(VIETNAM_TIME).hour
    demo.config["SMS_QUIET_HOURS"] = (hour, (hour + 2) % 24)
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    created = rows(demo, state="pending")
    assert ([json.loads(r.payload)["template"] for r in created] == ["created"]
            and created[0].attempts == 0)
    assert (created[0].next_attempt_at > utcnow()
            and ["OTP" in m["text"] for m in gateway.sent()] == [True])


def test_it_scrubs_the_otp_from_the_outbox_once_sent(demo, client, api_headers, gateway):
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    assert all("otp" not in json.loads(r.payload) for r in rows(demo))


def test_it_sends_an_sms_once_even_if_the_job_runs_twice(demo, client, api_headers, gateway):
    from web.tasks import send_outbox

    create_item(client, api_headers)
    with demo.app_context():
        assert send_outbox(rows(demo)[0].id) == "sent"
    assert len(gateway.received) == 1


def test_it_dead_letters_after_the_last_retry_and_records_every_attempt(
    demo, client, api_headers, gateway
):
    from web.tasks import send_outbox

    demo.config["SMS_HTTP_TOKEN"] = "wrong"
    create_item(client, api_headers)
    row = rows(demo)[0]
    with Session(demo.extensions["db_engine"]) as db:
        db.get(Outbox, row.id).attempts, db.get(Outbox, row.id).next_attempt_at = len(BACKOFF), None
        db.commit()
    with demo.app_context():
        assert send_outbox(row.id) == "dead"
    with Session(demo.extensions["db_engine"]) as db:
        assert [a.status_code for a in db.exec(select(DeliveryAttempt)).all()] == [401, 401]


def test_it_hands_back_a_row_whose_sender_died_mid_send(demo, client, api_headers, gateway):
    from web.tasks import sweep_outbox

    demo.config.update(SMS_QUIET_HOURS=(0, 23), OUTBOX_STUCK_AFTER_SECONDS=60)
    create_item(client, api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        row = db.exec(select(Outbox)).one()
        row.state, row.claimed_at, row.next_attempt_at = (
            "sending", utcnow() - timedelta(minutes=2), None)
        db.commit()
    demo.config["SMS_QUIET_HOURS"] = (0, 0)
    with demo.app_context():
        assert sweep_outbox() == 1
    assert rows(demo)[0].state == "sent" and len(gateway.sent()) == 1


def test_it_does_not_resend_a_dead_otp_sms(demo, client, api_headers, gateway):
    from tracking.outbox import redeliver

    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    created, otp = rows(demo)[0].id, rows(demo)[-1].id
    with Session(demo.extensions["db_engine"]) as db:
        db.get(Outbox, otp).state = "dead"
        # a sent row is left alone too
        assert redeliver(db, otp) is False and redeliver(db, created) is False
