"""web.tasks.sweep_runs: imports and print jobs whose job Redis lost are enqueued again."""

from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import update
from sqlmodel import Session

from delivery.background_runs import MAX_ATTEMPTS
from delivery.importing import ImportRun, start_import
from delivery.models import Agency, utcnow
from delivery.print_models import PrintJob
from tests.delivery.test_importing import GOOD, csv_bytes
from web import tasks


@pytest.fixture
def db(queued_app):
    with queued_app.app_context(), Session(queued_app.extensions["db_engine"],
                                           expire_on_commit=False) as session:
        yield session


def queued_import(db, age: timedelta = timedelta(minutes=1)) -> ImportRun:
    """An import whose job never reached Redis."""
    agency = Agency(code="000.00.01.H26", name="Trung tâm Phục vụ hành chính công Hà Nội")
    db.add(agency)
    db.flush()
    run = start_import(db, agency, "ketqua.csv", csv_bytes(*GOOD), "user:1")
    db.exec(update(ImportRun).values(created_at=utcnow() - age))
    db.commit()
    return run


def stalled_print_job(db, attempts: int = 1) -> PrintJob:
    """A print job whose worker died mid-render ten minutes ago."""
    job = PrintJob(created_by="user:1", tracking_numbers="[]", state="running", attempts=attempts,
                   updated_at=utcnow() - timedelta(minutes=10))
    db.add(job)
    db.commit()
    return job


def test_it_enqueues_again_an_import_whose_job_redis_lost(db, redis):
    run = queued_import(db)
    assert tasks.sweep_runs() == 1
    assert [job.args for job in Queue("default", connection=redis).jobs] == [(run.id,)]


def test_it_enqueues_again_a_print_job_whose_worker_died(db, redis):
    job = stalled_print_job(db)
    assert tasks.sweep_runs() == 1
    assert [job.args for job in Queue("labels", connection=redis).jobs] == [(job.id,)]


def test_it_leaves_a_run_just_queued_to_its_job(db, redis):
    queued_import(db, age=timedelta(0))
    assert tasks.sweep_runs() == 0


def test_it_fails_a_run_whose_job_stopped_three_times(db, redis):
    job = stalled_print_job(db, attempts=MAX_ATTEMPTS)
    assert tasks.sweep_runs() == 0
    db.refresh(job)
    assert job.state == "failed" and "3 times" in job.error


def test_it_finishes_an_import_enqueued_again(db, redis):
    run = queued_import(db)
    tasks.sweep_runs()
    assert tasks.process_import(*Queue("default", connection=redis).jobs[0].args) == "done"
    db.refresh(run)
    assert (run.created_count, run.content) == (2, None)


def test_it_sweeps_lost_runs_with_the_outbox_every_minute(db, redis):
    queued_import(db)
    tasks.periodic_sweep()
    assert len(Queue("default", connection=redis).jobs) == 1
