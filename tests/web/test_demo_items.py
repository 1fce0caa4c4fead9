"""The demo's items: one at each status, made by the real domain calls, seeded twice safely."""

from sqlmodel import select

from delivery.models import Consignment
from web.demo_items import ITEMS, seed_demo_items


def statuses(session):
    return sorted(c.status for c in session.exec(select(Consignment)).all())


def test_it_seeds_an_item_at_every_status(demo, session):
    with demo.app_context():
        assert seed_demo_items(session) == len(ITEMS)
    assert statuses(session) == sorted([
        "created", "accepted", "in_transit", "at_delivery_office", "out_for_delivery",
        "attempt_failed", "held_for_pickup", "delivered", "returned", "cancelled"])


def test_it_changes_nothing_when_seeded_again(demo, session):
    with demo.app_context():
        seed_demo_items(session)
        before = [(c.tracking_number, c.status, c.version)
                  for c in session.exec(select(Consignment).order_by(Consignment.id)).all()]
        seed_demo_items(session)
    after = [(c.tracking_number, c.status, c.version)
             for c in session.exec(select(Consignment).order_by(Consignment.id)).all()]
    assert after == before


def test_it_puts_every_event_in_the_past(demo, session):
    from delivery.models import TrackingEvent, utcnow

    with demo.app_context():
        seed_demo_items(session)
    times = [e.occurred_at for e in session.exec(
        select(TrackingEvent).order_by(TrackingEvent.consignment_id, TrackingEvent.id)).all()]
    assert times and max(times) < utcnow()
