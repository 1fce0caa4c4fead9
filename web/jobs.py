"""The one place that enqueues background work.

With REDIS_URL set, jobs go to RQ and ``flask --app web worker`` runs them. Without it (the embedded
default) they run in-process right away, so a laptop needs no Redis. Always call after the commit
that made the job necessary.

Each job declares its queue once, on itself (``@runs_on("labels")``); ``enqueue(job, *args)`` reads
it. Jobs the worker repeats are data: a ``Periodic`` entry each (web.tasks.PERIODIC_JOBS), which
the worker (web.worker) enqueues when due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

QUEUES = ("notifications", "labels", "default")
JobFunction = TypeVar("JobFunction", bound=Callable[..., Any])
_QUEUE_OF: dict[Callable[..., Any], str] = {}
_TIMEOUT_OF: dict[Callable[..., Any], int] = {}


def runs_on(queue_name: str, *, timeout: timedelta | None = None
            ) -> Callable[[JobFunction], JobFunction]:
    """Declare the queue a job runs on, and how long RQ lets it run when that is not its default
    (3 minutes). The function is returned as it is (same import path), so jobs already queued
    under its name still run. Raises ValueError for a queue not in QUEUES."""
    if queue_name not in QUEUES:
        raise ValueError(f"unknown queue {queue_name!r}; one of {QUEUES}")

    def declare(job: JobFunction) -> JobFunction:
        _QUEUE_OF[job] = queue_name
        if timeout is not None:
            _TIMEOUT_OF[job] = int(timeout.total_seconds())
        return job

    return declare


def queue_of(job: Callable[..., Any]) -> str:
    """The queue ``job`` declared with ``runs_on``; raises LookupError for a job without one."""
    try:
        return _QUEUE_OF[job]
    except KeyError:
        name = f"{job.__module__}.{job.__name__}"
        raise LookupError(f"{name} declares no queue: add @runs_on(...)") from None


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


def enqueue(func: Callable[..., Any], *args: Any, retry: Retry | None = None) -> None:
    """Run ``func(*args)`` in the background on the queue it declared (RQ) or, with no Redis
    configured, now.

    If Redis is configured but down, the job is not lost when its work is on a row (an outbox
    row, an import run, a print job): the periodic sweep finds it. Raises LookupError for a job
    that declared no queue (before running it, with or without Redis).
    """
    queue_name = queue_of(func)
    if redis_connection() is None:
        func(*args)
        return
    try:
        queue(queue_name).enqueue(func, *args, retry=retry, job_timeout=_TIMEOUT_OF.get(func))
    except RedisError as e:  # Redis down: the periodic sweep will catch up
        current_app.logger.warning("could not enqueue %s%r: %s", func.__name__, args, e)


def enqueue_in(delay: timedelta, func: Callable[..., Any], *args: Any) -> None:
    """Run ``func(*args)`` after ``delay`` on its declared queue (RQ's scheduler, in the worker).
    Without Redis nothing is scheduled: there is no scheduler, and the sweeps catch up. Redis
    errors propagate."""
    queue_name = queue_of(func)
    if redis_connection() is not None:
        queue(queue_name).enqueue_in(delay, func, *args)


@dataclass(frozen=True)
class Periodic:
    """A job (no arguments) the worker runs every ``every``; ``key`` names it in Redis, where a
    mark says it ran (web.worker.enqueue_due): however many workers there are, one run a period."""

    job: Callable[[], Any]
    every: timedelta
    key: str
