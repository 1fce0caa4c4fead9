"""Work done by a background job and followed on a row of its own: an import (ImportRun), a print
job (PrintJob). The row, not the job queue, is what says whether the work is done, so work is not
lost when the queue forgets its jobs (Redis down when the job was enqueued, emptied since, a worker
killed mid-job).

A run is ``queued`` until a job claims it: a compare-and-set update, so of two jobs for one run
(the sweep enqueues again what looks lost) one works and the other finds nothing to do. It is then
``running``, its ``updated_at`` renewed as it progresses (a heartbeat), until it ends ``done`` or
``failed``. The sweep (web.tasks.sweep_runs) enqueues again every lost run: still queued
QUEUED_GRACE after it was created, or running without a heartbeat for STALLED_AFTER. A run started
MAX_ATTEMPTS times is failed instead, so a file that kills its worker does not do so forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from .models import utcnow

if TYPE_CHECKING:
    from .importing import ImportRun
    from .print_models import PrintJob

    RunTable = type[ImportRun] | type[PrintJob]

# A job enqueued as usual starts within seconds; a run still queued after this lost its job.
QUEUED_GRACE = timedelta(seconds=10)
# A live job beats every few seconds (each batch of rows or labels): silent this long, it is dead.
STALLED_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3
GIVEN_UP = ("công việc đã dừng giữa chừng {n} lần, hãy thử lại hoặc báo quản trị viên / "
            "the job stopped before the end {n} times: try again or tell the administrator")


class Run(Protocol):
    state: str

    def end(self, state: str, error: str | None = None) -> None: ...


def claim_run(session: Session, table: RunTable, run_id: int, now: datetime | None = None) -> bool:
    """Take run ``run_id`` of ``table`` for the calling job: True when it was queued, or running
    with a heartbeat older than STALLED_AFTER (its job died), and started fewer than MAX_ATTEMPTS
    times; it is then running, one attempt more, beating now. False otherwise (no such run, it
    ended, another job has it, or it was given up). No commit: commit before the work, so that
    other jobs see the claim."""
    now = now or utcnow()
    claimed = session.exec(update(table).where(
        table.id == run_id, _lost(table, now, grace=timedelta(0)),
        table.attempts < MAX_ATTEMPTS,
    ).values(state="running", attempts=table.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def lost_runs(session: Session, table: RunTable, now: datetime | None = None
              ) -> list[tuple[int, int]]:
    """(id, attempts) of every run of ``table`` whose job looks lost: queued longer than
    QUEUED_GRACE, or running without a heartbeat for STALLED_AFTER, oldest first."""
    query = select(table.id, table.attempts).where(_lost(table, now or utcnow(), QUEUED_GRACE))
    return [(run_id, attempts) for run_id, attempts in session.exec(query.order_by(table.id))]


def give_up(session: Session, table: RunTable, run_id: int, attempts: int) -> Run | None:
    """End run ``run_id`` as failed (its job stopped ``attempts`` times before the end) unless it
    ended meanwhile. No commit."""
    run = session.get(table, run_id, populate_existing=True)
    if run is not None and run.state in ("queued", "running"):
        run.end("failed", GIVEN_UP.format(n=attempts))
    return run


def _lost(table: RunTable, now: datetime, grace: timedelta):  # noqa: ANN202 (a SQL condition)
    beat = func.coalesce(table.updated_at, table.created_at)
    return or_(and_(table.state == "queued", table.created_at <= now - grace),
               and_(table.state == "running", beat <= now - STALLED_AFTER))
