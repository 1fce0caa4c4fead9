"""The at-risk rules (delivery.at_risk): each flags what it says and clears when it no longer
holds, with days counted in Vietnam time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from delivery.access import EVERYTHING, Scope
from delivery.at_risk import (
    AtRiskFlag,
    at_risk_first,
    at_risk_items,
    flag_at_risk,
    flags_of,
    reason_label,
)
from delivery.models import VIETNAM_TIME, Consignment

# Wednesday 9 December 2026, 10:00 in Vietnam
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=VIETNAM_TIME)


def vn(day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=VIETNAM_TIME)


@pytest.fixture
def item(session, new_consignment):
    """A consignment in ``status`` due at ``due_at``."""
    def make(status: str, due_at: datetime | None) -> Consignment:
        consignment = new_consignment()
        consignment.status, consignment.due_at = status, due_at
        session.add(consignment)
        session.commit()
        return consignment

    return make


def flags(session, consignment: Consignment) -> tuple[datetime | None, str | None]:
    """(since, reason) of the item's flag, (None, None) when it has none."""
    session.expire_all()
    flag = session.get(AtRiskFlag, consignment.id)
    return (flag.since, flag.reason) if flag else (None, None)


@pytest.mark.parametrize("status", ["created", "accepted", "in_transit"])
def test_it_flags_an_item_not_at_its_delivery_office_the_day_before_it_is_due(
        session, item, status):
    on_the_way = item(status, vn(10))
    flag_at_risk(session, NOW)
    session.commit()
    assert flags(session, on_the_way) == (NOW, "not_at_delivery_office")


def test_it_leaves_an_item_on_the_way_with_two_days_left(session, item):
    early = item("in_transit", vn(11, 8))
    assert flag_at_risk(session, NOW).flagged == []
    assert flags(session, early) == (None, None)


def test_it_counts_working_days_so_an_item_due_on_monday_is_flagged_on_friday(session, item):
    due_monday = item("in_transit", vn(14))
    friday = datetime(2026, 12, 11, 10, 0, tzinfo=VIETNAM_TIME)
    flag_at_risk(session, friday)
    session.commit()
    assert flags(session, due_monday) == (friday, "not_at_delivery_office")


def test_it_counts_a_holiday_as_no_working_day(session, item):
    # Friday 1 January 2027 is New Year's Day: an item due on Monday the 4th has no working day
    # left after Thursday 31 December
    due_monday = item("in_transit", datetime(2027, 1, 4, 17, 0, tzinfo=VIETNAM_TIME))
    thursday = datetime(2026, 12, 31, 10, 0, tzinfo=VIETNAM_TIME)
    flag_at_risk(session, thursday)
    session.commit()
    assert flags(session, due_monday) == (thursday, "not_at_delivery_office")


def test_it_leaves_an_item_the_citizen_asked_for_on_a_later_day(session, item):
    asked_later = item("at_delivery_office", vn(9, 23, 30))
    asked_later.requested_date = date(2026, 12, 14)
    session.add(asked_later)
    session.commit()
    flag_at_risk(session, NOW)
    assert flags(session, asked_later) == (None, None)


def test_it_flags_an_item_not_out_for_delivery_on_its_due_day(session, item):
    due_today = item("at_delivery_office", vn(9, 23, 30))
    due_tomorrow = item("at_delivery_office", vn(10, 0, 30))
    flag_at_risk(session, NOW)
    session.commit()
    assert flags(session, due_today) == (NOW, "not_out_for_delivery")
    assert flags(session, due_tomorrow) == (None, None)


def test_it_counts_the_due_day_in_vietnam_time_not_utc(session, item):
    # 01:00 on the 10th in Vietnam is still the 9th in UTC: not due today
    tomorrow_in_vietnam = item("at_delivery_office", datetime(2026, 12, 9, 18, 0, tzinfo=UTC))
    flag_at_risk(session, NOW)
    assert flags(session, tomorrow_in_vietnam) == (None, None)


def test_it_flags_a_failed_item_with_no_new_attempt_the_day_before_it_is_due(session, item):
    failed = item("attempt_failed", vn(10))
    failed_early = item("attempt_failed", vn(11))
    flag_at_risk(session, NOW)
    session.commit()
    assert flags(session, failed) == (NOW, "failed_no_new_attempt")
    assert flags(session, failed_early) == (None, None)


def test_it_flags_an_item_already_past_its_due_date(session, item):
    late = item("in_transit", vn(2))
    flag_at_risk(session, NOW)
    assert flags(session, late) == (NOW, "not_at_delivery_office")


@pytest.mark.parametrize("status", ["out_for_delivery", "held_for_pickup", "returning",
                                    "delivered", "returned", "cancelled"])
def test_it_never_flags_an_item_out_waiting_for_the_citizen_going_back_or_final(
        session, item, status):
    late = item(status, vn(2))
    assert flag_at_risk(session, NOW).flagged == []
    assert flags(session, late) == (None, None)


def test_it_never_flags_an_item_without_a_due_date(session, item):
    undated = item("attempt_failed", None)
    flag_at_risk(session, NOW)
    assert flags(session, undated) == (None, None)


@pytest.mark.parametrize("status", ["out_for_delivery", "delivered"])
def test_it_clears_the_flag_once_the_item_is_out_or_final(session, item, status):
    risky = item("at_delivery_office", vn(9))
    flag_at_risk(session, NOW)
    session.commit()
    risky.status = status
    session.add(risky)
    session.commit()
    run = flag_at_risk(session, NOW + timedelta(minutes=5))
    session.commit()
    assert run.cleared == 1
    assert flags(session, risky) == (None, None)


def test_it_clears_the_flag_when_the_due_date_moves_away(session, item):
    risky = item("attempt_failed", vn(10))
    flag_at_risk(session, NOW)
    session.commit()
    risky.due_at = vn(20)
    session.add(risky)
    session.commit()
    flag_at_risk(session, NOW + timedelta(minutes=5))
    assert flags(session, risky) == (None, None)


def test_it_keeps_the_episode_and_updates_the_reason_when_another_rule_holds(session, item):
    risky = item("in_transit", vn(9))
    flag_at_risk(session, NOW)
    session.commit()
    risky.status = "at_delivery_office"
    session.add(risky)
    session.commit()
    run = flag_at_risk(session, NOW + timedelta(minutes=5))
    session.commit()
    assert (run.flagged, run.changed) == ([], 1)
    assert flags(session, risky) == (NOW, "not_out_for_delivery")


@pytest.mark.parametrize("later", [timedelta(0), timedelta(minutes=5)])
def test_it_flags_nothing_new_when_run_again(session, item, later):
    item("in_transit", vn(9))
    assert len(flag_at_risk(session, NOW).flagged) == 1
    session.commit()
    assert flag_at_risk(session, NOW + later) == ([], 0, 0)


def test_it_returns_what_the_notice_needs_of_each_item_flagged(session, item):
    risky = item("attempt_failed", vn(9))
    [flagged] = flag_at_risk(session, NOW).flagged
    assert (flagged.id, flagged.tracking_number, flagged.dossier_code, flagged.status,
            flagged.due_at, flagged.at_risk_reason) == (
        risky.id, risky.tracking_number, risky.dossier_code, "attempt_failed", vn(9),
        "failed_no_new_attempt")


def test_it_lists_the_at_risk_items_a_scope_sees_soonest_due_first(session, item):
    later = item("in_transit", vn(10))
    sooner = item("at_delivery_office", vn(8))
    item("in_transit", vn(15))
    flag_at_risk(session, NOW)
    session.commit()
    assert [row.consignment.id for row in at_risk_items(session, EVERYTHING)] == [
        sooner.id, later.id]
    assert at_risk_items(session, Scope(agency_ids=frozenset({later.agency_id + 1}))) == []


def test_it_no_longer_shows_an_item_a_scan_took_out_of_risk_before_the_next_run(session, item):
    risky = item("at_delivery_office", vn(9))
    flag_at_risk(session, NOW)
    session.commit()
    risky.status = "out_for_delivery"
    session.add(risky)
    session.commit()
    assert at_risk_items(session, EVERYTHING) == []
    assert flags_of(session, [risky]) == {}


def test_it_puts_the_items_shown_at_risk_first_keeping_the_order_within_each(session, item):
    calm, risky, other_calm = item("attempt_failed", vn(20)), item("attempt_failed", vn(9)), \
        item("at_delivery_office", vn(20))
    flag_at_risk(session, NOW)
    session.commit()
    items = [calm, risky, other_calm]
    assert at_risk_first(items, flags_of(session, items)) == [risky, calm, other_calm]


def test_it_names_each_reason_in_vietnamese_and_english():
    assert reason_label("not_out_for_delivery") == "Chưa đi phát trong ngày hạn cuối"
    assert reason_label("not_out_for_delivery", "en") == "Not out for delivery on its due day"


def test_it_leaves_the_consignment_row_as_it_was(session, item):
    risky = item("in_transit", vn(9))
    version, updated_at = risky.version, risky.updated_at
    flag_at_risk(session, NOW)
    session.commit()
    session.refresh(risky)
    assert (risky.version, risky.updated_at) == (version, updated_at)
