"""A worker killed between a provider's answer and its commit: the sweep sends the message again
with the same ids, and each channel still reaches the citizen once (eSMS answers a repeated
RequestId with 124); the ZNS refusal recorded before is not tried again."""

from datetime import timedelta

from sqlmodel import Session

from delivery.models import utcnow
from tests.tracking.channel_fixtures import providers, sends, sms_rows
from tests.web.public_helpers import create_item
from tracking.channels import routes_of
from tracking.models import Outbox
from tracking.outbox import claim_batch, deliver


def killed_after_sending(app, row_id: int) -> None:
    """Claim and send the row as a worker would, then die before the result's commit."""
    from web.outbox_jobs import batch_session, sms_settings

    with app.app_context(), batch_session() as session:
        rows = claim_batch(session, row_id, 1)
        settings = sms_settings()
        routes = routes_of(session, rows, settings)
        session.commit()
        deliver(session, rows[0], settings, routes=routes)
        session.rollback()  # killed: nothing of the send is recorded


def test_it_texts_once_on_each_channel_when_the_worker_dies_mid_send(demo, client, api_headers):
    from web.tasks import sweep_outbox

    with providers(demo, without_zalo=("84912345678",)) as (esms, zns):
        demo.config.update(SMS_QUIET_HOURS=(0, 23))  # the created SMS waits: no send on commit
        create_item(client, api_headers)
        demo.config.update(SMS_QUIET_HOURS=(0, 0), OUTBOX_STUCK_AFTER_SECONDS=60)
        row_id = sms_rows(demo)[0].id
        with Session(demo.extensions["db_engine"]) as db:
            db.get(Outbox, row_id).next_attempt_at = None
            db.commit()
        killed_after_sending(demo, row_id)
        assert (sms_rows(demo)[0].state, len(esms.sent()), sends(demo)) == ("sending", 1, [])
        with Session(demo.extensions["db_engine"]) as db:
            db.get(Outbox, row_id).claimed_at = utcnow() - timedelta(minutes=2)
            db.commit()
        with demo.app_context():
            assert sweep_outbox() == 1
    assert sms_rows(demo)[0].state == "sent" and len(esms.sent()) == 1
    assert [r["RequestId"] for r in esms.received] == [f"sms-{row_id}"] * 2
    assert [(s.channel, s.outcome, s.provider_code) for s in sends(demo)] == [
        ("zns", "no_account", "-118"), ("sms", "accepted", "124")]
    assert len(zns.received) == 2 and zns.delivered == []  # asked again: the kill lost its answer
