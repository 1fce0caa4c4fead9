"""The citizen's rating (tracking.rating): given once the item is delivered, replaced within 7 days
of the first, and every refusal stores nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from delivery.access import EVERYTHING, NOTHING, Scope
from delivery.audit import AuditEntry
from delivery.errors import LimitReached, ValidationFailed
from delivery.models import utcnow
from tracking.models import Rating
from tracking.rating import RatingRefused, rate_delivery, rating_state, ratings_in


@pytest.fixture
def delivered(session, consignment):
    consignment.status, consignment.updated_at = "delivered", utcnow() - timedelta(days=1)
    session.commit()
    return consignment


def stored(session):
    session.expire_all()
    return session.exec(select(Rating)).all()


def audited(session):
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_it_records_a_first_rating_of_a_delivered_item(session, delivered):
    rating, first = rate_delivery(session, delivered, 4, "Bưu tá đến đúng giờ")
    session.commit()
    assert first and (rating.stars, rating.comment) == (4, "Bưu tá đến đúng giờ")
    assert [(r.consignment_id, r.stars) for r in stored(session)] == [(delivered.id, 4)]


def test_it_replaces_the_rating_within_seven_days_of_the_first(session, delivered):
    rate_delivery(session, delivered, 2, "Chậm", now=utcnow() - timedelta(days=6))
    session.commit()
    rating, first = rate_delivery(session, delivered, 5, None)
    session.commit()
    assert not first and [(r.stars, r.comment) for r in stored(session)] == [(5, None)]
    assert rating.updated_at > rating.created_at


def test_it_refuses_a_change_after_seven_days_and_keeps_the_rating(session, delivered):
    rate_delivery(session, delivered, 2, "Chậm", now=utcnow() - timedelta(days=7, minutes=1))
    session.commit()
    with pytest.raises(RatingRefused, match="7 days"):
        rate_delivery(session, delivered, 5, "Tốt")
    session.rollback()
    assert [(r.stars, r.comment) for r in stored(session)] == [(2, "Chậm")]


@pytest.mark.parametrize("status", ["created", "out_for_delivery", "attempt_failed", "returned"])
def test_it_refuses_an_item_not_delivered(session, consignment, status):
    consignment.status = status
    session.commit()
    with pytest.raises(RatingRefused, match="delivered"):
        rate_delivery(session, consignment, 5, None)
    session.rollback()
    assert stored(session) == [] and audited(session) == []


def test_it_refuses_a_first_rating_after_the_days_to_rate(session, delivered):
    with pytest.raises(RatingRefused, match="passed"):
        rate_delivery(session, delivered, 5, None, now=utcnow() + timedelta(days=30),
                      days_to_rate=30)
    session.rollback()
    assert stored(session) == []


def test_it_refuses_an_item_whose_personal_data_was_erased(session, delivered):
    delivered.anonymised_at = utcnow()
    session.commit()
    with pytest.raises(RatingRefused):
        rate_delivery(session, delivered, 5, "x")
    session.rollback()
    assert stored(session) == []


@pytest.mark.parametrize("stars", [0, 6, -1, 4.5, 3.0, True, "4", None, [4]])
def test_it_refuses_stars_not_a_whole_number_from_one_to_five(session, delivered, stars):
    with pytest.raises(ValidationFailed) as refused:
        rate_delivery(session, delivered, stars, "x")
    session.rollback()
    assert list(refused.value.errors) == ["stars"] and stored(session) == []


def test_it_refuses_a_comment_over_a_thousand_characters(session, delivered):
    with pytest.raises(ValidationFailed, match="1,000") as refused:
        rate_delivery(session, delivered, 3, "ư" * 1001)
    session.rollback()
    assert list(refused.value.errors) == ["comment"] and stored(session) == []


def test_it_counts_the_comment_in_nfc(session, delivered):
    decomposed = "u\u031b\u0300" * 1000  # "ừ" typed as three code points
    rating, _ = rate_delivery(session, delivered, 3, decomposed)
    assert rating.comment == "ừ" * 1000


@pytest.mark.parametrize("comment", ["a\x00b", "bell\x07", "\x85", 42])
def test_it_refuses_a_comment_with_a_control_character_or_not_text(session, delivered, comment):
    with pytest.raises(ValidationFailed) as refused:
        rate_delivery(session, delivered, 3, comment)
    session.rollback()
    assert list(refused.value.errors) == ["comment"] and stored(session) == []


def test_it_names_both_fields_at_once(session, delivered):
    with pytest.raises(ValidationFailed) as refused:
        rate_delivery(session, delivered, 9, "x" * 1001)
    assert set(refused.value.errors) == {"stars", "comment"}


def test_it_keeps_a_blank_comment_as_none_and_trims_it(session, delivered):
    assert rate_delivery(session, delivered, 5, "   ")[0].comment is None
    assert rate_delivery(session, delivered, 5, "  Tốt\n")[0].comment == "Tốt"


def test_it_audits_the_stars_and_never_the_comment(session, delivered):
    rate_delivery(session, delivered, 2, "Số nhà 12, gọi 0912345678")
    rate_delivery(session, delivered, 4, "ok")
    session.commit()
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.detail, e.client_address) for e in entries] == [
        ("rating.given", '{"stars": 2}', None),
        ("rating.changed", '{"stars": 4, "stars_before": 2}', None)]


def test_it_refuses_changes_beyond_the_daily_limit_and_stores_nothing(session, delivered):
    for stars in (1, 2, 3):
        rate_delivery(session, delivered, stars, None, daily_limit=3)
    session.commit()
    with pytest.raises(LimitReached, match="3"):
        rate_delivery(session, delivered, 5, None, daily_limit=3)
    session.rollback()
    assert [r.stars for r in stored(session)] == [3]


def test_it_moves_the_version_but_not_the_time_of_the_last_status_change(session, delivered):
    version, changed_at = delivered.version, delivered.updated_at
    rate_delivery(session, delivered, 5, None)
    session.commit()
    session.refresh(delivered)
    assert delivered.version == version + 1 and delivered.updated_at == changed_at


def test_it_says_until_when_the_citizen_may_rate_or_change(session, delivered):
    assert rating_state(session, delivered, days_to_rate=30).until == \
        delivered.updated_at + timedelta(days=30)
    rating, _ = rate_delivery(session, delivered, 5, None)
    state = rating_state(session, delivered)
    assert state.open and state.rating is rating and state.until == \
        rating.created_at + timedelta(days=7)


def test_it_lists_low_ratings_first_and_only_within_the_scope(session, agency, delivered):
    from delivery.intake import create_consignment, parse_intake
    from tests.payloads import intake_body

    other, _ = create_consignment(session, parse_intake(intake_body(2)), agency, indicator="RR")
    other.status = "delivered"
    session.commit()
    rate_delivery(session, other, 5, None)
    rate_delivery(session, delivered, 1, "Hỏng")
    session.commit()
    since = utcnow() - timedelta(days=1)
    assert [r.stars for r, _ in ratings_in(session, EVERYTHING, since)] == [1, 5]
    assert ratings_in(session, NOTHING, since) == []
    other_agency = Scope(agency_ids=frozenset({agency.id + 1}))
    assert ratings_in(session, other_agency, since) == []
