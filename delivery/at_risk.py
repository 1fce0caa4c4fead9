"""Items that will miss their due date, flagged before they are late: the rules, in one place, and
the set-based job that applies them.

An item is at risk when its status and the time left before its due date
(``Consignment.due_at``) match one of RULES. Days are working days of the nationwide calendar
(delivery.calendar) in Vietnam time (UTC+7): "today" is the Vietnamese date now, the "due day" the
Vietnamese date of ``due_at``; a rule with ``days_left`` n matches once the due day is at most the
n-th working day after today (and so also every day after the due date has passed): an item in
transit due on Monday is flagged on Friday, not on Sunday when nobody works.

- ``not_at_delivery_office``: not yet at its delivery office (created, accepted, in transit or
  waiting at a hub) when the day before its due day has come: it needs a day at the office to go
  out.
- ``not_out_for_delivery``: at its delivery office but not out for delivery on its due day.
- ``failed_no_new_attempt``: a delivery attempt failed and no new attempt is out yet when the day
  before its due day has come.

Never at risk: items without a due date, items out for delivery (the courier has them), held for
pick-up at the citizen's request (they wait for the citizen), going back to the agency (the outcome
is decided) and items in a final status.

The flag is a row of AtRiskFlag (table ``consignment_at_risk``) beside the item: when the job
first saw the risk (``since``) and the rule that holds now (``reason``). An episode lasts from the
run that writes the row to the first run that finds no rule holding, which deletes it. A scan that
takes an item out of risk (out for delivery, delivered) ends the episode at the job's next run;
meanwhile the pages (``flags_of``, ``at_risk_items``) already ignore the row. An agency's own
days off are not counted here (one cutoff per run for every item): a day off of one agency at most
flags its items a day early.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Insert, and_, case, delete, exists, literal, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col, select

from .access import Scope, visible
from .bulk import on_postgresql
from .calendar import WorkingCalendar, working_calendar
from .models import Consignment, PostOffice, User, UTCDateTime
from .vietnam_day import day_start, vietnam_date


@dataclass(frozen=True)
class Rule:
    """Items in one of ``statuses`` are at risk once their due day is at most ``days_left`` days
    after today (Vietnam time)."""

    reason: str
    statuses: tuple[str, ...]
    days_left: int
    label_vi: str
    label_en: str


RULES: tuple[Rule, ...] = (
    Rule("not_at_delivery_office", ("created", "accepted", "in_transit"), 1,
         "Chưa đến bưu cục phát khi chỉ còn một ngày", "Not at its delivery office a day before "
         "it is due"),
    Rule("not_out_for_delivery", ("at_delivery_office",), 0,
         "Chưa đi phát trong ngày hạn cuối", "Not out for delivery on its due day"),
    Rule("failed_no_new_attempt", ("attempt_failed",), 1,
         "Phát không thành công, chưa phát lại", "Delivery failed, no new attempt yet"),
)
REASONS = {rule.reason: rule for rule in RULES}
AT_RISK_STATUSES = tuple(status for rule in RULES for status in rule.statuses)


class AtRiskFlag(SQLModel, table=True):
    """An item the job found will miss its due date: one row per item while the risk lasts (one
    episode), deleted when no rule holds any more.

    Beside the consignment rather than in its row: flagging a day's items at midnight writes this
    narrow table only, never the consignment row with its dozen indexes, and never waits for (or
    holds up) a scan of the item; figures in bench/README.md ("At-risk job")."""

    __tablename__ = "consignment_at_risk"

    consignment_id: int = Field(foreign_key="consignment.id", primary_key=True,
                                sa_column_kwargs={"autoincrement": False})
    since: datetime = Field(sa_type=UTCDateTime, nullable=False)
    reason: str = Field(max_length=30)


_items = Consignment.__table__
_flags = AtRiskFlag.__table__


class FlaggedItem(NamedTuple):
    """An item that has just become at risk (a new episode): what its notification needs."""

    id: int
    agency_id: int
    tracking_number: str
    dossier_code: str
    status: str
    due_at: datetime
    at_risk_since: datetime
    at_risk_reason: str


class FlagRun(NamedTuple):
    """One run of the job: the items that became at risk, and how many flags it changed (a new
    reason) or cleared."""

    flagged: list[FlaggedItem]
    changed: int
    cleared: int


def cutoff(now: datetime, days_left: int, calendar: WorkingCalendar) -> datetime:
    """The start of the Vietnamese day after the ``days_left``-th working day from today: an item
    due before it has at most ``days_left`` working days left."""
    return day_start(calendar.add_working_days(vietnam_date(now), days_left) + timedelta(days=1))


def _matches(rule: Rule, now: datetime, calendar: WorkingCalendar) -> ColumnElement[bool]:
    return and_(_items.c.status.in_(rule.statuses),
                _items.c.due_at < cutoff(now, rule.days_left, calendar))


def at_risk_now(now: datetime, calendar: WorkingCalendar) -> ColumnElement[bool]:
    """Whether an item is at risk at ``now``, as SQL on consignment: some rule matches (never for an
    item without a due date, nor for one the citizen asked to have on a later day: it waits by
    their choice, delivery.requested_date). The status list up front lets the status index find
    candidates."""
    today = vietnam_date(now)
    return and_(_items.c.status.in_(AT_RISK_STATUSES),
                or_(_items.c.requested_date.is_(None), _items.c.requested_date <= today),
                or_(*(_matches(rule, now, calendar) for rule in RULES)))


def reason_now(now: datetime, calendar: WorkingCalendar) -> ColumnElement[Any]:
    """The reason an item is at risk at ``now``, as SQL: the first rule that matches, else NULL."""
    return case(*((_matches(rule, now, calendar), rule.reason) for rule in RULES), else_=None)


def flag_at_risk(session: Session, now: datetime) -> FlagRun:
    """Apply RULES to every item at ``now``, set-based (statements over whole sets, no loop over
    rows; no commit): end the episodes of items no longer at risk, bring the reason of those still
    at risk up to date, and flag the items newly at risk with ``since = now``. Idempotent: a second
    run at the same time changes nothing; a run racing another skips the items the other flagged.
    Returns the items this run flagged."""
    connection, flagged_item = session.connection(), _items.c.id == _flags.c.consignment_id
    calendar = working_calendar(session, None)
    cleared = connection.execute(
        delete(_flags).where(~exists().where(flagged_item, at_risk_now(now, calendar)))).rowcount
    reason = select(reason_now(now, calendar)).where(flagged_item).scalar_subquery()
    changed = connection.execute(
        update(_flags).where(_flags.c.reason != reason).values(reason=reason)).rowcount
    # Every item at risk is offered; those already flagged are skipped by the primary key (ON
    # CONFLICT DO NOTHING) rather than by NOT EXISTS: an anti-join against a table the statement
    # fills was planned as a loop over it when its statistics said empty (8 s instead of 0.5 s for
    # 25,000 flags on bench.at_risk_scale).
    new = (select(_items.c.id, literal(now, UTCDateTime()), reason_now(now, calendar))
           .where(at_risk_now(now, calendar)))
    inserted = set(connection.execute(
        _insert_flags(session).from_select(["consignment_id", "since", "reason"], new)
        .returning(_flags.c.consignment_id)).scalars())
    return FlagRun(_flagged_at(session, now, inserted), changed, cleared)


def _flagged_at(session: Session, now: datetime, ids: set[int]) -> list[FlaggedItem]:
    """What the notifications need of the items ``ids`` just flagged at ``now`` (read by their
    ``since``: a list of thousands of ids would not fit in one statement everywhere)."""
    if not ids:
        return []
    rows = session.connection().execute(
        select(*(_items.c[name] for name in FlaggedItem._fields[:6]), _flags.c.since,
               _flags.c.reason).join(_flags, _items.c.id == _flags.c.consignment_id)
        .where(_flags.c.since == now).order_by(_items.c.id)).all()
    return [FlaggedItem(*row) for row in rows if row[0] in ids]


def _insert_flags(session: Session) -> Insert:
    """INSERT into the flags that skips an item already flagged, by this episode or by a run racing
    this one (ON CONFLICT DO NOTHING, which PostgreSQL and SQLite both know)."""
    dialect = postgresql if on_postgresql(session) else sqlite
    return dialect.insert(_flags).on_conflict_do_nothing()


def flags_of(session: Session, items: Sequence[Consignment]) -> dict[int, AtRiskFlag]:
    """The flags of ``items`` that pages show, by consignment id: only while the item is in a status
    a rule watches (a scan since the last run may have taken it out of risk)."""
    watched = [item.id for item in items if item.status in AT_RISK_STATUSES]
    if not watched:
        return {}
    flags = session.exec(select(AtRiskFlag).where(col(AtRiskFlag.consignment_id).in_(watched)))
    return {flag.consignment_id: flag for flag in flags}


def at_risk_first(items: Sequence[Consignment], flags: dict[int, AtRiskFlag]
                  ) -> list[Consignment]:
    """``items`` with the flagged ones (``flags_of``) first; the order holds within each group."""
    return sorted(items, key=lambda item: item.id not in flags)


class AtRiskItem(NamedTuple):
    """An item on the supervisor's list, with its flag and who holds it: its delivery office and
    courier."""

    consignment: Consignment
    flag: AtRiskFlag
    office_name: str | None
    courier: str | None


def at_risk_items(session: Session, scope: Scope, limit: int = 500) -> list[AtRiskItem]:
    """Flagged items ``scope`` sees, still in a status a rule watches, the soonest due first (at
    most ``limit``)."""
    rows = session.exec(
        select(Consignment, AtRiskFlag, PostOffice.name, User.username)
        .join(AtRiskFlag, col(AtRiskFlag.consignment_id) == Consignment.id)
        .outerjoin(PostOffice, col(PostOffice.id) == Consignment.destination_office_id)
        .outerjoin(User, col(User.id) == Consignment.courier_id)
        .where(col(Consignment.status).in_(AT_RISK_STATUSES), visible(scope))
        .order_by(col(Consignment.due_at), col(Consignment.id)).limit(limit)).all()
    return [AtRiskItem(*row) for row in rows]


def reason_label(reason: str | None, lang: str = "vi") -> str:
    """A reason as people read it (the code itself for one no rule knows)."""
    rule = REASONS.get(reason or "")
    if rule is None:
        return reason or ""
    return rule.label_en if lang == "en" else rule.label_vi
