"""The labels bench's per-label rows: both readings of the 1.3x target."""

from bench.labels_bench import render_rows


def test_it_judges_each_render_against_bare_and_beyond_its_own_symbols():
    rows = render_rows({"bare": 6.0, "own": 4.0, "png (203 dpi)": 5.5, "pdf": 8.0},
                       ["png (203 dpi)", "pdf"])
    judged = {figure: (value, target, result) for figure, value, target, result in rows}
    assert judged["png (203 dpi) render, CPU ms/label (x bare)"] == (
        "5.50 (0.92x)", "<= 1.3x", "pass")
    assert judged["png (203 dpi) render beyond its own symbols, CPU ms/label (x bare)"] == (
        "1.50 (0.25x)", "<= 0.30x", "pass")
    assert judged["pdf render beyond its own symbols, CPU ms/label (x bare)"] == (
        "4.00 (0.67x)", "<= 0.30x", "FAIL")
