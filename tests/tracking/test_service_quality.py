"""The service quality figures over the generated month of tests/quality_month.py. Every expected
number below is counted by hand from that module's table (the item numbers are in the comments)."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.access import EVERYTHING, Caller, scope_of
from delivery.errors import ValidationFailed
from delivery.quality_scope import Narrowing, Period, QualityQuery, narrowing_of, parse_period
from tests.quality_month import NOW, make_month
from tracking.service_quality import quality_report

SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30))


@pytest.fixture
def month(session):
    return make_month(session)


def report_for(session, scope=EVERYTHING, narrowing=None, period=SEPTEMBER):
    return quality_report(session, QualityQuery(period, scope, narrowing or Narrowing()), now=NOW)


def supervisor_scope(session, month, name):
    office = {"s1": "O1", "s2": "O2", "s3": "O3"}[name]
    return scope_of(session, Caller(role="supervisor", office_id=month.offices[office]))


def test_it_counts_the_items_created_in_the_period_as_volume(session, month):
    # 1-6, 8, 9 (23:30 on 30 September), 11-13, 15-20; not 7, 14 (August), 10 (1 October)
    assert report_for(session).figures.volume == 17


def test_it_counts_deliveries_in_the_period_on_time_or_late_against_the_due_date(session, month):
    figures = report_for(session).figures
    # delivered: 1, 2, 4, 7, 11, 12, 14 (00:10 on 1 September), 16, 18; not 13 (1 October)
    # late: 4 (two days), 16 (an hour); 11 has no due date
    assert (figures.delivered, figures.on_time, figures.late, figures.without_due_date) == \
        (9, 6, 2, 1)


def test_it_counts_returns_to_the_agency_in_the_period(session, month):
    assert report_for(session).figures.returned == 3  # 3, 15, 19


def test_it_gives_the_first_attempt_success_rate_over_delivered_and_returned(session, month):
    figures = report_for(session).figures
    # delivered with no failed attempt: 1, 4, 7, 11, 14, 16, 18 = 7; finished: 9 + 3 returned
    assert figures.delivered_first_attempt == 7
    assert figures.first_attempt_success_rate == round(7 / 12, 4)


def test_it_gives_attempts_per_delivery(session, month):
    # 9 deliveries, plus one failed attempt before each of 2 and 12
    assert report_for(session).figures.attempts_per_delivery == round(11 / 9, 4)


def test_it_ranks_failure_reasons_as_a_pareto_with_cumulative_shares(session, month):
    failures = report_for(session).figures.failures_by_reason
    # absent: 2, 3, 15, 17; one each: address (3), identity (19), other (19), closed (12),
    # moved (15), refused (8): 10 failures
    assert [(f.reason, f.count, f.cumulative_share) for f in failures] == [
        ("recipient_absent", 4, 0.4), ("address_incorrect", 1, 0.5),
        ("identity_not_verified", 1, 0.6), ("other", 1, 0.7), ("premises_closed", 1, 0.8),
        ("recipient_moved", 1, 0.9), ("recipient_refused", 1, 1.0)]


def test_it_spreads_the_time_from_intake_to_delivery_over_buckets(session, month):
    # 14: 16 h 10, 18: 23 h; 1: 50 h; 2: 97 h, 7: 97 h, 12: 74 h, 16: 106 h; 4: 145 h, 11: 144 h
    assert report_for(session).figures.delivery_times == {
        "under_1_day": 2, "1_2_days": 0, "2_3_days": 1, "3_5_days": 4, "5_7_days": 2,
        "over_7_days": 0}


def test_it_lists_open_items_past_due_oldest_first_with_who_holds_them(session, month):
    figures = report_for(session).figures
    listed = [(item.tracking_number, item.status, item.holder_kind, item.holder)
              for item in figures.past_due]
    numbers = month.numbers
    assert figures.past_due_count == 5
    assert listed == [
        (numbers[17], "attempt_failed", "office", "Bưu cục phát Ba Đình"),
        (numbers[8], "returning", "office", "Bưu cục phát Hoàn Kiếm"),
        (numbers[5], "out_for_delivery", "courier", "c1"),
        (numbers[20], "in_transit", "office", "Trung tâm khai thác TP. Hồ Chí Minh"),
        (numbers[9], "created", "agency", "Trung tâm PVHCC Hà Nội")]


def test_it_sums_money_collected_in_the_period_and_still_to_collect(session, month):
    figures = report_for(session).figures
    # collected (recipient pays, delivered in September): 1, 2, 7, 12, 16, 18
    assert figures.collected_vnd == 20000 + 30000 + 25000 + 12000 + 40000 + 50000
    # to collect (open and still deliverable, recipient pays): 5, 6, 9, 10, 17; not 8 (returning)
    assert figures.to_collect_vnd == 15000 + 10000 + 5000 + 7000 + 8000


def test_it_summarises_the_ratings_given_in_the_period(session, month):
    rating = report_for(session).rating
    # 1, 2, 4, 7, 16, 18; not 13 (rated in October)
    assert (rating.count, rating.average) == (6, round(20 / 6, 2))
    assert rating.by_stars == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2}
    assert [c.comment for c in rating.recent_comments] == [
        "Phát muộn", "Bình thường", "Không gọi trước", "Rất nhanh", "Tốt"]


def test_it_narrows_every_figure_to_one_office(session, month):
    report = report_for(session, narrowing=Narrowing(office_id=month.offices["O1"]))
    figures = report.figures
    assert (figures.volume, figures.delivered, figures.on_time, figures.late) == (11, 7, 5, 1)
    assert (figures.returned, figures.first_attempt_success_rate) == (1, 0.625)
    assert [(f.reason, f.count) for f in figures.failures_by_reason] == [
        ("recipient_absent", 2), ("address_incorrect", 1), ("premises_closed", 1),
        ("recipient_refused", 1)]
    assert (figures.collected_vnd, figures.to_collect_vnd) == (87000, 37000)
    assert [p.tracking_number for p in figures.past_due] == [month.numbers[n] for n in (8, 5, 9)]
    assert (report.rating.count, report.rating.average) == (4, 4.0)


def test_it_narrows_events_to_what_the_courier_recorded(session, month):
    figures = report_for(session, narrowing=Narrowing(courier_id=month.users["c1"])).figures
    # delivered by c1: 1, 2, 7, 11, 12; failures by c1: 2, 8, 12; c1's round: 5
    assert (figures.delivered, figures.failed_attempts, figures.volume) == (5, 3, 1)
    assert [p.tracking_number for p in figures.past_due] == [month.numbers[5]]


def test_it_keeps_a_supervisor_to_their_own_office(session, month):
    figures = report_for(session, supervisor_scope(session, month, "s3")).figures
    assert (figures.volume, figures.delivered, figures.returned) == (3, 1, 1)  # 18, 19, 20


def test_it_answers_an_office_outside_the_scope_as_an_unknown_one(session, month):
    scope = supervisor_scope(session, month, "s3")
    errors = []
    for code in ("O1", "NO-SUCH-OFFICE"):
        with pytest.raises(ValidationFailed) as caught:
            narrowing_of(session, scope, {"office": code})
        errors.append(caught.value.errors)
    assert errors[0] == errors[1] and set(errors[0]) == {"office"}


def test_it_lets_a_supervisor_narrow_to_their_own_office(session, month):
    scope = supervisor_scope(session, month, "s1")
    assert narrowing_of(session, scope, {"office": "O1"}).office_id == month.offices["O1"]


@pytest.mark.parametrize(("first", "last", "field"), [
    ("2026-09-30", "2026-09-01", "to"), ("2025-09-01", "2026-10-01", "to"),
    ("2026-02-30", "2026-03-01", "from"), ("2026-W01-1", "2026-03-01", "from"),
    (None, "2026-03-01", "from")])
def test_it_refuses_a_bad_period(first, last, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(first, last)
    assert field in caught.value.errors


def test_it_accepts_a_period_of_thirteen_months():
    assert parse_period("2025-09-01", "2026-09-30") == Period(date(2025, 9, 1), date(2026, 9, 30))


def test_it_refuses_a_day_a_report_cannot_name():
    with pytest.raises(ValidationFailed) as caught:
        parse_period("0001-01-01", "0001-02-01")
    assert set(caught.value.errors) == {"from", "to"}


def test_it_answers_a_code_in_other_digits_as_unknown(session, month):
    with pytest.raises(ValidationFailed) as caught:
        narrowing_of(session, EVERYTHING, {"province": "²", "ward": "٣"})
    assert set(caught.value.errors) == {"province", "ward"}
