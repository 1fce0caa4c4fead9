"""RQ job entry point for batch label PDFs:
renders a PrintJob into a file under PRINT_FOLDER.

Re-reads everything from the job's id and claims the job first (delivery.background_runs): of two
runs for one job (the sweep enqueues again a job Redis lost), one renders and the other finds
nothing to do; a job whose worker died is rendered again from the start (the file is replaced
atomically, so a download never sees half a PDF). Progress, which is also the heartbeat, is
committed every PROGRESS_EVERY labels; the prints are recorded in the commit that marks it done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlmodel import Session

from delivery.access import EVERYTHING
from delivery.background_runs import claim_run
from delivery.models import utcnow
from delivery.print_models import PrintJob
from delivery.printing import consignments_in_order, job_numbers, record_prints
from labels.model import LabelData
from labels.pdf import stream_labels_pdf

from .db import job_session
from .jobs import runs_on
from .labels_http import SHEETS, SIZES, labels_for

PROGRESS_EVERY = 25


def job_path(job_id: int) -> Path:
    """Where the finished PDF of a job lives: PRINT_FOLDER / <id>.pdf, written by the worker and
    served by the web process, so both must see the same folder (web/config.py)."""
    folder = Path(current_app.config["PRINT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.pdf"


def _with_progress(session: Session, job: PrintJob, labels: list[LabelData]) -> Iterator[LabelData]:
    for index, label in enumerate(labels):
        if index % PROGRESS_EVERY == 0:
            job.done, job.updated_at = index, utcnow()
            session.commit()
        yield label


@runs_on("labels")
def render_print_job(job_id: int) -> str:
    """Render the job's labels, in order, into one PDF; returns the job's state ("missing" for
    no such job). A job that ended, or that another run is rendering, is left as it is."""
    with job_session() as session:
        claimed = claim_run(session, PrintJob, job_id)
        session.commit()
        job = session.get(PrintJob, job_id)
        if job is None or not claimed:
            return job.state if job else "missing"
        job.done, job.error = 0, None
        try:
            # the caller's scope was checked when the job was created (create_print_job)
            consignments = consignments_in_order(session, job_numbers(job), EVERYTHING)
            labels = labels_for(session, consignments)
            _write(job_path(job_id), _with_progress(session, job, labels), job)
            record_prints(session, consignments, job.created_by, "pdf", reason=job.reason,
                          print_job_id=job.id)
            job.done = job.total
            job.end("done")
        except Exception as error:  # noqa: BLE001 (any failure is shown to the clerk, who can retry)
            current_app.logger.exception("print job %s failed", job_id)
            session.rollback()
            job.end("failed", f"{type(error).__name__}: {error}")
        session.commit()
        return job.state


def _write(path: Path, labels: Iterator[LabelData], job: PrintJob) -> None:
    partial = path.with_suffix(".part")
    with partial.open("wb") as out:
        for chunk in stream_labels_pdf(labels, SIZES[job.size], SHEETS[job.sheet],
                                       title=f"Labels {job.id}"):
            out.write(chunk)
    os.replace(partial, path)
