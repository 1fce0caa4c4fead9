"""The resolver against the committed evaluation set (accuracy, not speed): bench/address_eval.py,
address_score.py."""

from __future__ import annotations

from bench.address_eval import generate, read_cases
from bench.address_score import score
from delivery.address import iter_reference_wards


def test_it_resolves_at_least_98_percent_of_the_evaluation_set_without_a_confident_wrong_ward(
) -> None:
    result = score(read_cases())
    assert sum(result.counts.values()) >= 200
    assert result.accuracy >= 0.98, [(case.text, verdict) for case, verdict in result.misses]
    assert result.wrong_confident == 0


def test_it_covers_every_province_old_and_new() -> None:
    cases, province_of = read_cases(), {ward.code: ward.province_code
                                        for ward in iter_reference_wards()}
    assert len({province_of[case.expected[0]] for case in cases}) == 34
    styles = {tag for case in cases for tag in case.styles.split()}
    assert {"no-diacritics", "unit-abbrev", "province-short", "detail", "upper", "spaces",
            "merged"} <= styles
    assert ({case.form for case in cases} >= {"new", "old"}
            and any("split" in case.note for case in cases))


def test_it_regenerates_the_committed_set_from_the_packages_data() -> None:
    # A different set means the packages' data changed: regenerate it
    # (python -m bench.address_eval generate).
    assert generate() == read_cases()
