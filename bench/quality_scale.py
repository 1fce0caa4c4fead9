"""The service quality report at data scale (issue 21): the data of bench.data_scale (1,000,000
consignments and 6,000,000 events on PostgreSQL, 100 delivery offices), then
tracking.service_quality.quality_report timed for a delivery office's month and a province's
month, as an office's supervisor and a province's supervisor see them.

    python -m bench.quality_scale [--consignments 1000000] [--offices 100] [--samples 50]
                                  [--database-url postgresql+psycopg://.../quality_bench]

A database given must be empty and have "bench" or "test" in its name (it is filled).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data_scale import database, latencies, prepare  # noqa: E402
from delivery.access import Caller, scope_of  # noqa: E402
from delivery.quality_scope import Period, QualityQuery  # noqa: E402
from tracking.service_quality import quality_report  # noqa: E402


def _months(today: date, count: int) -> list[Period]:
    """The last ``count`` whole calendar months before ``today``'s."""
    periods, first = [], today.replace(day=1)
    for _ in range(count):
        last = first - timedelta(days=1)
        first = last.replace(day=1)
        periods.append(Period(first, last))
    return periods


def measure(url: str, ids: dict[str, int], samples: int) -> list[tuple[str, tuple]]:
    engine = create_engine(url)
    pick = random.Random(21)
    months = _months(date.today(), 4)
    with Session(engine) as session:
        offices = [ids["first_office"] + i for i in range(ids["offices"])]
        provinces = [row[0] for row in session.execute(text(
            "SELECT province_code FROM consignment GROUP BY province_code "
            "ORDER BY count(*) DESC LIMIT 5"))]

        def office_month(s: Session, office: int, period: Period) -> object:
            scope = scope_of(s, Caller(role="supervisor", office_id=office))
            return quality_report(s, QualityQuery(period, scope))

        def province_month(s: Session, province: int, period: Period) -> object:
            scope = scope_of(s, Caller(role="supervisor", province_code=province))
            return quality_report(s, QualityQuery(period, scope))

        office_picks = [(pick.choice(offices), pick.choice(months)) for _ in range(samples)]
        province_picks = [(pick.choice(provinces), pick.choice(months))
                          for _ in range(max(5, samples // 5))]
        office_calls = [lambda s, o=o, p=p: office_month(s, o, p) for o, p in office_picks]
        province_calls = [lambda s, v=v, p=p: province_month(s, v, p) for v, p in province_picks]
        results = [("office month (office supervisor)", latencies(session, office_calls)),
                   ("province month (province supervisor)", latencies(session, province_calls))]
    engine.dispose()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consignments", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--samples", type=int, default=50, help="office reports timed")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--reuse", action="store_true",
                        help="the database is already filled by an earlier run")
    args = parser.parse_args(argv)
    with database(args.database_url) as url:
        if args.reuse:
            engine = create_engine(url)
            with engine.connect() as db:
                first = db.execute(text("SELECT min(id) FROM postoffice WHERE code LIKE "
                                        "'SCALE-%' AND kind = 'delivery_office'")).scalar_one()
            ids = {"first_office": first, "offices": args.offices}
        else:
            ids = prepare(url, args)
        results = measure(url, ids, args.samples)
    print(f"\nService quality on PostgreSQL: {args.consignments:,} consignments, "
          f"{args.offices} offices")
    print(f"{'report':<40} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  target")
    targets = {"office month (office supervisor)": "p99 <= 300 ms",
               "province month (province supervisor)": "p99 <= 2,000 ms"}
    for label, (p50, p99, worst) in results:
        print(f"{label:<40} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f}  {targets[label]}")


if __name__ == "__main__":
    main()
