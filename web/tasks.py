"""RQ job entry points: module-level functions taking ids, re-reading state, safe to run twice.

Keep their signatures compatible with jobs already queued when changing them.
"""

from __future__ import annotations

import os
from datetime import timedelta

from flask import current_app
from sqlmodel import Session

from delivery.models import utcnow
from tracking.models import Outbox
from tracking.notify import pending_outbox_ids, release_stuck
from tracking.outbox import claim, deliver
from tracking.sms import SmsSettings

from .db import engine
from .jobs import enqueue, queue, redis_connection

SWEEP_EVERY = timedelta(minutes=1)
SWEEP_JOB_ID = "outbox-sweep"  # one id: however many workers schedule it, one sweep is waiting


def job_session() -> Session:
    """A session of its own for a job; after a fork (RQ's work horse) the inherited pool is dropped."""
    if current_app.extensions.get("db_pid") != os.getpid():
        engine().dispose(close=False)
        current_app.extensions["db_pid"] = os.getpid()
    return Session(engine(), expire_on_commit=False)


def sms_settings() -> SmsSettings:
    config = current_app.config
    return SmsSettings(gateway=config["SMS_GATEWAY"], http_url=config["SMS_HTTP_URL"],
                       http_token=config["SMS_HTTP_TOKEN"], ascii_only=config["SMS_ASCII_ONLY"],
                       quiet_hours=config["SMS_QUIET_HOURS"], public_base_url=config["PUBLIC_BASE_URL"],
                       reveal_otp_in_log=config["APP_ENV"] == "development")


def send_outbox(outbox_id: int) -> str:
    """Send one outbox row (webhook or SMS); on failure or in quiet hours schedule the next try (RQ) or leave
    it to the sweep. The claim is committed before sending, the result after (see tracking.outbox)."""
    with job_session() as session:
        if not claim(session, outbox_id):
            session.rollback()
            row = session.get(Outbox, outbox_id)
            return row.state if row else "missing"
        session.commit()
        row = session.get(Outbox, outbox_id)
        state = deliver(session, row, sms_settings())
        session.commit()
        retry_at = row.next_attempt_at if state == "pending" else None
    if retry_at and redis_connection() is not None:
        queue("notifications").enqueue_in(max(retry_at - utcnow(), timedelta(0)), send_outbox, outbox_id)
    return state


def send_outbox_rows(outbox_ids: list[int]) -> dict[str, int]:
    """Send several outbox rows, one after the other (what a request's rows are pushed as, see
    web.outbox_push). A row that fails unexpectedly stays for the sweep; the others still go. Returns the
    count per resulting state."""
    states: dict[str, int] = {}
    for outbox_id in outbox_ids:
        try:
            state = send_outbox(outbox_id)
        except Exception:  # noqa: BLE001 - one bad row must not hold back the rest of the batch
            current_app.logger.exception("outbox row %s failed; the sweep will retry it", outbox_id)
            state = "error"
        states[state] = states.get(state, 0) + 1
    return states


def sweep_outbox() -> int:
    """Hand back rows stuck in ``sending`` (their worker died), then re-enqueue every pending row whose time
    has come (rows Redis never saw, or due retries). Returns how many were enqueued."""
    stuck_after = timedelta(seconds=current_app.config["OUTBOX_STUCK_AFTER_SECONDS"])
    with job_session() as session:
        release_stuck(session, stuck_after)
        session.commit()
        ids = pending_outbox_ids(session)
    for outbox_id in ids:
        enqueue(send_outbox, outbox_id, queue_name="notifications")
    return len(ids)


def periodic_sweep() -> int:
    """The worker's sweep: sweep now, then schedule the next one (RQ's scheduler runs it)."""
    swept = sweep_outbox()
    schedule_sweep()
    return swept


def schedule_sweep() -> None:
    queue("notifications").enqueue_in(SWEEP_EVERY, periodic_sweep, job_id=SWEEP_JOB_ID)


RETENTION_EVERY = timedelta(hours=1)  # the final-status query reads many rows; once an hour is plenty
RETENTION_JOB_ID = "retention-sweep"


def anonymise_expired() -> int:
    """Erase the personal data of consignments whose final status is older than RETENTION_DAYS, a batch
    per transaction (see tracking.retention); idempotent. Returns how many consignments were anonymised."""
    from pathlib import Path

    from delivery.login_throttle import forget_stale
    from tracking.retention import anonymise_due

    days, photos = current_app.config["RETENTION_DAYS"], Path(current_app.config["PROOF_PHOTO_DIR"])
    total = 0
    with job_session() as session:
        while count := anonymise_due(session, days, photos):
            session.commit()
            total += count
        forget_stale(session)  # old login-failure counters hold client addresses and count for nothing
        session.commit()
    return total


def periodic_retention() -> int:
    """The worker's retention run: anonymise now, then schedule the next run (RQ's scheduler runs it)."""
    anonymised = anonymise_expired()
    schedule_retention()
    return anonymised


def schedule_retention() -> None:
    queue("default").enqueue_in(RETENTION_EVERY, periodic_retention, job_id=RETENTION_JOB_ID)


def locate_consignment(consignment_id: int) -> str:
    """Place a new consignment's address on the map (see delivery.locating); safe to run twice."""
    from delivery.geocoding import Geocoder
    from delivery.locating import locate
    from delivery.models import Consignment

    geocoder = current_app.extensions.get("geocoder")
    if geocoder is None:  # one per process: it holds the rate limit and the answer cache
        geocoder = current_app.extensions["geocoder"] = Geocoder(current_app.config["GEOCODER"])
    with job_session() as session:
        consignment = session.get(Consignment, consignment_id)
        point = locate(session, consignment, geocoder) if consignment else None
        session.commit()
    return point.source if point else "unplaced"


def process_import(import_id: int) -> str:
    """Work through an uploaded spreadsheet (see delivery.importing); safe to run again after a crash."""
    from delivery.importing import process_import as process

    with job_session() as session:
        run = process(session, import_id, indicator=current_app.config["S10_SERVICE_INDICATOR"])
        return run.state if run else "missing"
