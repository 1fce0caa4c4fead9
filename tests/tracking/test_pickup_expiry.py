"""Items nobody collects go back to the agency after its hold period (tracking.pickup_expiry)."""

import uuid
from datetime import timedelta

from sqlmodel import Session, select

from delivery.lifecycle import apply_event
from delivery.models import Agency, TrackingEvent, utcnow
from delivery.status_model import Scan, allowed_events
from tests.stand_ins import Receiver
from tracking import pickup_expiry
from tracking.models import Outbox
from tracking.pickup_expiry import expire_pickups, overdue_pickups


def hold(session, consignment, days_ago):
    """accepted -> at the office -> held for pick-up, ``days_ago`` days ago."""
    at = utcnow() - timedelta(days=days_ago)
    for event in ("accepted", "arrived_delivery_office", "held_for_pickup"):
        scan = Scan(event=event, occurred_at=at, actor="user:1", client_event_id=str(uuid.uuid4()),
                    fingerprint="f")
        apply_event(session, consignment, scan, attempt_limit=2)
    session.commit()


def events(session, consignment):
    return session.exec(select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)
                        .order_by(TrackingEvent.id)).all()


def test_it_sends_back_an_item_held_longer_than_the_agency_allows(session, consignment):
    hold(session, consignment, days_ago=8)
    expire_pickups(session)
    session.commit()
    session.refresh(consignment)
    last = events(session, consignment)[-1]
    assert consignment.status == "returning"
    assert (last.event, last.actor, last.status_before, last.status_after) == (
        "pickup_expired", "system", "held_for_pickup", "returning")


def test_it_leaves_an_item_still_inside_its_hold_period(session, consignment):
    hold(session, consignment, days_ago=6)
    assert expire_pickups(session) == [] and overdue_pickups(session, utcnow()) == []
    session.refresh(consignment)
    assert consignment.status == "held_for_pickup"


def test_it_holds_an_item_as_long_as_its_agency_says(session, consignment, agency):
    session.get(Agency, agency.id).pickup_hold_days = 3
    hold(session, consignment, days_ago=4)
    expire_pickups(session)
    session.commit()
    session.refresh(consignment)
    assert consignment.status == "returning"


def test_it_records_nothing_more_the_second_time(session, consignment):
    hold(session, consignment, days_ago=8)
    expire_pickups(session)
    session.commit()
    assert expire_pickups(session) == []
    session.commit()
    assert [e.event for e in events(session, consignment)].count("pickup_expired") == 1


def test_it_skips_an_item_another_sweep_sent_back_meanwhile(app, session, consignment, monkeypatch):
    hold(session, consignment, days_ago=8)
    stale = overdue_pickups(session, utcnow())
    session.commit()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as other:
        expire_pickups(other)
        other.commit()
    monkeypatch.setattr(pickup_expiry, "overdue_pickups", lambda *args, **kwargs: stale)
    assert expire_pickups(session) == []
    session.commit()
    assert [e.event for e in events(session, consignment)].count("pickup_expired") == 1


def test_it_never_offers_the_expiry_to_staff_as_a_scan():
    assert "pickup_expired" not in allowed_events("held_for_pickup")


def test_it_tells_the_upstream_system_by_webhook(demo, client, api_headers):
    from tests.tracking.test_webhooks import SECRET, create_and_scan, point_webhook_at
    from web.tasks import expire_held_pickups

    with Receiver(SECRET) as receiver:
        point_webhook_at(demo, receiver.url)
        number = create_and_scan(client, api_headers,
                                 ("accepted", "arrived_delivery_office", "held_for_pickup"))
        with Session(demo.extensions["db_engine"]) as db:
            for event in db.exec(select(TrackingEvent)).all():
                event.occurred_at -= timedelta(days=8)
            db.commit()
        with demo.app_context():
            assert expire_held_pickups() == 1
    body = receiver.applied()[-1]
    assert body["data"] == {"tracking_number": number, "dossier_code": body["data"]["dossier_code"],
                            "status": "returning", "event": "pickup_expired"}
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(Outbox).where(Outbox.kind == "webhook")).all()[-1].state == "sent"
