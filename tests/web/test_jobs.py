"""web.jobs: each job declares its queue once, on itself; periodic jobs are a list."""

from datetime import timedelta

import pytest
from rq import Queue

from web import tasks
from web.jobs import enqueue, queue_of, runs_on
from web.print_jobs import render_print_job


def test_it_keeps_each_job_on_the_queue_it_ran_on_before():
    jobs = (tasks.send_outbox, tasks.send_outbox_rows, tasks.periodic_sweep,
            tasks.periodic_retention, tasks.locate_consignment, tasks.process_import,
            render_print_job)
    assert {job.__name__: queue_of(job) for job in jobs} == {
        "send_outbox": "notifications", "send_outbox_rows": "notifications",
        "periodic_sweep": "notifications", "periodic_retention": "default",
        "locate_consignment": "default", "process_import": "default", "render_print_job": "labels"}


def test_it_puts_a_job_on_the_queue_it_declared(queued_app, redis):
    with queued_app.app_context():
        enqueue(tasks.process_import, 41)
        enqueue(tasks.send_outbox, 42)
    assert [job.args for job in Queue("default", connection=redis).jobs] == [(41,)]
    assert [job.args for job in Queue("notifications", connection=redis).jobs] == [(42,)]


def test_it_refuses_a_job_that_declared_no_queue(app):
    ran = []

    def undeclared() -> None:
        ran.append(True)

    with app.app_context(), pytest.raises(LookupError, match="declares no queue"):
        enqueue(undeclared)
    assert ran == []


def test_it_refuses_a_queue_the_worker_does_not_listen_to():
    with pytest.raises(ValueError, match="unknown queue"):
        runs_on("maybe")


def test_it_lists_the_periodic_jobs_with_their_intervals():
    assert [(p.job, p.every) for p in tasks.PERIODIC_JOBS] == [
        (tasks.periodic_sweep, timedelta(minutes=1)),
        (tasks.periodic_retention, timedelta(hours=1)),
        (tasks.flag_at_risk_items, timedelta(minutes=5))]
