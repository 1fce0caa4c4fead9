"""Items that will miss their due date, flagged before they are late: the rules, in one place, and
the set-based job that applies them.

An item is at risk when its status and the time left before its due date
(``Consignment.due_at``) match one of RULES. Days are calendar days in Vietnam time (UTC+7):
"today" is the Vietnamese date now, the "due day" the Vietnamese date of ``due_at``; a rule with
``days_left`` n matches once the due day is at most n days after today (and so also every day
after the due date has passed).

- ``not_at_delivery_office``: not yet at its delivery office (created, accepted, in transit or
  waiting at a hub) when the day before its due day has come: it needs a day at the office to go
  out.
- ``not_out_for_delivery``: at its delivery office but not out for delivery on its due day.
- ``failed_no_new_attempt``: a delivery attempt failed and no new attempt is out yet when the day
  before its due day has come.

Never at risk: items without a due date, items out for delivery (the courier has them), held for
pick-up at the citizen's request (they wait for the citizen), going back to the agency (the outcome
is decided) and items in a final status.

The flag is ``Consignment.at_risk_since`` (when the job first saw the risk) with its
``at_risk_reason``; an episode lasts from the run that sets it to the first run that finds no rule
matching, which clears both. A scan that takes an item out of risk (out for delivery, delivered)
clears the flag at the job's next run; meanwhile ``shown_at_risk`` (what pages use) already ignores
it. Note: "a day" is a calendar day, not a working day; when the working calendar
(delivery.calendar) is in, ``cutoff`` is where to count working days instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, or_, update
from sqlmodel import Session, col, select

from .access import Scope, visible
from .models import VIETNAM_TIME, Consignment, PostOffice, User


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
_items = Consignment.__table__


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


def cutoff(now: datetime, days_left: int) -> datetime:
    """The start of the Vietnamese day ``days_left + 1`` days after today: an item due before it
    has at most ``days_left`` days left."""
    today = now.astimezone(VIETNAM_TIME).date()
    return _day_start(today + timedelta(days=days_left + 1))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM_TIME)


def _matches(rule: Rule, now: datetime) -> ColumnElement[bool]:
    return and_(_items.c.status.in_(rule.statuses), _items.c.due_at < cutoff(now, rule.days_left))


def reason_now(now: datetime) -> ColumnElement[Any]:
    """The reason an item is at risk at ``now``, as SQL: the first rule that matches, else NULL
    (also for an item without a due date)."""
    return case(*((_matches(rule, now), rule.reason) for rule in RULES), else_=None)


def flag_at_risk(session: Session, now: datetime) -> FlagRun:
    """Apply RULES to every item at ``now``, set-based (three UPDATE ... WHERE statements, no
    loop over rows; no commit): clear the flag of items no longer at risk, bring the reason of
    those still at risk up to date (same episode), and flag the items newly at risk with
    ``at_risk_since = now``. Idempotent: a second run at the same time changes nothing. ORM copies
    of consignments held by ``session`` are not refreshed."""
    reason = reason_now(now)
    flagged_before = _items.c.at_risk_since.is_not(None)
    cleared = session.connection().execute(
        update(_items).where(flagged_before, reason.is_(None))
        .values(at_risk_since=None, at_risk_reason=None)).rowcount
    changed = session.connection().execute(
        update(_items).where(flagged_before, reason.is_not(None), _items.c.at_risk_reason != reason)
        .values(at_risk_reason=reason)).rowcount
    returned = session.connection().execute(
        update(_items)
        .where(_items.c.at_risk_since.is_(None), _items.c.status.in_(AT_RISK_STATUSES),
               or_(*(_matches(rule, now) for rule in RULES)))
        .values(at_risk_since=now, at_risk_reason=reason)
        .returning(*(_items.c[name] for name in FlaggedItem._fields))).all()
    return FlagRun([FlaggedItem(*row) for row in returned], changed, cleared)


def shown_at_risk() -> ColumnElement[bool]:
    """What pages show as at risk, as SQL: flagged, and still in a status a rule watches (a scan
    since the last run may have taken it out of risk; the next run clears the flag)."""
    return and_(col(Consignment.at_risk_since).is_not(None),
                col(Consignment.status).in_(AT_RISK_STATUSES))


def is_shown_at_risk(item: Consignment) -> bool:
    """``shown_at_risk`` for an item already read."""
    return item.at_risk_since is not None and item.status in AT_RISK_STATUSES


def at_risk_first(items: Sequence[Consignment]) -> list[Consignment]:
    """``items`` with those shown at risk first; the order holds within each group."""
    return sorted(items, key=lambda item: not is_shown_at_risk(item))


class AtRiskItem(NamedTuple):
    """An item on the supervisor's list, with who holds it: its delivery office and courier."""

    consignment: Consignment
    office_name: str | None
    courier: str | None


def at_risk_items(session: Session, scope: Scope, limit: int = 500) -> list[AtRiskItem]:
    """Items ``scope`` sees that are shown at risk, the soonest due first (at most ``limit``)."""
    rows = session.exec(
        select(Consignment, PostOffice.name, User.username)
        .outerjoin(PostOffice, col(PostOffice.id) == Consignment.destination_office_id)
        .outerjoin(User, col(User.id) == Consignment.courier_id)
        .where(shown_at_risk(), visible(scope))
        .order_by(col(Consignment.due_at), col(Consignment.id)).limit(limit)).all()
    return [AtRiskItem(*row) for row in rows]


def reason_label(reason: str | None, lang: str = "vi") -> str:
    """A reason as people read it (the code itself for one no rule knows)."""
    rule = REASONS.get(reason or "")
    if rule is None:
        return reason or ""
    return rule.label_en if lang == "en" else rule.label_vi
