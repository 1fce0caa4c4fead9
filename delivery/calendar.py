"""The working calendar: which days count when a due date is counted in working days.

A day is a working day, for an agency, by the first of these that says anything about it:
1. the agency's own entry in ``calendar_day`` (a day off of its own, a make-up working Saturday);
2. a nationwide entry in ``calendar_day`` (``agency_id`` empty): an admin's record of a decision
   announced after this code shipped;
3. ``OFFICIAL_DECISIONS`` below: days where the Government's decision differs from what the
   ``holidays`` package computes, shipped as data and documented in docs/calendar.md;
4. Vietnam's public holidays as the ``holidays`` package computes them (Labour Code 2019 art. 112:
   New Year, Tết, Hùng Kings, 30/4, 1/5, 2/9 and the day next to it, with days off in lieu);
5. otherwise Monday to Friday work, Saturday and Sunday do not.

Entries are data managed by admins (CLI ``calendar-day``, the agency's admin page); nothing here
commits. Changing the calendar moves no stored due date (delivery.due_dates.recompute_due_dates
does that, with an event on each item it moves).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, or_, select

from .errors import ValidationFailed
from .models import Agency

MAX_NOTE = 200
# A due date further than this many working days away is a mistake in the settings, not a plan.
MAX_WORKING_DAYS = 366


class CalendarDay(SQLModel, table=True):
    """One day that differs from the rules: off (``working`` false) or worked (a make-up
    Saturday), for one agency or, with ``agency_id`` empty, for every agency."""

    __tablename__ = "calendar_day"
    # nationwide rows have agency_id NULL, which a unique constraint does not compare: the one row
    # per nationwide day is kept by save_calendar_day, the only writer
    __table_args__ = (UniqueConstraint("agency_id", "day", name="uq_calendar_day_agency_day"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    day: date = Field(index=True)
    working: bool
    note: str = Field(default="", max_length=MAX_NOTE)


# Where the Government's decision for a year differs from the package's days (or adds a make-up
# working Saturday, which the package does not list): day -> (working, why). docs/calendar.md
# lists the decisions checked.
OFFICIAL_DECISIONS: Mapping[date, tuple[bool, str]] = {
    date(2025, 4, 26): (True, "Làm bù cho ngày nghỉ 2/5/2025 / make-up day for 2 May 2025"),
    date(2026, 8, 22): (True, "Làm bù cho ngày nghỉ 31/8/2026 / make-up day for 31 Aug 2026"),
}


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Vietnam's public holidays of ``year`` (days off in lieu included), from the ``holidays``
    package; cached: the package computes the lunar dates each time it is asked."""
    return frozenset(holidays.country_holidays("VN", years=year))


def base_working_day(day: date) -> bool:
    """Rules 3 to 5 of the module's docstring: the nationwide calendar without admins' entries."""
    if day in OFFICIAL_DECISIONS:
        return OFFICIAL_DECISIONS[day][0]
    return day.weekday() < 5 and day not in public_holidays(day.year)


@dataclass(frozen=True)
class WorkingCalendar:
    """An agency's calendar: admins' entries (the agency's over nationwide ones) over the
    nationwide rules. Plain data: build it once (``working_calendar``) and ask it many days."""

    entries: Mapping[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.entries:
            return self.entries[day]
        return base_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts; 0 gives
        ``start``). Raises ValueError for more than MAX_WORKING_DAYS or a negative count."""
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise ValueError(f"working days must be 0..{MAX_WORKING_DAYS}, not {days}")
        current = start
        while days > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current


def working_calendar(session: Session, agency_id: int | None) -> WorkingCalendar:
    """The calendar of the agency ``agency_id`` (None: the nationwide one), one query."""
    rows = session.exec(select(CalendarDay).where(
        or_(col(CalendarDay.agency_id).is_(None), CalendarDay.agency_id == agency_id)
        if agency_id is not None else col(CalendarDay.agency_id).is_(None))).all()
    # the agency's own entry wins over a nationwide one of the same day
    ordered = sorted(rows, key=lambda row: row.agency_id is not None)
    return WorkingCalendar({row.day: row.working for row in ordered})


def is_working_day(session: Session, day: date, agency: Agency | None) -> bool:
    """Whether ``agency`` (None: every agency) works on ``day``."""
    return working_calendar(session, agency.id if agency else None).is_working_day(day)


def add_working_days(session: Session, start: date, days: int, agency: Agency | None) -> date:
    """The ``days``-th working day of ``agency`` after ``start`` (see WorkingCalendar)."""
    return working_calendar(session, agency.id if agency else None).add_working_days(start, days)


# --- what admins change -----------------------------------------------------------------------

def save_calendar_day(session: Session, agency: Agency | None, day: date, working: bool,
                      note: str = "") -> tuple[CalendarDay, bool]:
    """Record that ``agency`` (None: every agency) works or not on ``day``; the same entry again
    changes nothing. Returns (entry, changed). Raises ValidationFailed (``note`` too long). Stored
    due dates stay as they are (see the module's docstring)."""
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": f"ghi chú tối đa {MAX_NOTE} ký tự / "
                                        f"a note of at most {MAX_NOTE} characters"})
    entry = find_calendar_day(session, agency, day)
    if entry is None:
        entry = CalendarDay(agency_id=agency.id if agency else None, day=day, working=working,
                            note=note)
        session.add(entry)
        session.flush()
        return entry, True
    changed = (entry.working, entry.note) != (working, note)
    entry.working, entry.note = working, note
    session.flush()
    return entry, changed


def remove_calendar_day(session: Session, agency: Agency | None, day: date) -> bool:
    """Forget ``agency``'s (None: the nationwide) entry for ``day``; False when there was none."""
    entry = find_calendar_day(session, agency, day)
    if entry is None:
        return False
    session.delete(entry)
    session.flush()
    return True


def find_calendar_day(session: Session, agency: Agency | None, day: date) -> CalendarDay | None:
    owner = (CalendarDay.agency_id == agency.id) if agency else col(CalendarDay.agency_id).is_(None)
    return session.exec(select(CalendarDay).where(owner, CalendarDay.day == day)).first()


def calendar_days(session: Session, agency: Agency | None, *, since: date | None = None
                  ) -> list[CalendarDay]:
    """The entries of ``agency`` (None: the nationwide ones), by day, from ``since`` on."""
    owner = (CalendarDay.agency_id == agency.id) if agency else col(CalendarDay.agency_id).is_(None)
    query = select(CalendarDay).where(owner)
    if since is not None:
        query = query.where(CalendarDay.day >= since)
    return list(session.exec(query.order_by(col(CalendarDay.day))).all())


def parse_day(value: str, field_name: str = "day") -> date:
    """A date typed as YYYY-MM-DD (ASCII digits, nothing else); raises ValidationFailed naming
    ``field_name``."""
    value = (value or "").strip()
    try:
        if len(value) != 10 or not value.isascii() or value[4] != "-" or value[7] != "-":
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({field_name: "ngày dạng YYYY-MM-DD, ví dụ 2026-02-16 / a date "
                                            "as YYYY-MM-DD, e.g. 2026-02-16"}) from None
