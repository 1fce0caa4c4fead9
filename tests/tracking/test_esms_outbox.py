"""eSMS as the outbox's SMS gateway: one SMS per message, permanent refusals dead at once,
fixable ones retried."""

import pytest
from sqlmodel import Session, select

from tests.stand_ins_channels import EsmsStandIn
from tests.web.public_helpers import create_item
from tracking.esms import EsmsSettings
from tracking.models import DeliveryAttempt, Outbox


@pytest.fixture
def esms(demo):
    with EsmsStandIn() as esms:
        demo.config.update(SMS_GATEWAY="esms", SMS_ESMS=EsmsSettings(
            "esms-key", "esms-secret", "BUUDIEN", url=esms.url, timeout=0.5))
        yield esms


def only_row(app) -> Outbox:
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Outbox).where(Outbox.kind == "sms")).one()


def test_it_texts_the_new_item_through_esms(demo, client, api_headers, esms):
    _, token = create_item(client, api_headers)
    [message] = esms.sent()
    assert message["Phone"] == "0912345678" and f"/t/{token}" in message["Content"]
    assert message["RequestId"] == f"sms-{only_row(demo).id}" and only_row(demo).state == "sent"


def test_it_dead_letters_at_once_what_esms_will_never_send(demo, client, api_headers, esms):
    esms.blocked.add("0912345678")
    create_item(client, api_headers)
    row = only_row(demo)
    assert (row.state, row.attempts, row.last_error) == ("dead", 1, "eSMS CodeResult 99")


def test_it_retries_after_wrong_credentials(demo, client, api_headers, esms):
    esms.secret_key = "rotated"
    create_item(client, api_headers)
    row = only_row(demo)
    with Session(demo.extensions["db_engine"]) as db:
        [attempt] = db.exec(select(DeliveryAttempt)).all()
    assert (row.state, row.next_attempt_at is not None) == ("pending", True)
    assert attempt.error == "eSMS CodeResult 101"
