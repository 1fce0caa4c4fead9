"""The one place that enqueues background work.

With REDIS_URL set, jobs go to RQ and ``flask --app web worker`` runs them. Without it (the embedded
default) they run in-process right away, so a laptop needs no Redis. Always call after the commit that
made the job necessary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, Worker
from rq.job import Job
from rq.worker import WorkerStatus

QUEUES = ("notifications", "labels", "default")


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    if "redis" not in current_app.extensions:
        current_app.extensions["redis"] = Redis.from_url(url)
    return current_app.extensions["redis"]


def queue(name: str) -> Queue:
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; one of {QUEUES}")
    return Queue(name, connection=redis_connection())


def enqueue(func: Callable[..., Any], *args: Any, queue_name: str = "default", retry: Retry | None = None) -> None:
    """Run ``func(*args)`` in the background (RQ) or, with no Redis configured, now.

    If Redis is configured but down, the job is not lost when it has an outbox row: the sweep finds it.
    """
    if redis_connection() is None:
        func(*args)
        return
    try:
        queue(queue_name).enqueue(func, *args, retry=retry)
    except RedisError as e:  # Redis down: the outbox sweep will catch up
        current_app.logger.warning("could not enqueue %s%r: %s", func.__name__, args, e)


class NotifyingWorker(Worker):
    """The app's RQ worker: notification jobs run in the worker's own process, everything else in a forked work
    horse as usual. A notification is a few milliseconds of work; forking for each costs ten times that, and
    running in place keeps the process's database pool and kept-alive HTTP connections (tracking.webhooks)
    from one job to the next. Labels and imports still fork, so their memory goes back after each job."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        if queue.name != "notifications":
            super().execute_job(job, queue)
            return
        execution = self.prepare_execution(job)  # what rq.SimpleWorker does
        self.perform_job(job, queue, execution)
        self.set_state(WorkerStatus.IDLE)
