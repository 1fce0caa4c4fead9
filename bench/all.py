"""Every benchmark the issues define, run one after another, in ONE table with each target \
(issue 7).

    python -m bench.all [--quick] [--only labels,scan,...] [--timeout 1800]

Each benchmark runs as its own process, exactly as run by hand (each starts the services it needs),
and its printed table is read back here: labels through ``--json``, the others by the lines they
print. A script that is absent is shown as "missing", one that fails as "error" with its last line
of output, and output that cannot be read as "unreadable" (the raw output is kept in the log
directory printed at the end).
``--quick`` passes shorter durations where a script has them (a smoke run, not figures to record).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, str, str, str]  # figure, measured, target, result
NUMBER = re.compile(r"-?[\d,]*\.?\d+")


@dataclass(frozen=True)
class Bench:
    name: str
    script: str  # path under the repository
    args: tuple[str, ...]
    quick_args: tuple[str, ...]
    read: Callable[[str], list[Row]]


def _number(text: str) -> float | None:
    found = NUMBER.search(text)
    return float(found.group().replace(",", "")) if found else None


def verdict(measured: str, target: str) -> str:
    """'pass'/'FAIL' when `target` reads "<= N" or ">= N" and `measured` starts with a number;
    else ''."""
    bound = re.match(r"\s*([<>]=)\s*([\d,.]+)", target)
    value = _number(measured)
    if not bound or value is None:
        return ""
    limit = float(bound.group(2).replace(",", "").rstrip("."))
    ok = value <= limit if bound.group(1) == "<=" else value >= limit
    return "pass" if ok else "FAIL"


def read_labels(out: str) -> list[Row]:
    rows = json.loads(out.strip().splitlines()[-1])
    return [(r["figure"], r["value"], r["target"], r["result"]) for r in rows]


def _markdown_rows(out: str) -> list[list[str]]:
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in out.splitlines()
             if line.startswith("|") and not line.startswith("|---")]
    return [row for row in cells if row and row[0] not in ("measure", "outcome", "tag")]


def read_address_bench(out: str) -> list[Row]:
    rows = []
    for name, median, _low, _high, _runs, limit in (r for r in _markdown_rows(out) if len(r) == 6):
        target = limit if limit not in ("-",) else "—"
        rows.append((f"{name} (median)", median, target, verdict(median, limit.replace("/s", ""))))
    return rows


def read_address_score(out: str) -> list[Row]:
    rows = []
    for cells in _markdown_rows(out.split("\n\n")[0]):
        if cells[0].startswith("accuracy"):
            rows.append((f"address {cells[0]}", cells[1], ">= 98 %", verdict(cells[1], ">= 98")))
        elif cells[0].startswith("wrong with confidence"):
            rows.append((f"address answers {cells[0]}", cells[1], "0",
                         "pass" if cells[1] == "0" else "FAIL"))
    return rows


def _judged(line: str) -> Row | None:
    """A printed line ending in "...(target ...): PASS|FAIL" ->
    (figure, measured, target, result)."""
    found = re.match(r"\s*(.+?)\s{2,}(.+?)\s*(?:([\d.%]+ of [\w-]+)\s*)?"
                     r"\(?target (.+?)\)?:\s*(PASS|FAIL)\s*$", line)
    if not found:
        return None
    figure, measured, ratio, target, result = found.groups()
    measured = " ".join(part for part in (re.sub(r"\s{2,}", ", ", measured), ratio) if part)
    return figure.strip(), measured, target.strip(), "pass" if result == "PASS" else "FAIL"


def read_judged_lines(out: str) -> list[Row]:
    """Scan, tracking and notification benches print one judged line per figure (tracking: per
    round)."""
    rows = [row for row in map(_judged, out.splitlines()) if row]
    rounds = [int(n) for n in re.findall(r"^round (\d+)", out, re.M)]
    if rounds:  # keep the last round only: the rounds repeat the same figures
        last = out[out.rindex(f"round {rounds[-1]}"):]
        rows = [row for row in map(_judged, last.splitlines()) if row]
    return rows


BENCHES = [
    Bench("labels", "bench/labels_bench.py", ("--json",), ("--json",), read_labels),
    Bench("addressing speed", "bench/address_bench.py", (), ("--rounds", "1"), read_address_bench),
    Bench("addressing accuracy", "bench/address_score.py", (), (), read_address_score),
    Bench("scan path", "bench/scan_bench.py", (), ("--seconds", "4", "--rounds", "1"),
          read_judged_lines),
    Bench("public tracking", "bench/tracking_bench.py", (), ("--seconds", "4", "--rounds", "1"),
          read_judged_lines),
    Bench("notifications", "bench/notify_bench.py", (), ("--rows", "1000"), read_judged_lines),
    Bench("dossier pdf", "bench/dossier_pdf_bench.py", (), ("--runs", "1"), read_judged_lines),
]


def run(bench: Bench, quick: bool, timeout: float, logs: Path, root: Path = ROOT) -> list[Row]:
    """One benchmark's rows, run in the checkout ``root`` (its code first on the import path, for
    the servers it starts too); a missing script, a failure or unreadable output is one row saying
    so."""
    path = root / bench.script
    if not path.exists():
        return [("(whole benchmark)", "missing", bench.script, "missing")]
    module = bench.script.removesuffix(".py").replace("/", ".")
    command = [sys.executable, "-m", module, *(bench.quick_args if quick else bench.args)]
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(root)})
    except subprocess.TimeoutExpired:
        return [("(whole benchmark)", f"timed out after {timeout:.0f} s", "", "error")]
    log = logs / f"{path.stem}.log"
    log.write_text(f"$ {' '.join(command)}\n{done.stdout}\n--- stderr ---\n{done.stderr}",
                   encoding="utf-8")
    if done.returncode:
        last = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
        return [("(whole benchmark)", f"exit {done.returncode}: {last[:80]}", "", "error")]
    try:
        rows = bench.read(done.stdout)
    except (ValueError, KeyError, IndexError):
        rows = []
    if not rows:
        return [("(whole benchmark)", f"unreadable output, see {log}", "", "error")]
    return [*rows, ("(run time)", f"{time.monotonic() - started:.0f} s", "", "")]


def table(results: dict[str, list[Row]]) -> str:
    lines = [("benchmark", "figure", "measured", "target", "result")]
    lines += [(name, *row) for name, rows in results.items() for row in rows]
    widths = [min(60, max(len(line[i]) for line in lines)) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(width)
                               for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="shorter runs where a script allows (smoke test)")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark")
    args = parser.parse_args(argv)
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    logs = Path(tempfile.mkdtemp(prefix="bench-all-"))
    results = {}
    for bench in BENCHES:
        if wanted and not any(word in bench.name for word in wanted):
            continue
        print(f"running {bench.name} ...", file=sys.stderr, flush=True)
        results[bench.name] = run(bench, args.quick, args.timeout, logs)
    print(table(results))
    print(f"\n{time.strftime('%Y-%m-%d %H:%M %Z')}; raw output of each benchmark in {logs}")


if __name__ == "__main__":
    main()
