"""RQ job entry points: module-level functions taking ids, re-reading state, safe to run twice.

Keep their signatures compatible with jobs already queued when changing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlmodel import Session

from delivery.importing import BATCH_ROWS, ImportRun, begin_import, finish_import, import_batch
from tracking.notify import queue_created

from .creating import after_creation, locate_consignment
from .db import job_session
from .jobs import Periodic, enqueue, runs_on, schedule
from .outbox_jobs import send_outbox, send_outbox_rows, sweep_outbox

# Jobs queued under these names before they moved keep running (RQ finds a job by its import path).
MOVED_JOBS = (locate_consignment, send_outbox, send_outbox_rows, sweep_outbox)

SWEEP_EVERY = timedelta(minutes=1)
SWEEP_JOB_ID = "outbox-sweep"  # one id: however many workers schedule it, one sweep is waiting


def expire_held_pickups() -> int:
    """Send back items held for pick-up past their agency's hold period (tracking.pickup_expiry),
    then push the webhooks that causes. Idempotent. Returns how many outbox rows it wrote."""
    from tracking.pickup_expiry import expire_pickups

    with job_session() as session:
        outbox_ids = expire_pickups(session)
        session.commit()
    for outbox_id in outbox_ids:
        enqueue(send_outbox, outbox_id)
    return len(outbox_ids)


# the final-status query reads many rows; once an hour is plenty
RETENTION_EVERY = timedelta(hours=1)
RETENTION_JOB_ID = "retention-sweep"


def anonymise_expired() -> int:
    """Erase the personal data of consignments whose final status is older than RETENTION_DAYS, a
    batch per transaction (see tracking.retention); idempotent. Returns how many consignments were
    anonymised."""
    from pathlib import Path

    from delivery.login_throttle import forget_stale
    from tracking.retention import anonymise_due

    days, photos = current_app.config["RETENTION_DAYS"], Path(current_app.config["PROOF_PHOTO_DIR"])
    total = 0
    with job_session() as session:
        while count := anonymise_due(session, days, photos):
            session.commit()
            total += count
        # old login-failure counters hold client addresses and count for nothing
        forget_stale(session)
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
def process_import(import_id: int) -> str:
    """Work through an uploaded spreadsheet (see delivery.importing);
    safe to run again after a crash."""
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
        created = import_batch(session, work, work.rows[start:start + BATCH_ROWS],
                               indicator=indicator)
        outbox_ids = [row_id for consignment in created
                      for row_id in queue_created(session, consignment)]
        session.commit()
        after_creation([consignment.id for consignment in created], outbox_ids)
    run = finish_import(work)
    session.commit()
    return run
