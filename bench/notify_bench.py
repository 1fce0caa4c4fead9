"""10,000 notifications (outbox rows: half webhooks, half SMS) through 2 RQ workers to local
stand-ins (issue 6).

    python bench/notify_bench.py [--rows 10000] [--workers 2] [--consignments 100] [--sms esms]

Starts its own PostgreSQL and Redis, seeds the demo agency (webhook pointed at a local receiver),
writes the outbox rows, enqueues one ``send_outbox`` job per row as the scan path does, then starts
``--workers`` processes of ``flask --app web worker --burst`` and times them until the receivers
have every id. The receivers (HTTP/1.1, keep-alive) count each id, so a lost or duplicated
notification shows in the table. Target: at least 300 notifications/s, none lost, none duplicated.
``--sms esms`` sends the SMS through the eSMS adapter (tracking.esms) to a stand-in that answers as
eSMS does (CodeResult 100 and an SMSID), counting RequestIds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scan_bench import API_KEY, prepare_consignments  # noqa: E402
from bench.services import postgres, redis  # noqa: E402

SECRET = "bench-webhook-secret"
SMS_TOKEN = "bench-sms-token"


class CountingReceiver:
    """A local HTTP/1.1 server (keep-alive, like a real gateway) that counts the ``id`` of every
    body it takes: the upstream system's ``id``, the SMS gateway's message ``id``."""

    def __init__(self, path: str, key: str = "id", answer: bytes = b"") -> None:
        self.ids: Counter[str] = Counter()
        self.first: float | None = None
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body in one segment: written apart, a body (eSMS's answer) waits for the
            # client's delayed ACK (Nagle), 40 ms a message, which no real provider costs
            disable_nagle_algorithm = True
            wbufsize = 65536  # flushed once per request: one write for headers and body

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with receiver.lock:
                    receiver.ids[body[key]] += 1
                    receiver.first = receiver.first or time.monotonic()
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def write_outbox_rows(rows: int, consignments: int) -> list[int]:
    """``rows`` pending outbox rows, alternately a webhook and a "delivered" SMS, over
    ``consignments`` items; payloads built by the same functions the scan path uses. Returns their
    ids."""
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from delivery.models import Consignment, utcnow
    from tracking.models import Outbox
    from tracking.notify import sms_payload
    from web import create_app

    app = create_app({"REDIS_URL": None})
    engine = app.extensions["db_engine"]
    with Session(engine) as db:
        items = db.exec(select(Consignment).order_by(Consignment.id).limit(consignments)).all()
        values = []
        for i in range(rows):
            item, now = items[i % len(items)], utcnow()
            if i % 2 == 0:
                body = {"id": str(uuid.uuid4()), "type": "consignment.status_changed",
                        "occurred_at": now.isoformat(),
                        "data": {"tracking_number": item.tracking_number,
                                 "dossier_code": item.dossier_code,
                                 "status": "delivered", "event": "delivered"}}
                kind = "webhook"
            else:
                body, kind = sms_payload(item, "delivered"), "sms"
            values.append({"kind": kind, "dedupe_key": f"bench:{kind}:{i}",
                           "consignment_id": item.id,
                           "payload": json.dumps(body, ensure_ascii=False), "state": "pending",
                           "attempts": 0, "created_at": now})
        ids = list(db.execute(insert(Outbox).returning(Outbox.id), values).scalars())
        db.commit()
    engine.dispose()
    return ids


def enqueue_all(redis_url: str, ids: list[int]) -> None:
    """One job per row on the notifications queue, as the web process pushes them after its
    commit."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(redis_url)
    queue = Queue("notifications", connection=connection)
    for start in range(0, len(ids), 1000):
        queue.enqueue_many([Queue.prepare_data("web.tasks.send_outbox", (i,))
                            for i in ids[start:start + 1000]])
    connection.close()


def run_workers(env: dict[str, str], workers: int, receivers: list[CountingReceiver], expected: int,
                timeout: float) -> tuple[float, float, list[int]]:
    """Start the workers and wait until the receivers hold ``expected`` bodies (or the workers
    end)."""
    command = [sys.executable, "-m", "flask", "--app", "web", "worker", "--burst"]
    started = time.monotonic()
    processes = [subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
                 for _ in range(workers)]
    deadline = started + timeout
    while sum(r.received() for r in receivers) < expected and time.monotonic() < deadline:
        if all(p.poll() is not None for p in processes):
            break
        time.sleep(0.05)
    finished = time.monotonic()
    codes = [p.wait(timeout) for p in processes]
    first = (min(r.first for r in receivers if r.first) if any(r.first for r in receivers)
             else finished)
    return finished - started, finished - first, codes


def outbox_states() -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from tracking.models import Outbox
    from web import create_app

    app = create_app({"REDIS_URL": None})
    with Session(app.extensions["db_engine"]) as db:
        rows = db.exec(select(Outbox.state, func.count()).where(Outbox.dedupe_key.like("bench:%"))
                       .group_by(Outbox.state)).all()
    app.extensions["db_engine"].dispose()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--consignments", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--sms", choices=("http", "esms"), default="http")
    args = parser.parse_args()
    hooks = CountingReceiver("/hooks/buudien")
    sms = CountingReceiver("/sms") if args.sms == "http" else CountingReceiver(
        "/esms", "RequestId", b'{"CodeResult": "100", "CountRegenerate": 0, "SMSID": "bench"}')
    gateway = ({"SMS_GATEWAY": "http", "SMS_HTTP_URL": sms.url, "SMS_HTTP_TOKEN": SMS_TOKEN}
               if args.sms == "http" else
               {"SMS_GATEWAY": "esms", "ESMS_URL": sms.url, "ESMS_API_KEY": "bench",
                "ESMS_SECRET_KEY": "bench", "ESMS_BRANDNAME": "BUUDIEN", "SMS_TARIFF_VND": "750"})
    with postgres() as database_url, redis() as redis_url:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEMO_API_KEY": API_KEY,
               "DEMO_WEBHOOK_URL": hooks.url, "DEMO_WEBHOOK_SECRET": SECRET,
               **gateway, "SMS_QUIET_HOURS": "0-0"}
        prepare_consignments({**env, "REDIS_URL": "", "SMS_GATEWAY": "console"}, args.consignments)
        for receiver in (hooks, sms):  # what preparing the items sent is not part of the run
            receiver.ids.clear()
            receiver.first = None
        ids = write_outbox_rows(args.rows, args.consignments)
        enqueue_all(redis_url, ids)
        elapsed, sending, codes = run_workers(env, args.workers, [hooks, sms], args.rows,
                                              args.timeout)
        states = outbox_states()
    report(args, (elapsed, sending), codes, hooks, sms, states)


def report(args: argparse.Namespace, times: tuple[float, float], codes: list[int],
           hooks: CountingReceiver, sms: CountingReceiver, states: dict[str, int]) -> None:
    unique = len(hooks.ids) + len(sms.ids)
    duplicated = sum(n - 1 for r in (hooks, sms) for n in r.ids.values() if n > 1)
    lost = args.rows - unique
    elapsed, sending = times
    rate = unique / elapsed
    ok = rate >= 300 and lost == 0 and duplicated == 0
    print(f"\nNotifications through {args.workers} RQ workers (flask --app web worker --burst) "
          "to local stand-ins")
    rows = [
        ("outbox rows (webhooks + SMS)", f"{args.rows:,}"),
        ("webhooks received (unique ids)", f"{len(hooks.ids):,}"),
        ("text messages received (unique ids)", f"{len(sms.ids):,}"),
        ("lost", f"{lost:,}"),
        ("duplicated", f"{duplicated:,}"),
        ("outbox states after", ", ".join(f"{k} {v:,}" for k, v in sorted(states.items()))),
        ("worker exit codes", " ".join(map(str, codes))),
        ("elapsed (workers started -> last id)", f"{elapsed:.1f} s"),
        ("of which sending (first id -> last id)",
         f"{sending:.1f} s = {unique / max(sending, 0.001):,.0f}/s"),
        ("rate", f"{rate:,.0f} notifications/s  (target >= 300/s, none lost or duplicated): "
                 + ("PASS" if ok else "FAIL")),
    ]
    for name, value in rows:
        print(f"{name:<40} {value}")


if __name__ == "__main__":
    main()
