"""RQ job entry points: module-level functions taking ids, re-reading state, safe to run twice.

Keep their signatures compatible with jobs already queued when changing them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from delivery.importing import BATCH_ROWS, ImportRun, begin_import, finish_import, import_batch
from delivery.models import utcnow
from tracking.models import Outbox
from tracking.notify import pending_outbox_ids, release_stuck
from tracking.outbox import claim_batch, deliver, webhook_agencies
from tracking.sms import SmsSettings

from .db import engine
from .jobs import Periodic, enqueue, enqueue_in, runs_on, schedule

SWEEP_EVERY = timedelta(minutes=1)
OUTBOX_BATCH = 50  # rows claimed at once: fewer claims and commits when a backlog builds
# How long one job keeps draining a backlog: one RQ job per row costs more than the send itself under load,
# so the first job takes the rest along; bounded well inside RQ's job timeout (180 s).
DRAIN_SECONDS = 60
SWEEP_JOB_ID = "outbox-sweep"  # one id: however many workers schedule it, one sweep is waiting


def _drop_inherited_pool() -> None:
    if current_app.extensions.get("db_pid") != os.getpid():
        engine().dispose(close=False)
        current_app.extensions["db_pid"] = os.getpid()


def job_session() -> Session:
    """A session of its own for a job; after a fork (RQ's work horse) the inherited pool is dropped."""
    _drop_inherited_pool()
    return Session(engine(), expire_on_commit=False)


@contextmanager
def batch_session() -> Iterator[Session]:
    """A job session that keeps one connection for all its transactions: a batch commits once per row, and
    each commit through the pool would cost a checkout and a ping."""
    _drop_inherited_pool()
    with engine().connect() as connection, Session(connection, expire_on_commit=False) as session:
        asynchronous = connection.dialect.name == "postgresql"
        if asynchronous:
            # Commits need not wait for the disk: a result lost to a database crash leaves its row "sending",
            # and the sweep sends it again with the same id, exactly as after a worker crash.
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
    return SmsSettings(gateway=config["SMS_GATEWAY"], http_url=config["SMS_HTTP_URL"],
                       http_token=config["SMS_HTTP_TOKEN"], ascii_only=config["SMS_ASCII_ONLY"],
                       quiet_hours=config["SMS_QUIET_HOURS"], public_base_url=config["PUBLIC_BASE_URL"],
                       reveal_otp_in_log=config["APP_ENV"] == "development")


@runs_on("notifications")
def send_outbox(outbox_id: int) -> str:
    """Send one outbox row (webhook or SMS) and, while a backlog lasts (up to DRAIN_SECONDS), the other due rows
    in batches of OUTBOX_BATCH; on failure or in quiet hours schedule the next try (RQ) or leave it to the sweep.
    Returns the state of ``outbox_id``. Jobs for rows already sent this way find nothing to do.

    Each batch's claim is committed before anything is sent, and each row's result right after its send (see
    tracking.outbox), so a worker killed mid-batch leaves at most the row in flight to be sent again (same
    id); the rows claimed but not yet sent are handed back by the sweep and sent once."""
    size = current_app.config.get("OUTBOX_BATCH", OUTBOX_BATCH)
    deadline, state, retries = time.monotonic() + DRAIN_SECONDS, None, []
    with batch_session() as session:
        while True:
            rows = claim_batch(session, outbox_id, size)
            if state is None:
                state = next((row.state for row in rows if row.id == outbox_id), None) or \
                    session.scalar(select(Outbox.state).where(Outbox.id == outbox_id)) or "missing"
            agencies = webhook_agencies(session, rows)
            session.commit()
            for row in rows:
                retries.extend(_send_claimed(session, row, agencies))
                state = row.state if row.id == outbox_id else state
            if not rows or time.monotonic() > deadline:
                break
    for row_id, delay in retries:
        enqueue_in(delay, send_outbox, row_id)  # without Redis the sweep retries it
    return state


@runs_on("notifications")
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


def _send_claimed(session: Session, row: Outbox, agencies: dict) -> list[tuple[int, timedelta]]:
    """Send one claimed row and commit its result; the retry to schedule when it is pending again."""
    state = deliver(session, row, sms_settings(), agencies=agencies)
    session.commit()
    return [(row.id, max(row.next_attempt_at - utcnow(), timedelta(0)))] if state == "pending" else []


def sweep_outbox() -> int:
    """Hand back rows stuck in ``sending`` (their worker died), then re-enqueue every pending row whose time
    has come (rows Redis never saw, or due retries). Returns how many were enqueued."""
    stuck_after = timedelta(seconds=current_app.config["OUTBOX_STUCK_AFTER_SECONDS"])
    with job_session() as session:
        release_stuck(session, stuck_after)
        session.commit()
        ids = pending_outbox_ids(session)
    for outbox_id in ids:
        enqueue(send_outbox, outbox_id)
    return len(ids)


def expire_held_pickups() -> int:
    """Send back items held for pick-up past their agency's hold period (tracking.pickup_expiry), then push
    the webhooks that causes. Idempotent. Returns how many outbox rows it wrote."""
    from tracking.pickup_expiry import expire_pickups

    with job_session() as session:
        outbox_ids = expire_pickups(session)
        session.commit()
    for outbox_id in outbox_ids:
        enqueue(send_outbox, outbox_id)
    return len(outbox_ids)


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


@runs_on("notifications")
def periodic_sweep() -> int:
    """Every SWEEP_EVERY: the outbox sweep, then expired pick-ups. Returns the rows enqueued."""
    with _next_run_scheduled(periodic_sweep):  # the outbox sweep must go on even if a run fails
        swept = sweep_outbox()
        expire_held_pickups()
    return swept


@runs_on("default")
def periodic_retention() -> int:
    """Every RETENTION_EVERY: anonymise_expired. Returns how many consignments it anonymised."""
    with _next_run_scheduled(periodic_retention):
        return anonymise_expired()


# What the worker repeats (scheduled at its start; without Redis the demo's thread runs them,
# web.cli). RQ has no endless repeat short of its separate cron process, so each run schedules the
# next under its one id.
PERIODIC_JOBS: tuple[Periodic, ...] = (
    Periodic(periodic_sweep, SWEEP_EVERY, SWEEP_JOB_ID),
    Periodic(periodic_retention, RETENTION_EVERY, RETENTION_JOB_ID),
)


def _periodic(job: Callable[[], int]) -> Periodic:
    return next(periodic for periodic in PERIODIC_JOBS if periodic.job is job)


@contextmanager
def _next_run_scheduled(job: Callable[[], int]) -> Iterator[None]:
    """Schedule the next run of periodic ``job`` when the block ends, even when it raises."""
    try:
        yield
    finally:
        schedule(_periodic(job))


def schedule_periodic_jobs() -> None:
    """Schedule every entry of PERIODIC_JOBS (at the worker's start; nothing without Redis)."""
    for periodic in PERIODIC_JOBS:
        schedule(periodic)


def schedule_sweep() -> None:
    """Schedule the outbox sweep alone (nothing without Redis)."""
    schedule(_periodic(periodic_sweep))


@runs_on("default")
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


@runs_on("default")
def process_import(import_id: int) -> str:
    """Work through an uploaded spreadsheet (see delivery.importing); safe to run again after a crash."""
    with job_session() as session:
        indicator = current_app.config["S10_SERVICE_INDICATOR"]
        run = import_spreadsheet(session, import_id, indicator=indicator)
        return run.state if run else "missing"


def import_spreadsheet(session: Session, import_id: int, *, indicator: str) -> ImportRun | None:
    """The transactions of an import: a commit after every BATCH_ROWS rows (so the page shows
    progress and a crash keeps what was done), and one for the end. A run already done is returned
    as it is; None when there is no such run. Idempotent: rows imported before are recognised by
    their dossier code."""
    work = begin_import(session, import_id)
    if work is None:
        return session.get(ImportRun, import_id)
    for start in range(0, len(work.rows), BATCH_ROWS):
        import_batch(session, work, work.rows[start:start + BATCH_ROWS], indicator=indicator)
        session.commit()
    run = finish_import(work)
    session.commit()
    return run
