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
from tracking.notify import pending_outbox_ids
from tracking.webhooks import send_webhook

from .db import engine
from .jobs import enqueue, queue, redis_connection


def job_session() -> Session:
    """A session of its own for a job; after a fork (RQ's work horse) the inherited pool is dropped."""
    if current_app.extensions.get("db_pid") != os.getpid():
        engine().dispose(close=False)
        current_app.extensions["db_pid"] = os.getpid()
    return Session(engine(), expire_on_commit=False)


def send_outbox(outbox_id: int) -> str:
    """Send one outbox row; on failure schedule the next try (RQ) or leave it to the sweep."""
    with job_session() as session:
        row = session.get(Outbox, outbox_id)
        state = send_webhook(session, outbox_id) if row and row.kind == "webhook" else "skipped"
        session.commit()
        retry_at = row.next_attempt_at if row and state == "pending" else None
    if retry_at and redis_connection() is not None:
        queue("notifications").enqueue_in(max(retry_at - utcnow(), timedelta(0)), send_outbox, outbox_id)
    return state


def sweep_outbox() -> int:
    """Re-enqueue every pending row whose time has come (rows Redis never saw, or due retries)."""
    with job_session() as session:
        ids = pending_outbox_ids(session)
    for outbox_id in ids:
        enqueue(send_outbox, outbox_id, queue_name="notifications")
    return len(ids)


def process_import(import_id: int) -> str:
    """Work through an uploaded spreadsheet (see delivery.importing); safe to run again after a crash."""
    from delivery.importing import process_import as process

    with job_session() as session:
        run = process(session, import_id, indicator=current_app.config["S10_SERVICE_INDICATOR"])
        return run.state if run else "missing"
