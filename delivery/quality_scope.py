"""What a quality report is asked about: a period of Vietnamese days and a scope (the caller's, from
delivery.access, narrowed to an agency, a delivery office, a province, a ward or a courier).

Parsing refuses, per field (ValidationFailed): a missing or malformed date, ``to`` before ``from``,
a period over 13 months, and a narrowing value that is unknown *or outside the caller's scope* (both
get the same message, so a report never tells that an office exists somewhere else). Definitions of
the figures: docs/quality.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import Session, col, select

from .access import Scope, visible, visible_parts
from .errors import ValidationFailed
from .models import Agency, Consignment, PostOffice, Province, User, Ward
from .organisation import Beat, BeatWard
from .vietnam_day import day_bounds, day_start

MAX_MONTHS = 13
# Days a report may name: nothing before the service existed, nothing a datetime cannot carry.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    """Days ``first`` to ``last`` inclusive, in Vietnam time (UTC+7)."""

    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: 00:00 of ``first`` to 00:00 after ``last``, Vietnam."""
        return day_start(self.first), day_bounds(self.last)[1]


@dataclass(frozen=True)
class Narrowing:
    """Ids the report is narrowed to (None: not narrowed by that)."""

    agency_id: int | None = None
    office_id: int | None = None
    province_code: int | None = None
    ward_code: int | None = None
    courier_id: int | None = None


@dataclass(frozen=True)
class QualityQuery:
    period: Period
    scope: Scope
    narrowing: Narrowing = Narrowing()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


DAY_FORMAT = "ngày dạng YYYY-MM-DD / a date as YYYY-MM-DD"
DAY_RANGE = (f"ngày từ {FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y} / "
             f"a day from {FIRST_DAY} to {LAST_DAY}")


def _day(text: Any, field: str, errors: dict[str, str]) -> date | None:
    """``text`` as a date (exactly YYYY-MM-DD), or None with the field's error noted."""
    if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None and FIRST_DAY <= day <= LAST_DAY:
            return day
        if day is not None:
            errors[field] = DAY_RANGE
            return None
    errors[field] = DAY_FORMAT
    return None


def parse_period(first: Any, last: Any) -> Period:
    """The period from ``from`` and ``to`` texts (YYYY-MM-DD); raises ValidationFailed."""
    errors: dict[str, str] = {}
    start, end = _day(first, "from", errors), _day(last, "to", errors)
    if start and end and end < start:
        errors["to"] = "ngày cuối trước ngày đầu / the last day is before the first"
    elif start and end and end >= add_months(start, MAX_MONTHS):
        errors["to"] = (f"tối đa {MAX_MONTHS} tháng / a period of at most {MAX_MONTHS} months")
    if errors:
        raise ValidationFailed(errors)
    assert start is not None and end is not None
    return Period(start, end)


UNKNOWN = {
    "agency": "không có cơ quan này trong phạm vi của bạn / no such agency within your scope",
    "office": "không có bưu cục này trong phạm vi của bạn / no such office within your scope",
    "province": "không có tỉnh/thành này trong phạm vi của bạn / "
                "no such province within your scope",
    "ward": "không có phường/xã này trong phạm vi của bạn / no such ward within your scope",
    "courier": "không có bưu tá này trong phạm vi của bạn / no such courier within your scope",
}


def _seen(session: Session, scope: Scope, condition: ColumnElement[bool]) -> bool:
    """Whether the scope sees at least one item meeting ``condition`` (one index probe)."""
    return bool(session.exec(select(exists().where(visible(scope), condition))).one())


def _code_int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _agency(session: Session, scope: Scope, code: str) -> int | None:
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None or not (scope.everything or agency.id in scope.agency_ids
                              or _seen(session, scope, col(Consignment.agency_id) == agency.id)):
        return None
    return agency.id


def _office(session: Session, scope: Scope, code: str) -> int | None:
    office = session.exec(select(PostOffice).where(PostOffice.code == code)).first()
    if office is None:
        return None
    own = office.id in scope.office_ids | scope.province_office_ids
    if scope.everything or own or _seen(session, scope,
                                        col(Consignment.destination_office_id) == office.id):
        return office.id
    return None


def _province(session: Session, scope: Scope, code: str) -> int | None:
    number = _code_int(code)
    if number is None or session.get(Province, number) is None:
        return None
    if scope.everything or number in scope.province_codes or _seen(
            session, scope, col(Consignment.province_code) == number):
        return number
    return None


def _ward(session: Session, scope: Scope, code: str) -> int | None:
    number = _code_int(code)
    if number is None or session.get(Ward, number) is None:
        return None
    if scope.everything or _seen(session, scope, col(Consignment.ward_code) == number):
        return number
    return None


def _courier(session: Session, scope: Scope, username: str) -> int | None:
    user = session.exec(select(User).where(User.username == username,
                                           User.role == "courier")).first()
    if user is None:
        return None
    offices = scope.office_ids | scope.province_office_ids
    if scope.everything or user.office_id in offices or (
            user.office_id is not None and _seen(
                session, scope, col(Consignment.destination_office_id) == user.office_id)):
        return user.id
    return None


# what the dashboard's form calls each field (a message names it so, never by its key)
FIELD_NAMES = {"from": "Từ ngày / From", "to": "Đến ngày / To", "agency": "Cơ quan / Agency",
               "office": "Bưu cục phát / Delivery office", "province": "Tỉnh/thành / Province",
               "ward": "Phường/xã / Ward", "courier": "Bưu tá / Courier"}
FINDERS = {"agency": _agency, "office": _office, "province": _province, "ward": _ward,
           "courier": _courier}
FIELD_OF = {"agency": "agency_id", "office": "office_id", "province": "province_code",
            "ward": "ward_code", "courier": "courier_id"}


def narrowing_of(session: Session, scope: Scope, asked: dict[str, str | None]) -> Narrowing:
    """The narrowing asked for (``asked``: agency/office codes, province/ward GSO codes, courier
    username; empty or None: not narrowed). Raises ValidationFailed naming each value unknown or
    outside ``scope`` with one message for both."""
    found, errors = {}, {}
    for field, finder in FINDERS.items():
        text = (asked.get(field) or "").strip()
        if not text:
            continue
        value = finder(session, scope, text)
        if value is None:
            errors[field] = UNKNOWN[field]
        found[FIELD_OF[field]] = value
    if errors:
        raise ValidationFailed(errors)
    return Narrowing(**found)


def items_condition(session: Session, query: QualityQuery, *, courier: bool = True
                    ) -> ColumnElement[bool]:
    """The items a report counts, as a WHERE condition on Consignment: the caller's scope, always,
    and the narrowing. For a courier (unless ``courier`` is False: events are narrowed by who
    recorded them instead): the items put on their round, and those in their beat's wards at their
    office that no one else was given (as the courier's round reads them)."""
    return and_(visible(query.scope), *_narrowed(session, query, courier))


def items_parts(session: Session, query: QualityQuery, *, courier: bool = True
                ) -> list[ColumnElement[bool]]:
    """``items_condition`` as disjoint parts, one per rule of the scope (delivery.access
    ``visible_parts``): counting each part on its own and adding up gives the same figures, each
    read from its rule's own index."""
    narrowed = _narrowed(session, query, courier)
    return [and_(part, *narrowed) for part in visible_parts(query.scope)]


def _narrowed(session: Session, query: QualityQuery, courier: bool) -> list[ColumnElement[bool]]:
    narrowing, conditions = query.narrowing, []
    for column, value in ((Consignment.agency_id, narrowing.agency_id),
                          (Consignment.destination_office_id, narrowing.office_id),
                          (Consignment.province_code, narrowing.province_code),
                          (Consignment.ward_code, narrowing.ward_code)):
        if value is not None:
            conditions.append(col(column) == value)
    if courier and narrowing.courier_id is not None:
        conditions.append(_courier_items(session, narrowing.courier_id))
    return conditions


def _courier_items(session: Session, courier_id: int) -> ColumnElement[bool]:
    courier = session.get(User, courier_id)
    beat = (select(BeatWard.ward_code).join(Beat, col(Beat.id) == BeatWard.beat_id)
            .where(Beat.courier_id == courier_id))
    in_beat = and_(col(Consignment.courier_id).is_(None),
                   col(Consignment.destination_office_id) == (courier.office_id if courier else -1),
                   col(Consignment.ward_code).in_(beat))
    return or_(col(Consignment.courier_id) == courier_id, in_beat)


def quality_query(session: Session, scope: Scope, asked: dict[str, str | None]) -> QualityQuery:
    """The query ``asked`` for (``from``, ``to`` and the narrowing fields of ``narrowing_of``)
    within ``scope``; raises ValidationFailed with every field's error at once."""
    errors: dict[str, str] = {}
    period = narrowing = None
    try:
        period = parse_period(asked.get("from"), asked.get("to"))
    except ValidationFailed as error:
        errors |= error.errors
    try:
        narrowing = narrowing_of(session, scope, asked)
    except ValidationFailed as error:
        errors |= error.errors
    if errors or period is None or narrowing is None:
        raise ValidationFailed(errors, detail="; ".join(f"{FIELD_NAMES[field]}: {message}"
                                                        for field, message in errors.items()))
    return QualityQuery(period, scope, narrowing)
