"""Service quality figures for a period and a scope (delivery.quality_scope): what the supervisor's
dashboard shows and the JSON quality report answers. Definitions, one per figure: docs/quality.md.

Aggregate queries, whatever the number of items (none loops over rows):
- outcomes: the `delivered`, `delivery_failed` and `returned_to_agency` events that happened in the
  period, joined to their items, grouped by (event, reason, time-to-delivery bucket);
- volume: the scope's items created in the period;
- open items: money to collect and how many are past due;
- the past-due list: open items past their due date, oldest first, at most ``limit`` of them.
Outcomes and volume run once per part of the scope (delivery.access.visible_parts) and add up: the
OR of the scope's rules would make PostgreSQL read every item of every rule from the table, where
one rule alone reads an office's items from ix_consignment_office_created only (bench/README.md).
The citizens' ratings live with tracking (tracking.service_quality adds them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlmodel import Session, col, select

from .models import OUTCOME_EVENTS, Consignment, TrackingEvent, utcnow
from .quality_past_due import OPEN_STATUSES, PastDueItem, past_due_items
from .quality_scope import QualityQuery, items_condition, items_parts
from .status_model import NON_DELIVERY_REASONS

# statuses from which an item may still be delivered (and paid for at the door)
TO_COLLECT_STATUSES = tuple(s for s in OPEN_STATUSES if s != "returning")
HOUR = 3600
# time from intake to delivery: (key, upper bound in hours, exclusive; None: no bound)
DELIVERY_TIME_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("under_1_day", 24), ("1_2_days", 48), ("2_3_days", 72), ("3_5_days", 120),
    ("5_7_days", 168), ("over_7_days", None))


@dataclass(frozen=True)
class ReasonShare:
    """One bar of the failures' Pareto chart: a reason, its count, and the share of all failures
    counted by it and the reasons before it (0..1)."""

    reason: str
    count: int
    cumulative_share: float


@dataclass
class QualityFigures:
    volume: int = 0
    delivered: int = 0
    on_time: int = 0
    late: int = 0
    without_due_date: int = 0
    returned: int = 0
    delivered_first_attempt: int = 0
    failed_attempts_of_delivered: int = 0
    failed_attempts: int = 0
    failures_by_reason: list[ReasonShare] = field(default_factory=list)
    delivery_times: dict[str, int] = field(default_factory=dict)
    past_due_count: int = 0
    past_due: list[PastDueItem] = field(default_factory=list)
    collected_vnd: int = 0
    to_collect_vnd: int = 0

    @property
    def first_attempt_success_rate(self) -> float | None:
        """Share of the items finished in the period (delivered or returned) that were delivered
        with no failed attempt; None when none finished."""
        finished = self.delivered + self.returned
        return round(self.delivered_first_attempt / finished, 4) if finished else None

    @property
    def attempts_per_delivery(self) -> float | None:
        """Attempts (failed ones plus the successful one) per item delivered in the period."""
        if not self.delivered:
            return None
        return round((self.delivered + self.failed_attempts_of_delivered) / self.delivered, 4)


def quality_figures(session: Session, query: QualityQuery, *, now: datetime | None = None,
                    past_due_limit: int = 100) -> QualityFigures:
    """Every figure of ``query`` (read only). ``now`` decides what is past due (default: now)."""
    now = now or utcnow()
    figures = QualityFigures(delivery_times={key: 0 for key, _ in DELIVERY_TIME_BUCKETS})
    _add_outcomes(session, query, figures)
    _add_items(session, query, figures, now)
    figures.past_due = past_due_items(session, items_condition(session, query), now,
                                      past_due_limit)
    return figures


def _seconds_between(session: Session, earlier: Any, later: Any) -> ColumnElement[float]:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400


def _bucket(seconds: ColumnElement[float]) -> ColumnElement[str]:
    whens = [(seconds < hours * HOUR, key) for key, hours in DELIVERY_TIME_BUCKETS if hours]
    return case(*whens, else_=DELIVERY_TIME_BUCKETS[-1][0])


def _event_rows(session: Session, query: QualityQuery, items: ColumnElement[bool]) -> Any:
    """One row per outcome event in the period of the ``items``, with what the figures read of it
    and its item."""
    start, end = query.period.bounds()
    event, item = TrackingEvent, Consignment
    delivered = event.event == "delivered"
    due = col(item.due_at)
    conditions = [col(event.event).in_(OUTCOME_EVENTS), col(event.occurred_at) >= start,
                  col(event.occurred_at) < end, items]
    if query.narrowing.courier_id is not None:  # what the courier recorded
        conditions.append(event.actor == f"user:{query.narrowing.courier_id}")
    seconds = _seconds_between(session, item.created_at, event.occurred_at)
    return (select(
        event.event.label("event"), event.reason.label("reason"),
        case((delivered, _bucket(seconds)), else_=None).label("bucket"),
        case((and_(delivered, due.is_not(None), event.occurred_at <= due), 1), else_=0)
        .label("on_time"),
        case((and_(delivered, due.is_not(None), event.occurred_at > due), 1), else_=0)
        .label("late"),
        case((and_(delivered, item.attempts == 0), 1), else_=0).label("first_attempt"),
        case((delivered, item.attempts), else_=0).label("failed_before"),
        case((and_(delivered, item.payer == "recipient"), func.coalesce(item.amount_vnd, 0)),
             else_=0).label("collected"))
        .join(item, col(item.id) == event.consignment_id)
        .where(*conditions).subquery())


def _grouped_outcomes(session: Session, query: QualityQuery) -> list[Any]:
    """The outcome events grouped by (event, reason, bucket), one query per part of the scope
    (quality_scope.items_parts: the groups of the parts add up)."""
    grouped = []
    for items in items_parts(session, query, courier=False):
        rows = _event_rows(session, query, items)
        grouped += session.exec(
            select(rows.c.event, rows.c.reason, rows.c.bucket, func.count(),
                   func.sum(rows.c.on_time), func.sum(rows.c.late),
                   func.sum(rows.c.first_attempt), func.sum(rows.c.failed_before),
                   func.sum(rows.c.collected))
            .group_by(rows.c.event, rows.c.reason, rows.c.bucket)).all()
    return grouped


def _add_outcomes(session: Session, query: QualityQuery, figures: QualityFigures) -> None:
    failures: dict[str, int] = {}
    for event, reason, bucket, count, on_time, late, first, before, collected in \
            _grouped_outcomes(session, query):
        if event == "delivery_failed":
            key = reason if reason in NON_DELIVERY_REASONS else "other"
            failures[key] = failures.get(key, 0) + count
        elif event == "returned_to_agency":
            figures.returned += count
        else:
            figures.delivered += count
            figures.on_time += int(on_time or 0)
            figures.late += int(late or 0)
            figures.delivered_first_attempt += int(first or 0)
            figures.failed_attempts_of_delivered += int(before or 0)
            figures.collected_vnd += int(collected or 0)
            figures.delivery_times[bucket] += count
    figures.without_due_date = figures.delivered - figures.on_time - figures.late
    figures.failed_attempts = sum(failures.values())
    figures.failures_by_reason = pareto(failures)


def pareto(counts: dict[str, int]) -> list[ReasonShare]:
    """``counts`` largest first (ties by name), each with the cumulative share up to it."""
    total, running, shares = sum(counts.values()), 0, []
    for reason, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        running += count
        shares.append(ReasonShare(reason, count, round(running / total, 4)))
    return shares


def _add_items(session: Session, query: QualityQuery, figures: QualityFigures,
               now: datetime) -> None:
    """Volume (items created in the period), then what is open now: two queries, so that each
    reads its own index (office and creation time; office and status)."""
    start, end = query.period.bounds()
    item, items = Consignment, items_condition(session, query)
    figures.volume = sum(session.exec(select(func.count()).select_from(item).where(
        part, col(item.created_at) >= start, col(item.created_at) < end)).one()
        for part in items_parts(session, query))
    to_collect = and_(col(item.status).in_(TO_COLLECT_STATUSES), item.payer == "recipient")
    owed, past_due = session.exec(
        select(func.sum(case((to_collect, func.coalesce(item.amount_vnd, 0)), else_=0)),
               func.sum(case((col(item.due_at) < now, 1), else_=0)))
        .where(items, col(item.status).in_(OPEN_STATUSES))).one()
    figures.to_collect_vnd, figures.past_due_count = int(owed or 0), int(past_due or 0)
