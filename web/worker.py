"""The worker process (``flask --app web worker``): RQ's work loop on the app's queues, the periodic
jobs, and Redis going away under it.

RQ keeps everything in Redis, so an emptied Redis (a flush, a failover to an empty replica) forgets
every queued and scheduled job, and RQ's worker quits when Redis fails under it outside its wait for
the next job. What must not be lost is in the database (outbox rows, import runs, print jobs) and
periodic sweeps enqueue it again; this module keeps the sweeps themselves going:

- Periodic jobs (web.tasks.PERIODIC_JOBS) are data in this process, not a schedule in Redis: while
  it waits for work the worker looks every CHECK_EVERY seconds and enqueues each periodic job whose
  period has passed (enqueue_due), which it knows from a mark in Redis that expires with the
  period. An emptied Redis has no marks, so every periodic job runs again within seconds.
- After an outage every periodic job runs at once, marks or not: SMS (a delivery's OTP) and
  webhooks committed while Redis was away go out within seconds, not at the next sweep. A wait for
  work that took far longer than asked for was RQ reconnecting: that is an outage.
- When RQ's loop quits because Redis failed, run_worker waits for Redis and starts it again, in
  the same process.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.exceptions import StopRequested
from rq.job import Job
from rq.worker import WorkerStatus

from delivery.models import utcnow

from .jobs import QUEUES, Periodic, queue_of

CHECK_EVERY = 5  # seconds between looks at the periodic jobs while the worker waits for work
MARK = "buudien:periodic:{}"  # set when a periodic job is enqueued; expires after its period


def enqueue_due(connection: Redis, periodic: Sequence[Periodic], *, all_now: bool = False
                ) -> list[str]:
    """Enqueue every job of ``periodic`` that no worker enqueued within its period (or all of
    them, with ``all_now``), marking each in Redis for its period: a mark is set only where there
    is none, so of many workers one enqueues a job. Returns the keys of the jobs enqueued. Redis
    errors propagate."""
    if all_now:
        connection.delete(*(MARK.format(p.key) for p in periodic))
    due = []
    for p in periodic:
        period_ms = p.every // timedelta(milliseconds=1)
        if connection.set(MARK.format(p.key), utcnow().isoformat(), nx=True, px=period_ms):
            Queue(queue_of(p.job), connection=connection).enqueue(p.job)
            due.append(p.key)
    return due


class NotifyingWorker(Worker):
    """The app's RQ worker: notification jobs run in the worker's own process, everything else in a
    forked work horse as usual. Forking for a notification costs far more than the notification's
    own work, and running in place keeps the process's database pool and kept-alive HTTP connections
    (tracking.webhooks) from one job to the next. Labels and imports still fork, so their memory
    goes back after each job.

    While it waits for work it enqueues the ``periodic`` jobs that are due (see the module), all of
    them at its first look when ``catch_up``."""

    # RQ backs off up to a minute between tries to reach Redis; work resumes sooner after an outage.
    max_connection_wait_time = 5.0

    def __init__(self, *args: Any, periodic: Sequence[Periodic] = (), catch_up: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periodic, self.catch_up, self.stop_requested = tuple(periodic), catch_up, False

    def execute_job(self, job: Job, queue: Queue) -> None:
        if queue.name != "notifications":
            super().execute_job(job, queue)
            return
        execution = self.prepare_execution(job)  # what rq.SimpleWorker does
        self.perform_job(job, queue, execution)
        self.set_state(WorkerStatus.IDLE)

    def request_stop(self, signum: Any, frame: Any) -> None:
        self.stop_requested = True
        super().request_stop(signum, frame)

    def dequeue_job_and_maintain_ttl(self, timeout: int | None, max_idle_time: int | None = None
                                     ) -> tuple[Job, Queue] | None:
        """RQ's wait for the next job, cut into waits of at most CHECK_EVERY seconds with a look
        at the periodic jobs before each. Burst mode and idle limits are left to RQ."""
        if timeout is None or max_idle_time is not None or not self.periodic:
            return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)
        while True:
            self._enqueue_due()
            started = time.monotonic()
            found = super().dequeue_job_and_maintain_ttl(min(timeout, CHECK_EVERY), CHECK_EVERY)
            # RQ retries inside this wait while Redis is away: a wait far too long was an outage.
            self.catch_up = self.catch_up or time.monotonic() - started > 3 * CHECK_EVERY
            if found is not None:
                return found

    def _enqueue_due(self) -> None:
        try:
            enqueued = enqueue_due(self.connection, self.periodic, all_now=self.catch_up)
        except RedisError as error:  # the wait that follows retries until Redis is back
            self.log.warning("Worker %s: periodic jobs not looked at: %s", self.name, error)
            return
        self.catch_up = False
        if enqueued:
            self.log.info("Worker %s: enqueued periodic %s", self.name, ", ".join(enqueued))


def run_worker(connection: Redis, *, burst: bool, periodic: Sequence[Periodic]) -> None:
    """Work every queue (QUEUES) until told to stop, or in ``burst`` mode until they are empty. When
    RQ's loop quits because Redis failed under it, wait for Redis and start again, catching up on
    the ``periodic`` jobs."""
    catch_up = False
    while True:
        worker = NotifyingWorker([Queue(name, connection=connection) for name in QUEUES],
                                 connection=connection, periodic=periodic, catch_up=catch_up)
        try:
            worker.work(burst=burst, with_scheduler=True)
        except (RedisError, StopRequested) as error:  # its last words to Redis failed
            current_app.logger.warning("worker loop ended: %r", error)
        if worker.horse_pid:  # a job it was watching when Redis failed: let it finish
            worker.wait_for_horse()
        if burst or worker.stop_requested or not _redis_back(connection):
            return
        current_app.logger.warning("Redis is back: the worker starts again")
        catch_up = True


def _redis_back(connection: Redis) -> bool:
    """Wait until Redis answers (True), or until the process is told to stop (False)."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(1.0):
        try:
            connection.ping()
            return True
        except RedisError:
            continue
    return False
