"""Data-scale run on PostgreSQL (issue 7): 1,000,000 consignments and 6,000,000 tracking events,
generated in the database (INSERT ... SELECT generate_series), then the app's own queries timed
against them:

- public tracking lookup by token (tracking.timeline.find_by_token),
- lookup by tracking number + the phone's last four digits
  (tracking.phone_lookup.find_by_number_and_phone),
- the delivery office's daily report (delivery.reports.office_day_report),

each with its p50/p99 and the EXPLAIN plan, and the daily report once more with its event index
dropped, to show which index makes it fast.

    python -m bench.data_scale [--consignments 1000000] [--offices 200] [--days 180]
                               [--samples 2000] [--database-url postgresql+psycopg://...]

Without --database-url it starts its own PostgreSQL (bench.services); with it, it needs an empty
database whose name contains "bench" or "test" (its tables are created and filled). --consignments
20000 is a quick check.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.services import postgres  # noqa: E402
from delivery.models import VIETNAM_TIME as VIETNAM  # noqa: E402
from delivery.reports import day_bounds, office_day_report  # noqa: E402
from tracking.phone_lookup import find_by_number_and_phone  # noqa: E402
from tracking.timeline import find_by_token  # noqa: E402

# six events a consignment, in order: (event, UPU code, status before, status after, at hub?)
EVENTS = [
    ("accepted", "EMA", "created", "accepted", True),
    ("arrived_hub", "EDD", "accepted", "in_transit", True),
    ("departed_hub", "EDE", "in_transit", "in_transit", True),
    ("arrived_delivery_office", "EMG", "in_transit", "at_delivery_office", False),
    ("out_for_delivery", "EDG", "at_delivery_office", "out_for_delivery", False),
    ("delivered", "EMI", "out_for_delivery", "delivered", False),
]

OFFICES_SQL = """
INSERT INTO postoffice (code, name, kind, province_code, address, opening_hours)
SELECT 'SCALE-' || i, 'Bưu cục ' || i, CASE WHEN i <= :hubs THEN 'hub' ELSE 'delivery_office' END,
       (SELECT min(code) FROM province), '', ''
FROM generate_series(1, :hubs + :offices) AS i
"""

# S10 check digit of serial 50,000,000 + i in SQL (delivery.s10.check_digit): the app refuses
# numbers without it
_SERIAL = "lpad((50000000 + i)::text, 8, '0')"
_WEIGHTED = " + ".join(f"substr({_SERIAL}, {n + 1}, 1)::int * {w}"
                       for n, w in enumerate((8, 6, 4, 2, 3, 5, 9, 7)))
_CHECK = (f"(CASE 11 - ({_WEIGHTED}) % 11 WHEN 10 THEN 0 WHEN 11 THEN 5 "
          f"ELSE 11 - ({_WEIGHTED}) % 11 END)::text")

CONSIGNMENTS_SQL = """
INSERT INTO consignment (tracking_number, tracking_token, dossier_code, request_fingerprint, \
agency_id,
    destination_office_id, recipient_name, recipient_name_folded, recipient_phone, address_text, \
street, ward_code,
    province_code, address_confidence, status, attempts, version, created_at, updated_at, \
pickup_requested)
SELECT 'EE' || lpad((50000000 + i)::text, 8, '0') || {check} || 'VN',
    md5('token' || i) || md5('more' || i), 'SCALE-' || i, md5(i::text),
    :agency, :first_office + (i % :offices), 'Nguyễn Văn ' || i, 'nguyen van ' || i,
    '09' || lpad((i::bigint * 7919 % 100000000)::text, 8, '0'),
    'Số ' || i || ' đường Lê Lợi', 'Số ' || i || ' đường Lê Lợi',
    w.code, w.province_code, 1.0, 'delivered', 0, 7,
    now() - make_interval(days => i % :days, secs => (i * 37) % 86400), now(), false
FROM generate_series(1, :count) AS i
JOIN (SELECT code, province_code, row_number() OVER (ORDER BY code) - 1 AS n FROM ward) AS w
  ON w.n = i % (SELECT count(*) FROM ward)
""".replace("{check}", _CHECK)

EVENTS_SQL = """
INSERT INTO trackingevent (client_event_id, consignment_id, event, upu_code, status_before, \
status_after,
    occurred_at, recorded_at, office_id, actor, fingerprint)
SELECT c.id || '-' || e.k, c.id, e.event, e.upu, e.before, e.after,
    c.created_at + make_interval(hours => 5 * e.k), c.created_at + make_interval(hours => 5 * e.k),
    CASE WHEN e.at_hub THEN :first_hub + (c.id % :hubs) ELSE c.destination_office_id END, \
'scale', md5(c.id::text)
FROM consignment AS c
CROSS JOIN (VALUES {values}) AS e(k, event, upu, before, after, at_hub)
WHERE c.dossier_code LIKE 'SCALE-%'
"""


SECONDARY_INDEXES = """SELECT indexdef FROM pg_indexes \
WHERE tablename IN ('consignment', 'trackingevent')
    AND indexname NOT IN (SELECT conname FROM pg_constraint)"""


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """The given database (its name must say "bench" or "test": it is filled), or a private
    server's."""
    if url and not any(word in url.rsplit("/", 1)[-1] for word in ("bench", "test")):
        raise SystemExit("refusing a database whose name has neither 'bench' nor 'test' in it")
    with nullcontext(url) if url else postgres("bench_scale") as database_url:
        yield database_url


def prepare(url: str, args: argparse.Namespace) -> dict[str, int]:
    """Schema and reference data through the app's own CLI, then the generated rows; returns ids it
    needs."""
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": ""}
    for command in (["setup"], ["seed-demo"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "web", *command], env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"flask {command[0]} failed:\n{done.stderr[-3000:]}")
    engine = create_engine(url)
    hubs = 10
    with engine.begin() as db:
        db.execute(text(OFFICES_SQL), {"hubs": hubs, "offices": args.offices})
        first_hub = db.execute(
            text("SELECT min(id) FROM postoffice WHERE code LIKE 'SCALE-%'")
        ).scalar_one()
        agency = db.execute(text("SELECT min(id) FROM agency")).scalar_one()
    ids = {"first_hub": first_hub, "hubs": hubs, "first_office": first_hub + hubs,
           "offices": args.offices, "agency": agency}
    values = ", ".join(f"({k}, '{e}', '{u}', '{b}', '{a}', {str(h).lower()})" for k, (e, u, b, a, h)
                       in enumerate(EVENTS, start=1))
    # Bulk-load practice: secondary indexes dropped during the load and built after it, foreign-key
    # triggers skipped (the generated keys are right by construction). Unique constraints stay: they
    # are checked.
    with engine.begin() as db:
        indexes = [row[0] for row in db.execute(text(SECONDARY_INDEXES))]
        for definition in indexes:
            db.execute(text(f"DROP INDEX {definition.split(' INDEX ', 1)[1].split(' ON ', 1)[0]}"))
    timed("insert consignments", lambda: _run(engine, CONSIGNMENTS_SQL,
                                              {**ids, "count": args.consignments,
                                               "days": args.days}, bulk=True))
    timed("insert events", lambda: _run(engine, EVENTS_SQL.format(values=values), ids, bulk=True))
    timed(f"build {len(indexes)} secondary indexes",
          lambda: [_run(engine, definition, {}) for definition in indexes])
    timed("analyze", lambda: _run(engine, "ANALYZE", {}))
    engine.dispose()
    return ids


def _run(engine, sql: str, params: dict, bulk: bool = False) -> None:  # noqa: ANN001 (an Engine)
    with engine.begin() as db:
        if bulk:  # no foreign-key triggers (needs a superuser: true of the private server)
            db.execute(text("SET LOCAL session_replication_role = replica"))
        db.execute(text(sql), params)


def timed(label: str, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.1f} s", file=sys.stderr, flush=True)
    return seconds


def latencies(session: Session,
              calls: list[Callable[[Session], object]]) -> tuple[float, float, float]:
    """(p50, p99, max) in ms of each call on its own, after one untimed pass over a tenth of them
    (warm-up)."""
    for call in calls[: max(1, len(calls) // 10)]:
        call(session)
    times = []
    for call in calls:
        started = time.perf_counter()
        call(session)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], times[-1]


def plan(session: Session, sql: str, params: dict) -> str:
    rows = session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}"),
                           params).all()
    return "\n".join("      " + row[0] for row in rows)


def measure(url: str, ids: dict[str, int],
            args: argparse.Namespace) -> list[tuple[str, tuple, str]]:
    engine = create_engine(url)
    picks = random.Random(7).sample(range(1, args.consignments + 1),
                                    min(args.samples, args.consignments))
    with Session(engine) as session:
        rows = session.execute(text("SELECT tracking_token, tracking_number, recipient_phone "
                                    "FROM consignment WHERE dossier_code = ANY(:codes)"),
                               {"codes": [f"SCALE-{i}" for i in picks]}).all()
        by_token = [lambda s, t=token: find_by_token(s, t) for token, _, _ in rows]
        by_phone = [lambda s, n=number, p=phone: find_by_number_and_phone(s, n, p[-4:])
                    for _, number, phone in rows]
        # a report for the office and Vietnamese day of a sampled item's delivery round, so each
        # has rows
        rounds = session.execute(text(
            "SELECT office_id, occurred_at FROM trackingevent WHERE event = 'out_for_delivery' "
            "AND consignment_id IN (SELECT id FROM consignment WHERE dossier_code = ANY(:codes))"),
            {"codes": [f"SCALE-{i}" for i in picks]}
        ).all()[: args.reports]
        offices = [office for office, _ in rounds]
        days = [when.astimezone(VIETNAM).date() for _, when in rounds]
        reports = [lambda s, o=o, d=d: office_day_report(s, o, d)
                   for o, d in zip(offices, days, strict=True)]
        token, number, phone = rows[0]
        start, end = day_bounds(days[0])
        report_params = {"office": offices[0], "start": start, "end": end}
        results = [
            ("lookup by token", latencies(session, by_token), plan(
                session, "SELECT * FROM consignment WHERE tracking_token = :t", {"t": token})),
            ("lookup by number + phone last 4", latencies(session, by_phone), plan(
                session, "SELECT * FROM consignment WHERE tracking_number = :n", {"n": number})),
            ("office daily report", latencies(session, reports),
             plan(session, REPORT_SQL, report_params)),
        ]
        session.execute(text("DROP INDEX ix_trackingevent_office_occurred"))
        results.append(("office daily report, event index dropped", latencies(session, reports[:5]),
                        plan(session, REPORT_SQL, report_params)))
        session.rollback()  # the index comes back
    engine.dispose()
    return results


REPORT_SQL = """SELECT event, count(*), count(DISTINCT consignment_id) FROM trackingevent
   WHERE office_id = :office AND occurred_at >= :start AND occurred_at < :end GROUP BY event"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consignments", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=200,
                        help="delivery offices the items are spread over")
    parser.add_argument("--days", type=int, default=180,
                        help="days the items' creation is spread over")
    parser.add_argument("--samples", type=int, default=2000, help="lookups timed, each kind")
    parser.add_argument("--reports", type=int, default=200,
                        help="daily reports timed (random office and day)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    with database(args.database_url) as url:
        started = time.perf_counter()
        ids = prepare(url, args)
        loaded = time.perf_counter() - started
        results = measure(url, ids, args)
    events = args.consignments * len(EVENTS)
    print(f"\nData scale on PostgreSQL: {args.consignments:,} consignments, {events:,} events, "
          f"{args.offices} offices, {args.days} days; generated and loaded in {loaded:.0f} s")
    print(f"{'query':<44} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  target")
    targets = {"lookup by token": "p99 <= 50 ms", "lookup by number + phone last 4": "p99 <= 50 ms",
               "office daily report": "p99 <= 1,000 ms"}
    for name, (p50, p99, worst), _ in results:
        target = targets.get(name, "(for comparison)")
        verdict = "" if name not in targets else (
            "PASS" if p99 <= (50 if "lookup" in name else 1000) else "FAIL")
        print(f"{name:<44} {p50:>8.2f} {p99:>8.2f} {worst:>8.2f}  {target} {verdict}".rstrip())
    print("\nPlans (EXPLAIN ANALYZE):")
    for name, _, shown in results:
        print(f"  {name}:\n{shown}")


if __name__ == "__main__":
    main()
