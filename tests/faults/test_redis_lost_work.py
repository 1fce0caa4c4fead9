"""Redis killed and emptied while work waits in it, while a job runs and while more work comes in:
the running worker (never restarted) finishes every import and print job and sends each delivery
OTP SMS once Redis is back.

In the first test the worker is paused (SIGSTOP) while the first half of the work is enqueued, so
those jobs are in Redis when it dies; the second half is created while Redis is down, so its jobs
never reach Redis. In the second, Redis dies while the worker sends an SMS (RQ's loop quits when it
cannot record the job's end). Redis comes back empty: no queued job, no scheduled periodic sweep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Queue, Worker
from rq.worker import WorkerStatus
from sqlmodel import Session, select

from delivery.importing import ImportRun
from delivery.print_models import PrintJob
from tests.faults.conftest import demo_app
from tests.payloads import scan_body
from tests.stand_ins import Receiver, SmsGateway
from tests.tracking.notified import HEADERS, SECRET, wire
from tests.tracking.test_notification_faults import EVENTS, create_items
from tests.web.test_import import upload
from tests.web.test_pages import login
from web.jobs import QUEUES

ADDRESS = '"Số 2 Hàng Gai, Phường Hoàn Kiếm, Hà Nội"'


def import_file(first: int) -> bytes:
    rows = "".join(f"000.00.01.H26-250610-{n:04d},Trần Thị Bình,0987654321,{ADDRESS}\n"
                   for n in range(first, first + 3))
    return ("ma_ho_so,ho_ten,dien_thoai,dia_chi\n" + rows).encode()


def add_work(client, number: str, first_row: int) -> None:
    """An import, a background print job, and the item out for delivery (its OTP SMS)."""
    assert upload(client, import_file(first_row)).status_code == 302
    assert client.post("/api/v1/labels/batch", json={"tracking_numbers": [number],
                                                      "background": True},
                       headers=HEADERS).status_code == 202
    assert client.post("/api/v1/scans", json=scan_body(number, "out_for_delivery"),
                       headers=HEADERS).status_code == 201


def states(app) -> tuple[list[str], list[str]]:
    with Session(app.extensions["db_engine"]) as db:
        return (list(db.exec(select(ImportRun.state).order_by(ImportRun.id))),
                list(db.exec(select(PrintJob.state).order_by(PrintJob.id))))


def otp_texts(gateway: SmsGateway) -> list[dict]:
    return [m for m in gateway.sent() if "OTP" in m["text"]]


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def start_worker(env: dict[str, str], log, redis_url: str) -> subprocess.Popen:
    """`flask --app web worker` as the Procfile runs it, once it has run its first periodic jobs
    and waits for work (paused in the middle of a job, it would hold SQLite's lock)."""
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "web", "worker"], env=env,
                              stdout=log, stderr=log, start_new_session=True)
    with Redis.from_url(redis_url) as watcher:
        assert wait_for(lambda: watcher.exists("buudien:periodic:outbox-sweep"), 60), log_of(log)
        assert wait_for(lambda: idle(watcher) and time.sleep(0.5) is None and idle(watcher), 60)
    return worker


def idle(connection: Redis) -> bool:
    workers = Worker.all(connection=connection)
    return (all(len(Queue(name, connection=connection)) == 0 for name in QUEUES)
            and len(workers) == 1 and workers[0].get_state() == WorkerStatus.IDLE)


def items_at_the_office(client) -> list[str]:
    numbers = create_items(client, 2)
    for number in numbers:
        for event in EVENTS[:4]:  # up to the delivery office
            client.post("/api/v1/scans", json=scan_body(number, event), headers=HEADERS)
    return numbers


def test_it_finishes_imports_print_jobs_and_sms_after_redis_is_lost_and_emptied(
    backend_url, private_redis, monkeypatch, tmp_path
):
    redis_url = f"redis://127.0.0.1:{private_redis.port}/0"
    app = demo_app(backend_url, monkeypatch, REDIS_URL=redis_url, PRINT_FOLDER=str(tmp_path))
    client = app.test_client()
    login(client, "counter")
    with (Path(tmp_path, "worker.log").open("w+") as log, Receiver(SECRET) as receiver,
          SmsGateway() as gateway):
        env = {**os.environ, "DATABASE_URL": backend_url, "REDIS_URL": redis_url,
               "PRINT_FOLDER": str(tmp_path),
               **wire(app, receiver, gateway)}
        numbers = items_at_the_office(client)
        worker = start_worker(env, log, redis_url)
        try:
            os.kill(worker.pid, signal.SIGSTOP)  # jobs enqueued now wait in Redis
            add_work(client, numbers[0], first_row=1)
            app.extensions["outbox_pusher"].flush()
            private_redis.process.kill()  # and are lost with it
            private_redis.process.wait(10)
            add_work(client, numbers[1], first_row=11)  # these never reach Redis
            time.sleep(11)  # Redis stays away longer than a queued run's grace
            private_redis.start()  # empty
            os.kill(worker.pid, signal.SIGCONT)
            back = time.monotonic()
            assert wait_for(lambda: len(otp_texts(gateway)) == 2, 30), log_of(log)
            print(f"both OTP SMS sent {time.monotonic() - back:.1f} s after Redis came back")
            assert wait_for(lambda: states(app) == (["done"] * 2, ["done"] * 2), 60), log_of(log)
            assert worker.poll() is None  # the same worker process did it all
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
            app.extensions["redis"].close()
            app.extensions["db_engine"].dispose()
    assert len({m["id"] for m in otp_texts(gateway)}) == 2


def test_it_carries_on_when_redis_dies_while_the_worker_runs_a_job(
    backend_url, private_redis, monkeypatch, tmp_path
):
    redis_url = f"redis://127.0.0.1:{private_redis.port}/0"
    app = demo_app(backend_url, monkeypatch, REDIS_URL=redis_url, PRINT_FOLDER=str(tmp_path))
    client = app.test_client()
    login(client, "counter")
    with (Path(tmp_path, "worker.log").open("w+") as log, Receiver(SECRET) as receiver,
          SmsGateway(delay=4) as gateway):
        env = {**os.environ, "DATABASE_URL": backend_url, "REDIS_URL": redis_url,
               "PRINT_FOLDER": str(tmp_path),
               **wire(app, receiver, gateway)}
        number = items_at_the_office(client)[0]
        worker = start_worker(env, log, redis_url)  # it has sent the two links (4 s each)
        try:
            create_items(client, 3)  # a third link to send: 4 s in the worker's own process
            app.extensions["outbox_pusher"].flush()
            time.sleep(1.5)
            private_redis.process.kill()
            private_redis.process.wait(10)
            add_work(client, number, first_row=21)
            time.sleep(11)
            private_redis.start()
            assert wait_for(lambda: len(otp_texts(gateway)) == 1, 60), log_of(log)
            assert wait_for(lambda: states(app) == (["done"], ["done"]), 60), log_of(log)
            assert worker.poll() is None and "the worker starts again" in log_of(log)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
            app.extensions["redis"].close()
            app.extensions["db_engine"].dispose()


def log_of(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-4000:]
