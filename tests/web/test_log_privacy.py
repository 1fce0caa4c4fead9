"""A whole run of a production-configured app (APP_ENV=production, a 40-character secret, the http
SMS gateway with a local stand-in, OTP required) with every log record captured at DEBUG: no line
carries a tracking token, an OTP, a full phone number or a full name, whatever happened (creation,
scans to delivery, a failed attempt, a wrong OTP, a citizen's request, a webhook refused then
sent, database errors)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, select

from delivery.models import Agency
from tests.conftest import API_KEY, PASSWORD, _empty_business_tables, make_app
from tests.payloads import intake_body, scan_body, with_otp
from tests.stand_ins import Receiver, SmsGateway
from tests.web.public_helpers import page_csrf
from web.demo import seed_demo

SECRET = "production-secret-of-forty-characters-0123"
NAME, PHONE = "Nguyễn Văn An", "0912345678"
HEADERS = {"Authorization": f"Bearer {API_KEY}"}
REFUSE = {  # a database refusing every new item and tracking event, by dialect
    "sqlite": [f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
               for table in ("consignment", "trackingevent")],
    "postgresql": ["CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"] + [
                   f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_rows()"
                   for table in ("consignment", "trackingevent")]}
ALLOW = {"sqlite": [f"DROP TRIGGER IF EXISTS refuse_{table}"
                    for table in ("consignment", "trackingevent")],
         "postgresql": [f"DROP TRIGGER IF EXISTS refuse_{table} ON {table}"
                        for table in ("consignment", "trackingevent")]
         + ["DROP FUNCTION IF EXISTS refuse_rows()"]}


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    with SmsGateway(token="sms-token") as running:
        yield running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(secret="hook-secret", statuses=[500]) as running:
        yield running


def _production_app(database_url: str, monkeypatch: pytest.MonkeyPatch,
                    environment: dict[str, str]) -> Flask:
    """The app as production configures it (the environment, then the test's database), with the
    demo data; its agency sends webhooks to ``DEMO_WEBHOOK_URL`` when given."""
    for name, value in {"APP_ENV": "production", "SECRET_KEY": SECRET,
                        "PUBLIC_BASE_URL": "https://buudien.example", "DEMO_API_KEY": API_KEY,
                        "DEMO_PASSWORD": PASSWORD, "SMS_QUIET_HOURS": "0-0",  # any time of day
                        **environment}.items():
        monkeypatch.setenv(name, value)
    app = make_app(database_url, SECRET_KEY=SECRET, DELIVERY_OTP_REQUIRED=True,
                   PUBLIC_BASE_URL="https://buudien.example")
    assert app.config["APP_ENV"] == "production" and app.config["SESSION_COOKIE_SECURE"]
    _empty_business_tables(app)
    with app.app_context(), Session(app.extensions["db_engine"]) as db:
        seed_demo(db)
    return app


@pytest.fixture
def production(database_url, monkeypatch, gateway, receiver) -> Iterator[Flask]:
    app = _production_app(database_url, monkeypatch, {
        "SMS_GATEWAY": "http", "SMS_HTTP_URL": gateway.url, "SMS_HTTP_TOKEN": "sms-token",
        "DEMO_WEBHOOK_URL": receiver.url, "DEMO_WEBHOOK_SECRET": "hook-secret"})
    with Session(app.extensions["db_engine"]) as db:
        assert db.exec(select(Agency)).first().webhook_url == receiver.url
    yield app
    _database(app, ALLOW)
    app.extensions["db_engine"].dispose()


def _database(app: Flask, statements: dict[str, list[str]]) -> None:
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        for statement in statements[engine.dialect.name]:
            connection.execute(text(statement))


def _scan(client: FlaskClient, number: str, event: str, **extra) -> dict:
    response = client.post("/api/v1/scans", json=scan_body(number, event, **extra),
                           headers=HEADERS)
    return response.get_json() | {"http_status": response.status_code}


def _whole_run(app: Flask, gateway: SmsGateway) -> str:
    """Creation, a citizen's request, scans to a failed attempt and out again, database errors on
    a creation, a scan and a request, a wrong OTP, delivery with the right one, the citizen's page
    and a lookup; returns the token."""
    client = app.test_client()
    created = client.post("/api/v1/consignments", json=intake_body(
        1, recipient={"name": NAME, "phone": PHONE, "national_id": "001085012345"}),
        headers=HEADERS).get_json()
    number, token = created["tracking_number"], created["tracking_url"].rsplit("/", 1)[1]
    csrf = page_csrf(client, token)
    client.post(f"/t/{token}/requests", data={"csrf_token": csrf, "kind": "instructions",
                                              "instructions": f"Gọi {PHONE} trước"})
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery", "delivery_failed",
                  "out_for_delivery"):
        assert _scan(client, number, event)["http_status"] == 201
    _database(app, REFUSE)
    assert client.post("/api/v1/consignments", json=intake_body(2, recipient={
        "name": NAME, "phone": PHONE}), headers=HEADERS).status_code == 500
    assert _scan(client, number, "delivery_failed")["http_status"] == 500
    assert client.post(f"/t/{token}/requests", data={"csrf_token": csrf, "kind": "pickup"}
                       ).status_code == 500
    _database(app, ALLOW)
    assert _scan(client, number, "delivered", proof={"received_by": NAME, "otp": "000000",
                                                      "relation": "self"})["http_status"] == 422
    otp = gateway.otp_for("+84912345678")
    assert client.post("/api/v1/scans", json=with_otp(scan_body(number, "delivered"), otp),
                       headers=HEADERS).status_code == 201
    client.get(f"/t/{token}")
    client.get("/api/v1/track", query_string={"tracking_number": number, "phone_last4": "5678"})
    return token


def _logged(records: list[logging.LogRecord]) -> str:
    """Every line the run logged, as a handler would write it: message, traceback, stack."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records)


def test_it_logs_no_token_otp_phone_or_name_in_a_production_run(production, gateway, receiver,
                                                               caplog):
    caplog.set_level(logging.DEBUG)
    token = _whole_run(production, gateway)
    otps = {gateway.otp_for("+84912345678")} | {
        word.strip(".") for message in gateway.sent() for word in message["text"].split()
        if word.strip(".").isdigit() and len(word.strip(".")) == 6}
    logged = _logged(caplog.records)
    assert len(caplog.records) >= 3 and receiver.received and len(otps) >= 2
    for secret in (token, *otps, PHONE, "+84912345678", "84912345678", "912345678", NAME,
                   "Nguyen Van An", "nguyen van an", "001085012345"):
        assert secret not in logged, f"{secret!r} found in the log:\n{logged[-3000:]}"


def test_it_logs_texts_without_link_otp_or_phone_when_production_opts_out_of_sms(
    database_url, monkeypatch, caplog
):
    app = _production_app(database_url, monkeypatch, {"SMS_GATEWAY": "console",
                                                      "SMS_CONSOLE_IN_PRODUCTION": "true"})
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    created = client.post("/api/v1/consignments", json=intake_body(1), headers=HEADERS).get_json()
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        assert _scan(client, created["tracking_number"], event)["http_status"] == 201
    app.extensions["db_engine"].dispose()
    texts = _logged([r for r in caplog.records if r.name == "tracking.sms"])
    assert texts.count("SMS ") == 2 and "/t/<token>" in texts and "******" in texts
    assert created["tracking_url"].rsplit("/", 1)[1] not in _logged(caplog.records)
    assert PHONE[1:] not in texts and not re.search(r"OTP[^:]*: \d", texts)
