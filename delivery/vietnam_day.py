"""Days as people in Vietnam count them: from 00:00 to 00:00 at UTC+7 (no daylight saving), so a
23:30 scan belongs to the day the staff worked it. Every "today", daily limit, daily report and
period of days starts its day here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .models import VIETNAM_TIME


def day_start(day: date) -> datetime:
    """00:00 of ``day`` in Vietnam, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=VIETNAM_TIME)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of ``day`` in Vietnam, as aware datetimes."""
    start = day_start(day)
    return start, start + timedelta(days=1)


def vietnam_date(moment: datetime) -> date:
    """The date in Vietnam at the aware ``moment``."""
    return moment.astimezone(VIETNAM_TIME).date()
