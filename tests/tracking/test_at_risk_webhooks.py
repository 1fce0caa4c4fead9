"""The upstream system hears of an item at risk once per risk episode
(tracking.notify.queue_at_risk), in the flagging transaction."""

import json
from datetime import datetime, timedelta

from sqlmodel import select

from delivery.at_risk import flag_at_risk
from delivery.intake import create_consignment, parse_intake
from delivery.models import VIETNAM_TIME, Agency
from tests.payloads import intake_body
from tracking.models import Outbox
from tracking.notify import queue_at_risk

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=VIETNAM_TIME)
DUE_TODAY = datetime(2026, 12, 9, 17, 0, tzinfo=VIETNAM_TIME)


def listen(session, agency):
    session.get(Agency, agency.id).webhook_url = "https://mot-cua.example/hooks"
    session.commit()


def at_office(session, consignment, due_at=DUE_TODAY):
    consignment.status, consignment.due_at = "at_delivery_office", due_at
    session.add(consignment)
    session.commit()


def run(session, now):
    ids = queue_at_risk(session, flag_at_risk(session, now).flagged)
    session.commit()
    return ids


def webhooks(session):
    return session.exec(select(Outbox).where(Outbox.kind == "webhook").order_by(Outbox.id)).all()


def test_it_writes_the_at_risk_webhook_shaped_as_a_status_change_with_due_date_and_reason(
        session, agency, consignment):
    listen(session, agency)
    at_office(session, consignment)
    [outbox_id] = run(session, NOW)
    row = session.get(Outbox, outbox_id)
    body = json.loads(row.payload)
    assert (row.kind, row.consignment_id, row.state) == ("webhook", consignment.id, "pending")
    assert body["type"] == "consignment.at_risk"
    assert datetime.fromisoformat(body["occurred_at"]) == NOW
    assert body["data"] == {"tracking_number": consignment.tracking_number,
                            "dossier_code": consignment.dossier_code,
                            "status": "at_delivery_office",
                            "due_at": body["data"]["due_at"], "reason": "not_out_for_delivery"}
    assert datetime.fromisoformat(body["data"]["due_at"]) == DUE_TODAY


def test_it_writes_the_webhook_once_however_often_the_job_runs_in_an_episode(
        session, agency, consignment):
    listen(session, agency)
    at_office(session, consignment)
    run(session, NOW)
    assert run(session, NOW + timedelta(minutes=5)) == []
    assert run(session, NOW + timedelta(hours=3)) == []
    assert len(webhooks(session)) == 1


def test_it_writes_one_more_webhook_for_a_new_episode_with_its_own_id(
        session, agency, consignment):
    listen(session, agency)
    at_office(session, consignment)
    run(session, NOW)
    consignment.status = "out_for_delivery"
    session.add(consignment)
    session.commit()
    run(session, NOW + timedelta(minutes=5))  # out for delivery: the episode ends
    consignment.status = "attempt_failed"
    session.add(consignment)
    session.commit()
    run(session, NOW + timedelta(minutes=10))
    first, second = (json.loads(row.payload) for row in webhooks(session))
    assert first["id"] != second["id"]
    assert (first["data"]["reason"], second["data"]["reason"]) == (
        "not_out_for_delivery", "failed_no_new_attempt")


def test_it_writes_no_webhook_for_an_agency_without_a_webhook_url(session, agency, consignment):
    at_office(session, consignment)
    assert run(session, NOW) == []
    assert webhooks(session) == []


def test_it_gives_each_item_flagged_in_one_run_its_own_webhook_id(session, agency, consignment):
    listen(session, agency)
    other, _ = create_consignment(session, parse_intake(intake_body(2)), agency, indicator="RR")
    at_office(session, consignment)
    at_office(session, other)
    run(session, NOW)
    first, second = (json.loads(row.payload) for row in webhooks(session))
    assert first["id"] != second["id"]
