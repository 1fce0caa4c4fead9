"""The jobs that send outbox rows (webhooks, SMS) and the sweep that re-enqueues rows never sent.

Jobs queued before this module existed were named ``web.tasks.send_outbox`` and so on: web.tasks
keeps those names pointing here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from delivery.models import utcnow
from tracking.channels import routes_of
from tracking.models import Outbox
from tracking.notify import pending_outbox_ids, release_stuck
from tracking.outbox import claim_batch, deliver, webhook_agencies
from tracking.sms import SmsSettings

from .db import drop_inherited_pool, engine, job_session
from .jobs import enqueue, enqueue_in, runs_on
from .zalo_token_keeper import DatabaseTokens

OUTBOX_BATCH = 50  # rows claimed at once: fewer claims and commits when a backlog builds
# How long one job keeps draining a backlog: one RQ job per row costs more than the send itself
# under load, so the first job takes the rest along; bounded well inside RQ's job timeout (180 s).
DRAIN_SECONDS = 60

@contextmanager
def batch_session() -> Iterator[Session]:
    """A job session that keeps one connection for all its transactions: a batch commits once per
    row, and each commit through the pool would cost a checkout and a ping."""
    drop_inherited_pool()
    with engine().connect() as connection, Session(connection, expire_on_commit=False) as session:
        asynchronous = connection.dialect.name == "postgresql"
        if asynchronous:
            # Commits need not wait for the disk: a result lost to a database crash leaves its row
            # "sending", and the sweep sends it again with the same id, exactly as after a worker
            # crash.
            connection.exec_driver_sql("SET synchronous_commit TO off")
            connection.commit()
        try:
            yield session
        finally:
            if asynchronous:
                session.rollback()
                connection.exec_driver_sql("RESET synchronous_commit")
                connection.commit()


def sms_settings() -> SmsSettings:
    config = current_app.config
    tokens = DatabaseTokens(engine(), config["ZALO"], config["ZALO_FIRST_TOKENS"]) \
        if config["ZALO"] else None
    return SmsSettings(gateway=config["SMS_GATEWAY"], http_url=config["SMS_HTTP_URL"],
                       http_token=config["SMS_HTTP_TOKEN"], ascii_only=config["SMS_ASCII_ONLY"],
                       quiet_hours=config["SMS_QUIET_HOURS"],
                       public_base_url=config["PUBLIC_BASE_URL"],
                       reveal_otp_in_log=config["APP_ENV"] == "development",
                       esms=config["SMS_ESMS"], viettel=config["SMS_VIETTEL"],
                       zalo=config["ZALO"], zalo_tokens=tokens,
                       esms_zns=config["ZNS_ESMS"],
                       channels=config["NOTIFY_CHANNELS"],
                       sms_tariff_vnd=config["SMS_TARIFF_VND"],
                       zns_tariff_vnd=config["ZNS_TARIFF_VND"],
                       otp_receipt_wait_minutes=config["OTP_RECEIPT_WAIT_MINUTES"])


@runs_on("notifications")
def send_outbox(outbox_id: int) -> str:
    """Send one outbox row (webhook or SMS) and, while a backlog lasts (up to DRAIN_SECONDS), the
    other due rows in batches of OUTBOX_BATCH; on failure or in quiet hours schedule the next try
    (RQ) or leave it to the sweep. Returns the state of ``outbox_id``. Jobs for rows already sent
    this way find nothing to do.

    Each batch's claim is committed before anything is sent, and each row's result right after its
    send (see tracking.outbox), so a worker killed mid-batch leaves at most the row in flight to be
    sent again (same id); the rows claimed but not yet sent are handed back by the sweep and sent
    once."""
    size = current_app.config.get("OUTBOX_BATCH", OUTBOX_BATCH)
    deadline, state, retries = time.monotonic() + DRAIN_SECONDS, None, []
    settings = sms_settings()
    with batch_session() as session:
        while True:
            rows = claim_batch(session, outbox_id, size)
            if state is None:
                state = next((row.state for row in rows if row.id == outbox_id), None) or \
                    session.scalar(select(Outbox.state).where(Outbox.id == outbox_id)) or "missing"
            agencies = webhook_agencies(session, rows)
            routes = routes_of(session, rows, settings)
            session.commit()
            for row in rows:
                retries.extend(_send_claimed(session, row, settings, agencies, routes))
                state = row.state if row.id == outbox_id else state
            if not rows or time.monotonic() > deadline:
                break
    for row_id, delay in retries:
        enqueue_in(delay, send_outbox, row_id)  # without Redis the sweep retries it
    return state


@runs_on("notifications")
def send_outbox_rows(outbox_ids: list[int]) -> dict[str, int]:
    """Send several outbox rows, one after the other (what a request's rows are pushed as, see
    web.outbox_push). A row that fails unexpectedly stays for the sweep; the others still go.
    Returns the count per resulting state."""
    states: dict[str, int] = {}
    for outbox_id in outbox_ids:
        try:
            state = send_outbox(outbox_id)
        except Exception:  # noqa: BLE001 - one bad row must not hold back the rest of the batch
            current_app.logger.exception("outbox row %s failed; the sweep will retry it", outbox_id)
            state = "error"
        states[state] = states.get(state, 0) + 1
    return states


def _send_claimed(session: Session, row: Outbox, settings: SmsSettings, agencies: dict,
                  routes: dict) -> list[tuple[int, timedelta]]:
    """Send one claimed row and commit its result;
    the retry to schedule when it is pending again."""
    state = deliver(session, row, settings, agencies=agencies, routes=routes)
    session.commit()
    return ([(row.id, max(row.next_attempt_at - utcnow(), timedelta(0)))]
            if state == "pending" else [])


def sweep_outbox() -> int:
    """Hand back rows stuck in ``sending`` (their worker died), then re-enqueue every pending row
    whose time has come (rows Redis never saw, or due retries). Returns how many were enqueued."""
    stuck_after = timedelta(seconds=current_app.config["OUTBOX_STUCK_AFTER_SECONDS"])
    with job_session() as session:
        release_stuck(session, stuck_after)
        session.commit()
        ids = pending_outbox_ids(session)
    for outbox_id in ids:
        enqueue(send_outbox, outbox_id)
    return len(ids)


@runs_on("notifications")
def otp_sms_fallback() -> int:
    """Every minute (run by web.tasks.periodic_sweep): the delivery codes Zalo took but did not
    deliver within OTP_RECEIPT_WAIT_MINUTES go by SMS, once (tracking.otp_fallback); idempotent:
    each code is claimed, and scrubbed, in a commit of its own before its SMS is sent. Returns the
    SMS sent."""
    from tracking.otp_fallback import codes_past_wait, send_fallback, take_code

    minutes = current_app.config["OTP_RECEIPT_WAIT_MINUTES"]
    if not minutes:
        return 0
    settings, sent = sms_settings(), 0
    with job_session() as session:
        for outbox_id in codes_past_wait(session, timedelta(minutes=minutes)):
            payload = take_code(session, outbox_id)
            session.commit()
            if payload is not None:
                sent += send_fallback(session, outbox_id, payload, settings) == "accepted"
                session.commit()
    return sent


@runs_on("notifications")
def sms_instead_of_zns(outbox_id: int) -> str:
    """A ZNS message Zalo turned down after eSMS accepted it (the number has no Zalo) goes by SMS,
    once (tracking.no_zalo): the SMS send is claimed in a commit of its own first. Returns the
    SMS's outcome, or "none" when none is due (already sent, or never turned down)."""
    from tracking.no_zalo import claim_sms, send_instead

    settings = sms_settings()
    with job_session() as session:
        claim = claim_sms(session, outbox_id, settings)
        session.commit()
        if claim is None:
            return "none"
        outcome = send_instead(session, claim, settings).outcome
        session.commit()
    return outcome
