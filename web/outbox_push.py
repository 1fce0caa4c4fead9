"""Pushing committed outbox rows to the job queue, in batches, off the request's path.

An RQ enqueue costs about as much CPU as the rest of a scan (bench/README.md), so a request does not
enqueue its rows itself: it hands their ids to this process's pusher, whose thread enqueues one job
per batch a few milliseconds later. Nothing is lost if the process dies first: the rows are
committed as pending and the worker's periodic sweep enqueues every pending row (within a minute).
Without Redis (the embedded default), or outside a request (CLI commands, jobs), rows are pushed at
once.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterable

from flask import Flask, current_app, has_request_context

from .jobs import enqueue, redis_connection

# how long the thread gathers ids before it pushes them: one job per burst, not per scan
GATHER_SECONDS = 0.05
BATCH = 500  # ids per job: each job is one enqueue; sending drains due rows in batches anyway


class OutboxPusher:
    """One per app and process; ``push`` is thread-safe and never blocks on Redis."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._reset()

    def _reset(self) -> None:
        self.pid = os.getpid()
        self.pending: list[int] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def push(self, outbox_ids: Iterable[int]) -> None:
        if self.pid != os.getpid():  # a forked child inherits no running thread
            self._reset()
        with self.lock:
            self.pending.extend(outbox_ids)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="outbox-pusher", daemon=True)
                self.thread.start()
                atexit.register(self.flush)  # a worker stopping gracefully pushes what it holds
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            threading.Event().wait(GATHER_SECONDS)
            self.wake.clear()
            self.flush()

    def flush(self) -> None:
        """Enqueue everything handed over so far (tests call it before running the worker)."""
        with self.lock:
            ids, self.pending = self.pending, []
        if not ids:
            return
        from .outbox_jobs import send_outbox_rows

        with self.app.app_context():
            for start in range(0, len(ids), BATCH):
                enqueue(send_outbox_rows, ids[start:start + BATCH])


def init_app(app: Flask) -> None:
    app.extensions["outbox_pusher"] = OutboxPusher(app)


def push_outbox(outbox_ids: Iterable[int]) -> None:
    """Send committed outbox rows: through the pusher in a request with Redis, else enqueue
    (or send) now."""
    ids = list(outbox_ids)
    if not ids:
        return
    if has_request_context() and redis_connection() is not None:
        current_app.extensions["outbox_pusher"].push(ids)
        return
    from .outbox_jobs import send_outbox

    for outbox_id in ids:
        enqueue(send_outbox, outbox_id)
