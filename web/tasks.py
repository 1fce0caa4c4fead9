"""RQ job entry points: module-level functions taking ids, re-reading state, safe to run twice.

Keep their signatures compatible with jobs already queued when changing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from rq.timeouts import JobTimeoutException
from sqlmodel import Session

from delivery.at_risk import flag_at_risk
from delivery.background_runs import MAX_ATTEMPTS, give_up, lost_runs
from delivery.errors import ValidationFailed
from delivery.importing import (
    BATCH_ROWS,
    ImportRun,
    begin_import,
    fail_import,
    finish_import,
    import_batch,
)
from delivery.models import utcnow
from delivery.print_models import PrintJob
from tracking.notify import queue_at_risk, queue_created

from .creating import after_creation, locate_consignment
from .db import job_session
from .jobs import Periodic, enqueue, runs_on
from .outbox_jobs import otp_sms_fallback, send_outbox, send_outbox_rows, sweep_outbox
from .outbox_push import push_outbox
from .print_jobs import render_print_job

# Jobs queued under these names before they moved keep running (RQ finds a job by its import path).
MOVED_JOBS = (locate_consignment, send_outbox, send_outbox_rows, sweep_outbox)

SWEEP_EVERY = timedelta(minutes=1)
SWEEP_JOB_ID = "outbox-sweep"  # one id: however many workers there are, one sweep a period


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

    from delivery.importing import forget_refused_rows
    from delivery.login_throttle import forget_stale
    from tracking.booking_codes import forget_expired
    from tracking.retention import anonymise_due

    days, photos = current_app.config["RETENTION_DAYS"], Path(current_app.config["PROOF_PHOTO_DIR"])
    total = 0
    with job_session() as session:
        while count := anonymise_due(session, days, photos):
            session.commit()
            total += count
        # old login-failure counters hold client addresses and count for nothing
        forget_stale(session)
        # refused import rows are citizens' data that never became an item
        forget_refused_rows(session, days)
        # bookings the citizen never confirmed hold what they typed
        forget_expired(session)
        session.commit()
    return total


# the rules count days; a few minutes keeps the flag close to what scans did meanwhile
AT_RISK_EVERY = timedelta(minutes=5)
AT_RISK_JOB_ID = "at-risk-flags"


@runs_on("default")
def flag_at_risk_items() -> dict[str, int]:
    """Every AT_RISK_EVERY: flag the items that will miss their due date and clear those no longer
    at risk (delivery.at_risk), writing each new episode's ``consignment.at_risk`` webhook in the
    same transaction; then push the webhooks. Idempotent. Returns how many items were flagged,
    changed reason and were cleared, and how many webhooks were written."""
    with job_session() as session:
        run = flag_at_risk(session, utcnow())
        outbox_ids = queue_at_risk(session, run.flagged)
        session.commit()
    push_outbox(outbox_ids)
    return {"flagged": len(run.flagged), "changed": run.changed, "cleared": run.cleared,
            "webhooks": len(outbox_ids)}


@runs_on("notifications")
def periodic_sweep() -> int:
    """Every SWEEP_EVERY: the outbox sweep, the delivery codes' SMS fallback (web.outbox_jobs.
    otp_sms_fallback: time-critical, so on the notifications queue every minute, and run here
    rather than as a periodic job of its own, which would put a second job a minute before the
    queue's sends), expired pick-ups, then imports and print jobs whose job was lost. Returns the
    outbox rows enqueued."""
    swept = sweep_outbox()
    otp_sms_fallback()
    expire_held_pickups()
    sweep_runs()
    return swept


def sweep_unreferenced_photos() -> list[str]:
    """Delete the door photos no tracking event names, written over an hour ago
    (tracking.proof_files.sweep_unreferenced); idempotent. Returns their ids."""
    from pathlib import Path

    from tracking.proof_files import sweep_unreferenced

    with job_session() as session:
        return sweep_unreferenced(session, Path(current_app.config["PROOF_PHOTO_DIR"]))


@runs_on("default")
def periodic_retention() -> int:
    """Every RETENTION_EVERY: anonymise_expired, then sweep_unreferenced_photos. Returns how many
    consignments it anonymised."""
    anonymised = anonymise_expired()
    sweep_unreferenced_photos()
    return anonymised


# What the worker repeats: web.worker enqueues each when its period has passed, whatever Redis
# remembers (without Redis the demo's thread runs them, web.cli). A run does not schedule the next:
# a schedule kept in Redis is lost with it.
PERIODIC_JOBS: tuple[Periodic, ...] = (
    Periodic(periodic_sweep, SWEEP_EVERY, SWEEP_JOB_ID),
    Periodic(periodic_retention, RETENTION_EVERY, RETENTION_JOB_ID),
    Periodic(flag_at_risk_items, AT_RISK_EVERY, AT_RISK_JOB_ID),
)


def sweep_runs() -> int:
    """Enqueue again the job of every import and print job that lost it (Redis down or emptied, a
    worker killed; see delivery.background_runs), and fail those whose job already stopped
    MAX_ATTEMPTS times. Returns how many jobs were enqueued."""
    jobs: dict[type[ImportRun] | type[PrintJob], Callable[[int], str]] = {
        ImportRun: process_import, PrintJob: render_print_job}
    again: list[tuple[Callable[[int], str], int]] = []
    with job_session() as session:
        for table, job in jobs.items():
            for run_id, attempts in lost_runs(session, table):
                if attempts >= MAX_ATTEMPTS:
                    give_up(session, table, run_id, attempts)
                else:
                    again.append((job, run_id))
        session.commit()
    for job, run_id in again:
        enqueue(job, run_id)
    return len(again)


# 5,000 rows took 2 minutes on a loaded 2-core machine with PostgreSQL: more than RQ's 3 minutes
# would leave for a busier one.
IMPORT_TIMEOUT = timedelta(minutes=15)


@runs_on("default", timeout=IMPORT_TIMEOUT)
def process_import(import_id: int) -> str:
    """Work through an uploaded spreadsheet (see delivery.importing); safe to run twice and again
    after a crash. A file that cannot be imported, or anything unexpected, ends the run as failed
    with the reason (and its file forgotten): never left queued or running. Returns its state."""
    with job_session() as session:
        indicator = current_app.config["S10_SERVICE_INDICATOR"]
        try:
            run = import_spreadsheet(session, import_id, indicator=indicator)
        except JobTimeoutException:
            raise  # still running: the sweep starts it again, and the rows done are recognised
        except Exception as error:  # noqa: BLE001 (the clerk must see the run end, whatever it was)
            session.rollback()
            run = fail_import(session, import_id, _failure(import_id, error))
            session.commit()
        return run.state if run else "missing"


def _failure(import_id: int, error: Exception) -> str:
    """What the clerk reads about a failed import: the file's problem, or that something went
    wrong (logged with its trace; the error's own text may quote the file)."""
    if isinstance(error, ValidationFailed):
        return "; ".join(error.errors.values())
    current_app.logger.exception("import %s failed", import_id)
    return (f"lỗi không lường trước ({type(error).__name__}), đã ghi nhật ký; hãy báo quản trị "
            f"viên / unexpected error ({type(error).__name__}), logged: tell the administrator")


def import_spreadsheet(session: Session, import_id: int, *, indicator: str) -> ImportRun | None:
    """The transactions of an import: a commit after every BATCH_ROWS rows (so the page shows
    progress and a crash keeps what was done), and one for the end. A run already done is returned
    as it is; None when there is no such run. Idempotent: rows imported before are recognised by
    their dossier code."""
    work = begin_import(session, import_id)
    if work is None:
        return session.get(ImportRun, import_id)
    session.commit()  # the claim and the row count, before the work
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
