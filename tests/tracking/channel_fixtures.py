"""The app wired to the eSMS and Zalo stand-ins, ZNS first (NOTIFY_CHANNELS=zns,sms)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlmodel import Session, select

from tests.stand_ins_channels import EsmsStandIn, ZaloStandIn
from tracking.channel_models import MessageSend
from tracking.esms import EsmsSettings
from tracking.message_texts import KINDS
from tracking.models import Outbox
from tracking.zalo_zns import ZaloSettings

PHONE = "+84912345678"
SMS_TARIFF, ZNS_TARIFF = 750, 300


@contextmanager
def providers(app: Flask, without_zalo: tuple[str, ...] = (),
              **zalo: object) -> Iterator[tuple[EsmsStandIn, ZaloStandIn]]:
    with EsmsStandIn() as esms, ZaloStandIn(without_zalo=without_zalo, **zalo) as zns:
        app.config.update(
            SMS_GATEWAY="esms", NOTIFY_CHANNELS=("zns", "sms"),
            SMS_TARIFF_VND=SMS_TARIFF, ZNS_TARIFF_VND=ZNS_TARIFF,
            SMS_ESMS=EsmsSettings("esms-key", "esms-secret", "BUUDIEN", url=esms.url,
                                  callback_url="http://localhost/hooks/esms",
                                  callback_secret="receipts", timeout=0.5),
            ZALO=ZaloSettings("zalo-app", "zalo-secret", url=zns.url, oauth_url=zns.oauth_url,
                              template_ids={kind: f"30100{i}" for i, kind in enumerate(KINDS)},
                              timeout=0.5),
            ZALO_FIRST_TOKENS=("oa-token-1", "refresh-1"), ZALO_WEBHOOK_SECRET="oa-secret")
        yield esms, zns


def sends(app: Flask) -> list[MessageSend]:
    with Session(app.extensions["db_engine"]) as db:
        return list(db.exec(select(MessageSend).order_by(MessageSend.id)).all())


def sms_rows(app: Flask) -> list[Outbox]:
    with Session(app.extensions["db_engine"]) as db:
        return list(db.exec(select(Outbox).where(Outbox.kind == "sms")
                            .order_by(Outbox.id)).all())
