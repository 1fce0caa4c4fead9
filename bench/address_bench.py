"""Speed of the address resolver: cold start, warm throughput, and the naive per-process baseline.

    .venv/bin/python -m bench.address_bench [--rounds 5] [--naive-rounds 1]

Cold start is a fresh interpreter that imports ``delivery.address`` and resolves one address, timed
from inside (imports + first resolution) and from outside (the whole process, interpreter start
included); once building the index, once loading it from a cache directory (``use_cache_dir``)
filled beforehand. Warm throughput resolves the evaluation set (bench/data/address_eval.csv) over
and over in this process, pinned to one CPU. The naive baseline is a fresh interpreter that imports
``vietnam_address_converter``, builds its own ``VietnamAdministrativeAddressConverter`` and converts
one address.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội"
COLD_LIMIT, WARM_TARGET = 1.5, 2000.0

COLD = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
from delivery.address import resolve_address, use_cache_dir
use_cache_dir(sys.argv[1] or None)
resolve_address(sys.argv[2])
print(time.perf_counter() - start, time.process_time() - cpu)
"""

NAIVE = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
from vietnam_address_converter import VietnamAdministrativeAddressConverter
converter = VietnamAdministrativeAddressConverter()
converter.convert_address_text(sys.argv[1])
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def fresh(code: str, *args: str) -> tuple[float, float, float]:
    """(seconds measured inside, seconds for the whole process, CPU seconds inside) of ``code`` in
    a new interpreter. CPU time tells the work apart from waiting on a machine others load."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    inside, cpu = map(float, out.stdout.split())
    return inside, time.perf_counter() - started, cpu


def cold_runs(rounds: int, cache_dir: str) -> list[tuple[float, float, float]]:
    return [fresh(COLD, cache_dir, SAMPLE) for _ in range(rounds)]


def warm_rate(texts: list[str], *, fresh_texts: bool,
              min_seconds: float = 2.0) -> tuple[float, int, float]:
    """(addresses per second, addresses resolved, addresses per CPU second) over whole passes of
    ``texts`` lasting ``min_seconds``.

    With ``fresh_texts`` the parse cache is emptied before each pass, so no text is a repeat of one
    already parsed (a name repeated within the pass, like the province, still hits the cache as it
    would in service).
    """
    from delivery.address import resolve_address
    from delivery.address.names import name_key
    from delivery.errors import AddressNotResolved

    def one_pass() -> None:
        if fresh_texts:
            name_key.cache_clear()
        for text in texts:
            with contextlib.suppress(AddressNotResolved):  # refusing is part of the work measured
                resolve_address(text)

    one_pass()  # the index is built
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < min_seconds:
        one_pass()
        done += len(texts)
    return (done / (time.perf_counter() - started), done,
            done / (time.process_time() - cpu))


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in _lscpu().splitlines()
                  if line.startswith("Model name")),
                 platform.processor() or "unknown")
    versions = ", ".join(f"{p} {importlib.metadata.version(p)}"
                         for p in ("vietnam-provinces", "vietnam-address-converter"))
    return (f"{datetime.date.today().isoformat()}, nproc {os.cpu_count()}, {model}, "
            f"Python {platform.python_version()}, {versions}")


def _lscpu() -> str:
    try:
        return subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def row(name: str, values: list[float], limit: str,
        fmt: Callable[[float], str] = "{:.2f} s".format) -> str:
    return (f"| {name} | {fmt(statistics.median(values))} | {fmt(min(values))} "
            f"| {fmt(max(values))} | {len(values)} | {limit} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help="fresh processes per cold-start measure")
    parser.add_argument("--naive-rounds", type=int, default=1,
                        help="fresh processes for the naive baseline")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        # one core, for this process and its children
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from bench.address_eval import read_cases

    built = cold_runs(args.rounds, "")
    with tempfile.TemporaryDirectory() as cache_dir:
        fresh(COLD, cache_dir, SAMPLE)  # fills the cache
        cached = cold_runs(args.rounds, cache_dir)
    cases = read_cases()
    texts = [case.text for case in cases]
    older = [case.text for case in cases if case.form in ("new", "old")]  # issue 3's forms
    rates = [(label, *warm_rate(chosen, fresh_texts=fresh_texts))
             for label, chosen, fresh_texts in (
                 ("each pass unseen", texts, True), ("repeated texts", texts, False),
                 ("new and old forms only, each pass unseen", older, True))]
    naive = [fresh(NAIVE, SAMPLE) for _ in range(args.naive_rounds)]
    print(f"Machine: {machine()}\n")
    print("| measure | median | min | max | runs | limit |\n|---|---:|---:|---:|---:|---|")
    for label, runs in (("built", built), ("cached index", cached)):
        print(row(f"cold start, {label}: import + first resolution", [r[0] for r in runs],
                  f"<= {COLD_LIMIT} s"))
        print(row(f"cold start, {label}: whole process", [r[1] for r in runs], "-"))
        print(row(f"cold start, {label}: import + first resolution, CPU time",
                  [r[2] for r in runs], "-"))
    for label, rate, done, cpu_rate in rates:
        print(row(f"warm throughput, one core, {label} ({done} resolutions)", [rate],
                  f">= {WARM_TARGET:.0f}/s", "{:,.0f} addresses/s".format))
        print(row(f"warm throughput, {label}, per CPU second", [cpu_rate], "-",
                  "{:,.0f} addresses/s".format))
    if naive:  # --naive-rounds 0 skips it (about 26 s a process here)
        print(row("naive: import vietnam_address_converter + converter + one conversion",
                  [r[0] for r in naive], "baseline"))
        print(row("naive: whole process", [r[1] for r in naive], "baseline"))


if __name__ == "__main__":
    main()
