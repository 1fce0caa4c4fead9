"""Public tracking throughput against a bare hello-world, same gunicorn settings, same wrk, same run (issue 6).

    python bench/tracking_bench.py [--seconds 15] [--connections 16]

Starts its own PostgreSQL and Redis, makes consignments with a few events each, then measures GET
/api/v1/track/<token> (JSON) and GET /t/<token> (the page) against hello-world. Target: each at least 50 %.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scan_bench import API_KEY, prepare_consignments, wrk  # noqa: E402
from bench.services import gunicorn, postgres, redis  # noqa: E402


def tokens_of(env: dict[str, str], numbers: list[str]) -> list[str]:
    from web import create_app

    app = create_app({"REDIS_URL": None})
    client, headers = app.test_client(), {"Authorization": f"Bearer {API_KEY}"}
    tokens = [client.get(f"/api/v1/consignments/{n}", headers=headers).get_json()["tracking_url"].rsplit("/", 1)[1]
              for n in numbers]
    app.extensions["db_engine"].dispose()
    return tokens


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with postgres() as database_url, redis() as redis_url:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEMO_API_KEY": API_KEY}
        numbers = prepare_consignments(env, 20)
        token = tokens_of(env, numbers)[0]
        with gunicorn("bench.bare_app:create_app()", env) as bare_base:
            hello = wrk(bare_base, "/hello", args.seconds, args.connections, {})
        with gunicorn("web:create_app()", env) as app_base:
            json_view = wrk(app_base, f"/api/v1/track/{token}", args.seconds, args.connections, {})
            page = wrk(app_base, f"/t/{token}", args.seconds, args.connections, {})
    print(f"\nPublic tracking, gunicorn 2 workers x 8 threads, wrk {args.connections} connections, "
          f"{args.seconds} s each")
    for name, figures in (("hello-world", hello), ("GET /api/v1/track/<token>", json_view), ("GET /t/<token>", page)):
        ratio = figures["rps"] / hello["rps"]
        verdict = "" if figures is hello else f"{ratio:.0%} of hello-world (target >= 50%): " + (
            "PASS" if ratio >= 0.5 else "FAIL")
        print(f"{name:<28} {figures['rps']:>10,.0f} req/s  p99 {figures['p99_ms']:>7.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
