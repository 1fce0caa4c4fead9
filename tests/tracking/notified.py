"""An app whose notifications leave for local stand-ins: the upstream system's webhook receiver
(signatures checked on its side) and the http SMS gateway."""

from __future__ import annotations

from flask import Flask
from sqlmodel import Session, select

from delivery.models import Agency
from tests.conftest import API_KEY
from tests.stand_ins import Receiver, SmsGateway
from tracking.models import Outbox

SECRET = "shared-secret-with-the-one-stop-shop"
HEADERS = {"Authorization": f"Bearer {API_KEY}"}


def seed(app: Flask, monkeypatch) -> None:
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    with app.app_context(), Session(app.extensions["db_engine"]) as db:
        seed_demo(db)


def wire(app: Flask, receiver: Receiver, gateway: SmsGateway) -> dict[str, str]:
    """Point the app (and return the environment for a worker process) at the stand-ins."""
    with Session(app.extensions["db_engine"]) as db:
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        agency.webhook_url, agency.webhook_secret = receiver.url, SECRET
        db.commit()
    settings = {"SMS_GATEWAY": "http", "SMS_HTTP_URL": gateway.url, "SMS_HTTP_TOKEN": gateway.token,
                "SMS_QUIET_HOURS": (0, 0), "DELIVERY_OTP_REQUIRED": True}
    app.config.update(settings)
    return {"SMS_GATEWAY": "http", "SMS_HTTP_URL": gateway.url, "SMS_HTTP_TOKEN": gateway.token,
            "SMS_QUIET_HOURS": "0-0", "DELIVERY_OTP_REQUIRED": "true"}


def outbox_states(app: Flask) -> dict[str, int]:
    with Session(app.extensions["db_engine"]) as db:
        states: dict[str, int] = {}
        for row in db.exec(select(Outbox)).all():
            states[row.state] = states.get(row.state, 0) + 1
        return states
