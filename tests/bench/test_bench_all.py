"""bench/all.py reads the other benchmarks' printed tables; these pin the lines it understands."""

from bench.all import BENCHES, read_address_score, read_judged_lines, run, verdict

SCAN = """
Scan path on PostgreSQL, gunicorn 2 workers x 8 threads, wrk 16 connections, 10 s each, 3 rounds; \
non-2xx: ...
hello-world (reference)                         2,125 req/s    p99 439.6 ms
bare JSON + INSERT + UPDATE (median)            1,062 req/s    p99 40.2 ms
full scan path (median)           85 req/s    p99 225.8 ms  8.0% of bare \
(target >= 60%, p99 <= 50 ms): FAIL
batch endpoint (500/request, 4 clients)        484 events/s                  \
target >= 10,000 events/s: FAIL
  round 1: bare 1,062 req/s (p99 40.2 ms), scan 85 req/s (p99 225.8 ms), 8%
"""


def test_it_judges_a_figure_against_an_upper_or_lower_bound():
    assert (verdict("0.70 s", "<= 1.5 s"), verdict("1,904 addresses/s", ">= 2000")) == (
        "pass", "FAIL")


def test_it_reads_the_judged_lines_of_the_scan_bench():
    rows = read_judged_lines(SCAN)
    assert [(row[0], row[3]) for row in rows] == [
        ("full scan path (median)", "FAIL"), ("batch endpoint (500/request, 4 clients)", "FAIL")]
    assert rows[0][1] == "85 req/s, p99 225.8 ms 8.0% of bare"
    assert rows[1][1:3] == ("484 events/s", ">= 10,000 events/s")


def test_it_keeps_only_the_last_round_of_the_tracking_bench():
    out = "round 1\n" \
          "  GET /t/<token>   99 req/s  p99 9.0 ms  6% of hello-world (target >= 50%): FAIL\n" \
          "round 2\n" \
          "  GET /t/<token>  164 req/s  p99 4.0 ms  60% of hello-world (target >= 50%): PASS\n"
    assert [row[3] for row in read_judged_lines(out)] == ["pass"]


def test_it_reads_a_tracking_line_that_says_how_connections_were_spread_over_the_workers():
    out = "round 1\n  GET /api/v1/track/<token>     4,202 req/s  p99    17.2 ms  workers 9/7    " \
          "72% of hello-world (target >= 50%): PASS\n"
    [(figure, measured, target, result)] = read_judged_lines(out)
    assert (figure, target, result) == ("GET /api/v1/track/<token>", ">= 50%", "pass")
    assert measured.startswith("4,202 req/s")
    assert measured.endswith("workers 9/7 72% of hello-world")


def test_it_reads_accuracy_and_confident_mistakes_from_the_address_score():
    out = "| outcome | addresses |\n|---|---:|\n| wrong with confidence >= 0.8 | 0 |\n" \
          "| accuracy (correct + ambiguous as expected) | 97.0% |\n\n" \
          "| tag | a | b |\n|---|---:|---:|\n| x | 1 | 2 |"
    assert [row[3] for row in read_address_score(out)] == ["pass", "FAIL"]


def test_it_shows_a_missing_benchmark_as_a_missing_row(tmp_path):
    absent = BENCHES[0].__class__("absent", "bench/no_such_bench.py", (), (), read_judged_lines)
    assert run(absent, quick=True, timeout=5, logs=tmp_path) == [
        ("(whole benchmark)", "missing", "bench/no_such_bench.py", "missing")]


def test_it_reads_the_judged_lines_of_the_dossier_pdf_bench():
    out = "| 1 | 0.41 | 17.9 | 46.1 | 30 | 79.6 |\n\n" \
          "dossier PDF, 30 photos, one core (median)     0.41 s  (target <= 3 s): PASS\n" \
          "peak RSS while writing it (median)            18 MB  (target <= 200 MB): PASS\n"
    assert read_judged_lines(out) == [
        ("dossier PDF, 30 photos, one core (median)", "0.41 s", "<= 3 s", "pass"),
        ("peak RSS while writing it (median)", "18 MB", "<= 200 MB", "pass")]
