"""The service quality report: delivery's figures (delivery.quality) and the citizens' ratings of
the same items, in one call for the dashboard, its exports and the JSON report.

Ratings count when given (first given, ``Rating.created_at``) in the period, on items the report
counts (the caller's scope and the narrowing, as delivery.quality_scope reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from delivery.models import Consignment
from delivery.quality import QualityFigures, quality_figures
from delivery.quality_scope import QualityQuery, items_condition

from .models import Rating

RECENT_COMMENTS = 10


@dataclass(frozen=True)
class RatingComment:
    tracking_number: str
    stars: int
    comment: str
    given_at: datetime


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None
    by_stars: dict[int, int]
    recent_comments: list[RatingComment]


@dataclass(frozen=True)
class QualityReport:
    query: QualityQuery
    figures: QualityFigures
    rating: RatingSummary


def quality_report(session: Session, query: QualityQuery, *, now: datetime | None = None,
                   past_due_limit: int = 100) -> QualityReport:
    """Every figure of ``query`` and its ratings (read only)."""
    return QualityReport(query, quality_figures(session, query, now=now,
                                                past_due_limit=past_due_limit),
                         rating_summary(session, query))


def rating_summary(session: Session, query: QualityQuery) -> RatingSummary:
    """How many ratings, their average (2 decimals), how many of each star, and the latest
    comments, newest first."""
    start, end = query.period.bounds()
    conditions = [items_condition(session, query), col(Rating.created_at) >= start,
                  col(Rating.created_at) < end]
    joined = select(Rating.stars, func.count()).join(
        Consignment, col(Consignment.id) == Rating.consignment_id).where(*conditions)
    by_stars = dict(session.exec(joined.group_by(Rating.stars)).all())
    count = sum(by_stars.values())
    average = round(sum(s * n for s, n in by_stars.items()) / count, 2) if count else None
    comments = session.exec(
        select(Consignment.tracking_number, Rating.stars, Rating.comment, Rating.created_at)
        .join(Consignment, col(Consignment.id) == Rating.consignment_id)
        .where(*conditions, col(Rating.comment).is_not(None), Rating.comment != "")
        .order_by(col(Rating.created_at).desc(), col(Rating.id).desc())
        .limit(RECENT_COMMENTS)).all()
    return RatingSummary(count, average, {s: by_stars.get(s, 0) for s in range(1, 6)},
                         [RatingComment(*row) for row in comments])
