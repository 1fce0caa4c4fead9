"""`flask --app web worker` as production runs it: a separate process, forking a work horse per
job."""

import os
import subprocess
import sys

from tests.payloads import intake_body, scan_body
from tests.stand_ins import Receiver
from tests.tracking.test_webhooks import SECRET, point_webhook_at

EVERY_PERIODIC_JOB = ["outbox-sweep", "retention-sweep", "at-risk-flags"]  # web.tasks, in order

def test_it_runs_queued_webhooks_in_the_worker_command(
    queued_app, database_url, redis_server_url, monkeypatch
):
    from tests.conftest import API_KEY
    from web.db import get_session
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    with queued_app.app_context():
        seed_demo(get_session())
    headers = {"Authorization": f"Bearer {API_KEY}"}
    client = queued_app.test_client()
    with Receiver(SECRET) as receiver:
        point_webhook_at(queued_app, receiver.url)
        number = client.post("/api/v1/consignments", json=intake_body(),
                             headers=headers).get_json()["tracking_number"]
        client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=headers)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server_url}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "worker",
                                 "--burst"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [b["data"]["tracking_number"] for b in receiver.accepted()] == [number]


def test_it_enqueues_each_periodic_job_once_a_period_however_many_workers_look(queued_app, redis):
    from rq import Queue

    from web.tasks import PERIODIC_JOBS
    from web.worker import enqueue_due

    assert enqueue_due(redis, PERIODIC_JOBS) == EVERY_PERIODIC_JOB
    assert enqueue_due(redis, PERIODIC_JOBS) == []
    assert [len(Queue(name, connection=redis)) for name in ("notifications", "default")] == [1, 2]


def test_it_enqueues_a_periodic_job_again_once_its_period_has_passed(queued_app, redis):
    import time
    from datetime import timedelta

    from web.jobs import Periodic
    from web.tasks import periodic_sweep
    from web.worker import enqueue_due

    often = [Periodic(periodic_sweep, timedelta(milliseconds=200), "often")]
    enqueue_due(redis, often)
    time.sleep(0.3)
    assert enqueue_due(redis, often) == ["often"]


def test_it_enqueues_the_periodic_jobs_again_when_redis_forgets_them(queued_app, redis):
    from web.tasks import PERIODIC_JOBS
    from web.worker import enqueue_due

    enqueue_due(redis, PERIODIC_JOBS)
    redis.flushdb()  # a failover to an empty replica, or FLUSHALL
    assert enqueue_due(redis, PERIODIC_JOBS) == EVERY_PERIODIC_JOB


def test_it_enqueues_every_periodic_job_at_once_after_an_outage(queued_app, redis):
    from web.tasks import PERIODIC_JOBS
    from web.worker import enqueue_due

    enqueue_due(redis, PERIODIC_JOBS)
    assert enqueue_due(redis, PERIODIC_JOBS, all_now=True) == EVERY_PERIODIC_JOB


def test_it_looks_at_the_periodic_jobs_while_it_waits_for_work(queued_app, redis):
    from web.jobs import QUEUES, queue
    from web.tasks import PERIODIC_JOBS, periodic_sweep
    from web.worker import NotifyingWorker

    with queued_app.app_context():
        worker = NotifyingWorker([queue(name) for name in QUEUES], connection=redis,
                                 periodic=PERIODIC_JOBS)
        job, _ = worker.dequeue_job_and_maintain_ttl(timeout=30)
    assert job.func is periodic_sweep


def test_it_finishes_an_import_whose_job_redis_lost_when_the_worker_starts(
    queued_app, database_url, redis_server_url
):
    from sqlalchemy import update
    from sqlmodel import Session

    from delivery.importing import ImportRun, start_import
    from delivery.models import Agency, utcnow
    from tests.delivery.test_importing import GOOD, csv_bytes

    with Session(queued_app.extensions["db_engine"], expire_on_commit=False) as db:
        agency = Agency(code="000.00.01.H26", name="Trung tâm Phục vụ hành chính công Hà Nội")
        db.add(agency)
        db.flush()
        run = start_import(db, agency, "ketqua.csv", csv_bytes(*GOOD), "user:1")  # not enqueued
        db.exec(update(ImportRun).values(created_at=utcnow().replace(year=2020)))
        db.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server_url}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "worker", "--burst"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with Session(queued_app.extensions["db_engine"]) as db:
        assert db.get(ImportRun, run.id).state == "done"
