"""Public tracking throughput against a bare hello-world, same gunicorn settings, same wrk, same run
(issue 6).

    python bench/tracking_bench.py [--seconds 15] [--connections 16]

Starts its own PostgreSQL and Redis, makes consignments with a few events each, then measures GET
/api/v1/track/<token> (JSON) and GET /t/<token> (the page) against hello-world. Target: every round
at least 60 % (issue 15; issue 6 asked 50 %).
Each line also says how wrk's connections were spread over the server's worker processes
("workers 9/7"): a keep-alive connection stays with the worker that accepted it, and a lopsided
spread leaves one worker serving everything on one core (bench/README.md, "Public tracking,
session 7").
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scan_bench import API_KEY, prepare_consignments, wrk  # noqa: E402
from bench.services import gunicorn, postgres, redis  # noqa: E402


def tokens_of(env: dict[str, str], numbers: list[str]) -> list[str]:
    from web import create_app

    app = create_app({"REDIS_URL": None})
    client, headers = app.test_client(), {"Authorization": f"Bearer {API_KEY}"}
    tokens = [client.get(f"/api/v1/consignments/{n}", headers=headers).get_json()["tracking_url"]
              .rsplit("/", 1)[1] for n in numbers]
    app.extensions["db_engine"].dispose()
    return tokens


PATHS = {"hello-world": "/hello", "GET /api/v1/track/<token>": "/api/v1/track/{token}",
         "GET /t/<token>": "/t/{token}"}


def measured(base: str, path: str, args: argparse.Namespace) -> dict[str, float | str]:
    """wrk on ``path`` after a 5-second warm-up: gunicorn's workers finish booting (and fill their
    pools and caches) after the port opens, which would otherwise be counted against whichever
    endpoint goes first. ``workers``: how the measured run's connections were spread over the
    worker processes."""
    wrk(base, path, 2, args.connections, {})  # itself after 3 seconds of warm-up
    spread: list[str] = []
    sampler = threading.Timer(1.0, lambda: spread.append(connections_per_worker(base)))
    sampler.start()
    figures = wrk(base, path, args.seconds, args.connections, {}, warm_up=0)
    sampler.join()
    return {**figures, "workers": spread[0] if spread else "?"}


def connections_per_worker(base: str) -> str:
    """The established connections to ``base``'s port per server process, largest first ("9/7"),
    from ``ss``; "?" where ss is missing or shows no process."""
    port = base.rsplit(":", 1)[1]
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    counts = sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)
    return "/".join(map(str, counts)) or "?"


TARGET = 0.6  # of hello-world's rate, every round


def one_round(bases: dict[str, str], token: str,
              args: argparse.Namespace) -> dict[str, dict[str, float | str]]:
    return {name: measured(bases[name], path.format(token=token), args)
            for name, path in PATHS.items()}


def report(number: int, figures: dict[str, dict[str, float | str]]) -> None:
    hello = figures["hello-world"]
    print(f"round {number}")
    for name, measured_ in figures.items():
        ratio = measured_["rps"] / hello["rps"]
        verdict = "" if measured_ is hello else f"{ratio:.0%} of hello-world (target >= 60%): " + (
            "PASS" if ratio >= TARGET else "FAIL")
        print(f"  {name:<28} {measured_['rps']:>8,.0f} req/s  p99 {measured_['p99_ms']:>7.1f} ms  "
              f"workers {measured_['workers']:<5}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn workers for both apps (Procfile default)")
    parser.add_argument("--threads", type=int, default=8,
                        help="gunicorn threads per worker (Procfile default)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="hello, JSON, page measured in turn, this many times")
    args = parser.parse_args()
    with postgres() as database_url, redis() as redis_url:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEMO_API_KEY": API_KEY}
        numbers = prepare_consignments(env, 20)
        token = tokens_of(env, numbers)[0]
        # Both servers up for the whole run (an idle one costs nothing), so each round measures all
        # three back to back under the same load from the rest of the machine.
        with (gunicorn("bench.bare_app:create_app()", env, args.workers, args.threads) as bare_base,
              gunicorn("web:create_app()", env, args.workers, args.threads) as base):
            bases = {"hello-world": bare_base, **dict.fromkeys(list(PATHS)[1:], base)}
            rounds = [one_round(bases, token, args) for _ in range(args.rounds)]
    print(f"\nPublic tracking, gunicorn {args.workers} workers x {args.threads} threads, "
          f"wrk {args.connections} connections, {args.seconds} s each")
    for number, figures in enumerate(rounds, start=1):
        report(number, figures)


if __name__ == "__main__":
    main()
