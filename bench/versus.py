"""This checkout against another (e.g. the previous commit), interleaved in one run.

    git worktree add /tmp/before HEAD~1
    python -m bench.versus --before /tmp/before [--only scan,tracking] [--rounds 3] [--quick]

The machine's speed drifts by up to 2x within minutes, so two figures measured ten minutes apart say
little. Here each benchmark of ``bench.all`` runs in both checkouts in turn, round after round (the
order swapped each round), with this interpreter, and each figure is printed per round side by side,
then as medians. Each checkout's own code is what runs: its directory comes first on the import
path.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import all as every

Figures = dict[str, float]


def figures(rows: list[every.Row]) -> Figures:
    """The first number of each measured figure, by name (rows that say no number are left out)."""
    found = {}
    for figure, measured, _target, _result in rows:
        value = every._number(measured)
        if value is not None and not figure.startswith("("):
            found[figure] = value
    return found


def run_in(root: Path, bench: every.Bench, quick: bool, logs: Path) -> Figures:
    return figures(every.run(bench, quick, timeout=1800, logs=logs, root=root))


def compare(bench: every.Bench, before: Path, after: Path, rounds: int, quick: bool) -> str:
    runs: dict[str, list[Figures]] = {"before": [], "after": []}
    for n in range(rounds):
        order = [("before", before), ("after", after)]
        for label, root in order if n % 2 == 0 else reversed(order):
            print(f"{bench.name}: round {n + 1}, {label} ...", file=sys.stderr, flush=True)
            runs[label].append(run_in(root, bench, quick,
                                      Path(tempfile.mkdtemp(prefix=f"versus-{label}-"))))
    names = [name for name in runs["after"][0]
             if all(name in r for r in runs["before"] + runs["after"])]
    lines = [f"## {bench.name}", "",
             "| figure | before (rounds) | after (rounds) | before median | after median |",
             "|---|---|---|---|---|"]
    for name in names:
        old, new = ([r[name] for r in runs[label]] for label in ("before", "after"))
        lines.append(f"| {name} | {_list(old)} | {_list(new)} | {statistics.median(old):,.1f} "
                     f"| {statistics.median(new):,.1f} |")
    return "\n".join(lines)


def _list(values: list[float]) -> str:
    return " / ".join(f"{v:,.1f}" for v in values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True,
                        help="the other checkout (a git worktree)")
    parser.add_argument("--only", default="scan,tracking", help="comma-separated benchmark names")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="shorter runs where a script allows")
    args = parser.parse_args(argv)
    after = Path(every.__file__).resolve().parent.parent
    wanted = {word.strip() for word in args.only.split(",") if word.strip()}
    for bench in every.BENCHES:
        if any(word in bench.name for word in wanted):
            print(compare(bench, args.before.resolve(), after, args.rounds, args.quick), flush=True)
            print()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; before = {args.before}, after = {after}")


if __name__ == "__main__":
    main()
