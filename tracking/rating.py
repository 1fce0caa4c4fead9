"""The citizen's rating of a delivery: 1-5 stars and an optional comment, given through the private
tracking link once the item is delivered (CONTRACT.md, "Service quality").

- One rating per consignment (the table's unique key). Given within ``days_to_rate`` days of the
  delivery (``RATING_DAYS_AFTER_DELIVERY``, 30 by default: as long as the tracking page shows the
  item's details after delivery, ``TRACKING_PUBLIC_DAYS_AFTER_FINAL``).
- Replaced in place for ``CHANGE_DAYS`` (7) days from the first rating; after that a change is
  refused and the rating stays as it was.
- Each rating given or changed is one audit row (``rating.given`` / ``rating.changed``: the stars,
  never the comment nor the citizen's address); at most ``daily_limit`` of them per item and day,
  Vietnam time (``CITIZEN_REQUESTS_PER_DAY``, as for the citizen's other requests).
- Every refusal stores nothing. Functions take a Session and never commit.

The comment is text typed by a citizen: NFC, no control character (delivery.typed_text), at most
MAX_COMMENT characters; shown escaped wherever it is shown. Retention erases it with the other
personal data (tracking.retention); the stars stay for the statistics.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from delivery.access import Scope, visible
from delivery.audit import AuditEntry, Who, record_audit
from delivery.errors import Conflict, LimitReached, ValidationFailed
from delivery.models import Consignment, utcnow
from delivery.typed_text import refused_character
from delivery.vietnam_day import day_start, vietnam_date

from .citizen_requests import DAILY_REQUESTS
from .models import Rating

MIN_STARS, MAX_STARS = 1, 5
MAX_COMMENT = 1000
CHANGE_DAYS = 7
DAYS_TO_RATE = 30  # RATING_DAYS_AFTER_DELIVERY
LOW_STARS = 2  # a rating of 1 or 2 stars is flagged to the office's supervisor
CITIZEN = Who("citizen", "tracking link")  # the link is the credential; no network address kept
RATING_ACTIONS = ("rating.given", "rating.changed")


class RatingRefused(Conflict):
    """The item cannot be rated now: not delivered, too long after delivery, or its rating can no
    longer be changed (409)."""

    title = "Rating not accepted"


@dataclass(frozen=True)
class RatingInput:
    """A rating as the citizen sent it, checked: stars 1-5, the comment NFC or None."""

    stars: int
    comment: str | None


@dataclass(frozen=True)
class RatingState:
    """What the tracking page offers: the rating given (if any), whether the citizen may rate (or
    rate again) now, and until when."""

    rating: Rating | None
    open: bool
    until: datetime | None


def parse_rating(stars: Any, comment: Any) -> RatingInput:
    """Check what was sent (JSON values; a form's text is made a number first). Raises
    ValidationFailed naming ``stars`` and/or ``comment``: stars not a whole number from 1 to 5
    (true, 4.5, "4" and None included), a comment that is not text, holds a control character or is
    over MAX_COMMENT characters (counted in NFC). A blank comment counts as none."""
    errors: dict[str, str] = {}
    if isinstance(stars, bool) or not isinstance(stars, int) or \
            not MIN_STARS <= stars <= MAX_STARS:
        errors["stars"] = "chọn từ 1 đến 5 sao / choose 1 to 5 stars"
    text = None
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = "nhận xét phải là văn bản / the comment must be text"
    elif comment is not None:
        text = unicodedata.normalize("NFC", comment)
        if message := refused_character(text):
            errors["comment"] = message
        elif len(text) > MAX_COMMENT:
            errors["comment"] = (f"tối đa {MAX_COMMENT:,} ký tự, quý khách đã viết {len(text):,} / "
                                 f"at most {MAX_COMMENT:,} characters, this has {len(text):,}")
        text = text.strip() or None
    if errors:
        raise ValidationFailed(errors)
    return RatingInput(stars, text)


def rating_of(session: Session, consignment: Consignment) -> Rating | None:
    """The item's rating, or None."""
    return session.exec(select(Rating).where(Rating.consignment_id == consignment.id)).first()


def rating_state(session: Session, consignment: Consignment, *, now: datetime | None = None,
                 days_to_rate: int = DAYS_TO_RATE) -> RatingState:
    """What the citizen may do about the item's rating at ``now``."""
    now, rating = now or utcnow(), rating_of(session, consignment)
    if consignment.status != "delivered" or consignment.anonymised_at is not None:
        return RatingState(rating, False, None)
    until = (rating.created_at + timedelta(days=CHANGE_DAYS) if rating
             else consignment.updated_at + timedelta(days=days_to_rate))
    return RatingState(rating, now <= until, until)


def rate_delivery(session: Session, consignment: Consignment, stars: Any, comment: Any, *,
                  now: datetime | None = None, days_to_rate: int = DAYS_TO_RATE,
                  daily_limit: int = DAILY_REQUESTS) -> tuple[Rating, bool]:
    """Record the citizen's rating of ``consignment``, or replace the one given less than
    CHANGE_DAYS ago (no commit). Returns (the rating, True when it is the first). Raises
    ValidationFailed first for what was sent (parse_rating), then RatingRefused (not delivered,
    anonymised, ``days_to_rate`` past the delivery, or past the change window) and LimitReached
    (``daily_limit`` ratings of the item today), storing nothing.
    The item's row is locked first, so two ratings racing for one item are taken one after the
    other. Moves the item's version (not its ``updated_at``: the time of its last status change),
    so cached tracking pages show the rating."""
    given, now = parse_rating(stars, comment), now or utcnow()
    _check_delivered(consignment)
    session.exec(select(Consignment.id).where(Consignment.id == consignment.id)
                 .with_for_update()).one()
    state = rating_state(session, consignment, now=now, days_to_rate=days_to_rate)
    if not state.open:
        raise _closed(state)
    _check_daily_limit(session, consignment, daily_limit, now)
    before = state.rating.stars if state.rating else None
    rating = _write(session, consignment, state.rating, given, now)
    session.exec(update(Consignment).where(Consignment.id == consignment.id)
                 .values(version=Consignment.version + 1)
                 .execution_options(synchronize_session=False))
    record_audit(session, "rating.given" if before is None else "rating.changed", CITIZEN,
                 consignment_id=consignment.id,
                 detail={"stars": given.stars} | ({"stars_before": before} if before else {}))
    session.flush()
    session.expire(consignment, ["version"])
    return rating, before is None


def _check_delivered(consignment: Consignment) -> None:
    if consignment.status != "delivered":
        raise RatingRefused("quý khách có thể đánh giá sau khi nhận được bưu gửi / "
                            "an item can be rated once it has been delivered",
                            item_status=consignment.status)


def _closed(state: RatingState) -> RatingRefused:
    """Why a delivered item cannot be rated now."""
    if state.rating is not None:
        return RatingRefused(
            f"đánh giá chỉ sửa được trong {CHANGE_DAYS} ngày kể từ lần đánh giá đầu; đánh giá "
            f"{state.rating.stars} sao của quý khách được giữ nguyên / a rating can be changed "
            f"for {CHANGE_DAYS} days after it was first given; your {state.rating.stars}-star "
            "rating stays as it is")
    return RatingRefused("đã hết thời hạn đánh giá bưu gửi này / "
                         "the time to rate this delivery has passed")


def _check_daily_limit(session: Session, consignment: Consignment, limit: int,
                       now: datetime) -> None:
    """LimitReached when the item's rating was already given or changed ``limit`` times today
    (Vietnam time), counted on the audit rows each one leaves."""
    today = day_start(vietnam_date(now))
    made = session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.consignment_id == consignment.id, col(AuditEntry.action).in_(RATING_ACTIONS),
        AuditEntry.at >= today.astimezone(UTC))).one()
    if made >= limit:
        raise LimitReached(f"đánh giá đã được sửa {limit} lần hôm nay, mời quý khách gửi lại ngày "
                           f"mai / this rating was changed {limit} times today; please try again "
                           "tomorrow", limit=limit)


def _write(session: Session, consignment: Consignment, rating: Rating | None,
           given: RatingInput, now: datetime) -> Rating:
    if rating is None:
        rating = Rating(consignment_id=consignment.id, stars=given.stars, comment=given.comment,
                        created_at=now, updated_at=now)
    else:
        rating.stars, rating.comment, rating.updated_at = given.stars, given.comment, now
    session.add(rating)
    return rating


def ratings_in(session: Session, scope: Scope, since: datetime, limit: int = 200
               ) -> list[tuple[Rating, Consignment]]:
    """Ratings given or changed since ``since`` on the items ``scope`` sees, with their items: the
    low ones (LOW_STARS or fewer) first, then the others, newest first within each."""
    low = Rating.stars <= LOW_STARS
    rows = session.exec(
        select(Rating, Consignment).join(Consignment, Consignment.id == Rating.consignment_id)
        .where(visible(scope), Rating.updated_at >= since)
        .order_by(low.desc(), col(Rating.updated_at).desc(), col(Rating.id).desc()).limit(limit))
    return [(rating, consignment) for rating, consignment in rows.all()]
