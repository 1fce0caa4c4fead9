"""A delivery code Zalo accepted but did not deliver within OTP_RECEIPT_WAIT_MINUTES goes by SMS,
once; the plain code is kept in the outbox only until then."""

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.tracking.channel_fixtures import providers, sends, sms_rows
from tests.web.public_helpers import create_item, move
from tracking.channel_models import MessageSend
from web.config import ConfigError, from_environment


def out_for_delivery(client, api_headers) -> str:
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    return number


def zalo_send(demo, minutes_ago: int = 0, receipt: str | None = None) -> None:
    """The ZNS sends (the code's among them), made ``minutes_ago`` and with ``receipt``."""
    with Session(demo.extensions["db_engine"]) as db:
        for send in db.exec(select(MessageSend).where(MessageSend.channel == "zns")).all():
            send.sent_at -= timedelta(minutes=minutes_ago)
            send.receipt = receipt
        db.commit()


def run_fallback(demo) -> int:
    from web.tasks import otp_sms_fallback

    with demo.app_context():
        return otp_sms_fallback()


def code_kept(demo) -> bool:
    return "otp" in json.loads(sms_rows(demo)[-1].payload)


def test_it_texts_the_code_once_when_zalo_gives_no_receipt_in_time(demo, client, api_headers):
    with providers(demo) as (esms, zns):
        out_for_delivery(client, api_headers)
        code = zns.delivered[-1]["template_data"]["otp"]
        zalo_send(demo, minutes_ago=4)
        assert run_fallback(demo) == 1 and run_fallback(demo) == 0
    [sms] = esms.sent()
    assert code in sms["Content"] and not code_kept(demo)
    assert [s.channel for s in sends(demo)][-2:] == ["zns", "sms"]


def test_it_keeps_the_code_while_the_receipt_may_still_come(demo, client, api_headers):
    with providers(demo) as (esms, _):
        out_for_delivery(client, api_headers)
        zalo_send(demo, minutes_ago=2)
        assert run_fallback(demo) == 0
    assert esms.sent() == [] and code_kept(demo)


def test_it_only_scrubs_the_code_once_zalo_delivered_it(demo, client, api_headers):
    with providers(demo) as (esms, _):
        out_for_delivery(client, api_headers)
        zalo_send(demo, minutes_ago=4, receipt="delivered")
        assert run_fallback(demo) == 0
    assert esms.sent() == [] and not code_kept(demo)


def test_it_scrubs_the_code_at_once_when_sms_carried_it(demo, client, api_headers):
    with providers(demo, without_zalo=("84912345678",)):
        out_for_delivery(client, api_headers)
    assert not code_kept(demo)


def test_it_sends_no_code_of_a_round_that_is_over(demo, client, api_headers):
    with providers(demo) as (esms, _):
        number = out_for_delivery(client, api_headers)
        move(client, api_headers, number, "delivery_failed")
        zalo_send(demo, minutes_ago=4)
        assert run_fallback(demo) == 0
    [code_row] = [r for r in sms_rows(demo) if '"out_for_delivery"' in r.payload]
    assert esms.sent() == [] and '"otp"' not in code_row.payload


def test_it_keeps_nothing_when_the_fallback_is_off(demo, client, api_headers):
    demo.config["OTP_RECEIPT_WAIT_MINUTES"] = 0
    with providers(demo):
        out_for_delivery(client, api_headers)
    assert not code_kept(demo)


@pytest.mark.parametrize("raw", ["3m", "-1", "61"])
def test_it_refuses_a_receipt_wait_that_is_not_0_to_60_minutes(tmp_path, raw):
    with pytest.raises(ConfigError, match="OTP_RECEIPT_WAIT_MINUTES"):
        from_environment(str(tmp_path), {"OTP_RECEIPT_WAIT_MINUTES": raw})


def test_it_waits_three_minutes_by_default(tmp_path):
    assert from_environment(str(tmp_path), {})["OTP_RECEIPT_WAIT_MINUTES"] == 3
