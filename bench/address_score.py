"""Scores the address resolver on the evaluation set of bench/address_eval.py and prints a table.

    .venv/bin/python -m bench.address_score [-v]  # -v also lists every address not counted as right

Outcomes: ``correct`` (the one expected ward), ``ambiguous as expected`` (the text names several
wards and the resolver refused with all of them as candidates), ``wrong`` (a ward was returned that
is not the answer, or one was picked among several: a guess),
``refused, right ward among candidates`` (refused though the text names one ward: safe but not
counted as right), ``unresolved``. Accuracy counts the first two.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bench.address_eval import Case, read_cases

OUTCOMES = ("correct", "ambiguous as expected", "wrong", "refused, right ward among candidates",
            "unresolved")
CONFIDENT = 0.8


class Verdict(NamedTuple):
    outcome: str
    got: str
    confidence: float | None = None
    correction_missed: bool = False  # the right ward, without the correction the case expects


@dataclass
class Score:
    """Outcome counts over a set; ``accuracy`` counts correct answers and expected refusals with all
    right wards."""

    counts: Counter[str]
    by_tag: dict[str, Counter[str]]
    wrong_confident: int
    misses: list[tuple[Case, Verdict]]
    corrections_missed: int = 0
    by_form: dict[str, Counter[str]] = field(default_factory=dict)  # outcomes, "confident wrong"
    confident_corrections: int = 0  # typo answers at or above CONFIDENT: should be none

    @property
    def accuracy(self) -> float:
        total = sum(self.counts.values())
        return ((self.counts["correct"] + self.counts["ambiguous as expected"]) / total
                if total else 0.0)


def judge(case: Case, resolve: Callable[[str], object]) -> Verdict:
    from delivery.errors import AddressNotResolved

    try:
        found = resolve(case.text)
    except AddressNotResolved as error:
        offered = {c["ward"]["code"] for c in error.candidates}
        if len(case.expected) > 1 and offered >= set(case.expected):
            return Verdict("ambiguous as expected", f"{len(offered)} candidates")
        right = bool(offered & set(case.expected))
        return Verdict(OUTCOMES[3] if right else "unresolved",
                       f"{len(offered)} candidates: {error.detail}")
    # getattr: the result of any resolver
    code, confidence = getattr(found, "ward_code"), getattr(found, "confidence")  # noqa: B009
    corrections = [c.official for c in getattr(found, "corrections", ())]
    if case.expected == (code,):
        if case.correction and corrections != [case.correction]:
            return Verdict("correct", f"{code}, but corrected to {corrections} not to "
                           f"{case.correction}", confidence, correction_missed=True)
        return Verdict("correct", str(code), confidence)
    return Verdict("wrong", f"{code} {getattr(found, 'ward_name')}", confidence)  # noqa: B009


def as_the_api_reads(text: str) -> object:
    """Resolve ``text`` as POST /api/v1/addresses/resolve does: legacy encodings (TCVN3, VNI)
    converted to Unicode first."""
    from delivery.address import resolve_address
    from delivery.legacy_encoding import to_unicode

    return resolve_address(to_unicode(text)[0])


def score(cases: list[Case], resolve: Callable[[str], object] | None = None) -> Score:
    if resolve is None:
        resolve = as_the_api_reads
    result = Score(Counter(), {}, 0, [])
    for case in cases:
        verdict = judge(case, resolve)
        result.counts[verdict.outcome] += 1
        for tag in {case.form, *case.styles.split(), *case.note.split("+")} - {""}:
            result.by_tag.setdefault(tag, Counter())[verdict.outcome] += 1
        form = result.by_form.setdefault(case.form, Counter())
        form[verdict.outcome] += 1
        if verdict.outcome == "wrong" and (verdict.confidence or 0) >= CONFIDENT:
            result.wrong_confident += 1
            form["confident wrong"] += 1
        if verdict.outcome not in OUTCOMES[:2] or verdict.correction_missed:
            result.misses.append((case, verdict))
        result.corrections_missed += verdict.correction_missed
        result.confident_corrections += bool(case.correction and verdict.confidence
                                             and verdict.confidence >= CONFIDENT)
    return result


def table(result: Score) -> str:
    total = sum(result.counts.values())
    rows = [("total", str(total)), *((name, str(result.counts[name])) for name in OUTCOMES),
            (f"wrong with confidence >= {CONFIDENT}", str(result.wrong_confident)),
            ("right ward, but not the correction expected", str(result.corrections_missed)),
            (f"typo read with confidence >= {CONFIDENT}", str(result.confident_corrections)),
            ("accuracy (correct + ambiguous as expected)", f"{result.accuracy:.1%}")]
    lines = ["| outcome | addresses |", "|---|---:|", *(f"| {a} | {b} |" for a, b in rows), "",
             *form_table(result), "",
             "| tag | addresses | correct or ambiguous as expected |", "|---|---:|---:|"]
    for tag, counts in sorted(result.by_tag.items()):
        good = counts["correct"] + counts["ambiguous as expected"]
        lines.append(f"| {tag} | {sum(counts.values())} | {good / sum(counts.values()):.1%} |")
    return "\n".join(lines)


def form_table(result: Score) -> list[str]:
    """Accuracy per form (new, old, english-*, no-province-*, typo-*), with every outcome."""
    short = ("right", "ambiguous", "wrong", "refused, right among candidates", "unresolved")
    lines = [f"| form | addresses | {' | '.join(short)} | confident wrong | accuracy |",
             "|---|" + "---:|" * (len(short) + 3)]
    for form, counts in sorted(result.by_form.items()):
        total = sum(counts[name] for name in OUTCOMES)
        good = (counts["correct"] + counts["ambiguous as expected"]) / total
        lines.append(f"| {form} | {total} | {' | '.join(str(counts[n]) for n in OUTCOMES)} | "
                     f"{counts['confident wrong']} | {good:.1%} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    result = score(read_cases())
    print(table(result))
    for case, verdict in result.misses if parser.parse_args(argv).verbose else []:
        print(f"{case.id} [{verdict.outcome}] {case.text!r} expected {case.expected_names} "
              f"got {verdict.got}")


if __name__ == "__main__":
    main()
