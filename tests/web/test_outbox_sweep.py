import time

from sqlmodel import Session, select

from tests.stand_ins import SmsGateway
from tests.web.public_helpers import create_item
from tracking.models import Outbox


def test_it_sweeps_held_messages_in_the_background_without_redis(demo, client, api_headers):
    from web.cli import _sweep_in_background

    with SmsGateway() as gateway:
        demo.config.update(SMS_GATEWAY="http", SMS_HTTP_URL=gateway.url,
                           SMS_HTTP_TOKEN=gateway.token, SMS_QUIET_HOURS=(0, 23))
        create_item(client, api_headers)
        with Session(demo.extensions["db_engine"]) as db:  # quiet hours are over
            db.exec(select(Outbox)).one().next_attempt_at = None
            db.commit()
        demo.config["SMS_QUIET_HOURS"] = (0, 0)
        stop = _sweep_in_background(demo, every=0.05)
        for _ in range(100):
            if gateway.received:
                break
            time.sleep(0.05)
        stop.set()
        time.sleep(0.1)
    assert len(gateway.sent()) == 1
