"""The window a citizen books for a collection, and the office hours it must fall in.

A window is a day and two times of that day, Vietnam time ("HH:MM"). It must end in the future
and lie within the opening hours of the office whose couriers collect (PostOffice.opening_hours,
written by admins as "7:30-17:00"; an office whose hours are not written that way is taken to keep
DEFAULT_HOURS, the post's usual day).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, NamedTuple

from .models import VIETNAM_TIME

DEFAULT_HOURS = (time(7, 30), time(17, 0))
# How far ahead a collection may be booked.
MAX_DAYS_AHEAD = 60
_CLOCK = re.compile(r"([01]?\d|2[0-3])[:hH]([0-5]\d)")
_HOURS = re.compile(rf"\s*{_CLOCK.pattern}\s*[-–]\s*{_CLOCK.pattern}")


class Window(NamedTuple):
    day: date
    start: time
    end: time

    def as_json(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "from": f"{self.start:%H:%M}",
                "to": f"{self.end:%H:%M}"}


def office_hours(written: str | None) -> tuple[time, time]:
    """The opening hours in ``written`` ("7:30-17:00", "07h30 - 17h00"), or DEFAULT_HOURS."""
    match = _HOURS.match(written or "")  # what follows ("thứ Hai - thứ Bảy") is for people
    if not match:
        return DEFAULT_HOURS
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    return (start, end) if start < end else DEFAULT_HOURS


def _clock(value: Any) -> time | None:
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def parse_window(value: Any, errors: dict[str, str]) -> Window | None:
    """``{"date": "YYYY-MM-DD", "from": "HH:MM", "to": "HH:MM"}`` as a Window; what is wrong goes
    into ``errors`` by field (``window``, ``window.date``, ``window.from``, ``window.to``)."""
    if not isinstance(value, dict):
        errors["window"] = ("bắt buộc, dạng {date, from, to} / "
                            "required object {date: YYYY-MM-DD, from: HH:MM, to: HH:MM}")
        return None
    try:
        day = date.fromisoformat(value.get("date")) if isinstance(value.get("date"), str) else None
    except ValueError:
        day = None
    start, end = _clock(value.get("from")), _clock(value.get("to"))
    if day is None:
        errors["window.date"] = "ngày dạng YYYY-MM-DD / a date as YYYY-MM-DD"
    if start is None:
        errors["window.from"] = "giờ dạng HH:MM / a time as HH:MM"
    if end is None:
        errors["window.to"] = "giờ dạng HH:MM / a time as HH:MM"
    elif start is not None and end <= start:
        errors["window.to"] = "giờ kết thúc phải sau giờ bắt đầu / must be after the start"
    if day is None or start is None or end is None or end <= start:
        return None
    return Window(day, start, end)


def check_window(window: Window, hours: tuple[time, time], now: datetime,
                 errors: dict[str, str]) -> None:
    """A window that has ended, is too far ahead, or is outside ``hours`` is an error (field
    ``window``)."""
    ends = datetime.combine(window.day, window.end, VIETNAM_TIME)
    today = now.astimezone(VIETNAM_TIME).date()
    opens, closes = hours
    if ends <= now:
        errors["window"] = "khung giờ đã qua / the window is in the past"
    elif (window.day - today).days > MAX_DAYS_AHEAD:
        errors["window"] = (f"chỉ đặt trước tối đa {MAX_DAYS_AHEAD} ngày / "
                            f"at most {MAX_DAYS_AHEAD} days ahead")
    elif window.start < opens or window.end > closes:
        errors["window"] = (f"ngoài giờ làm việc của bưu cục ({opens:%H:%M}-{closes:%H:%M}) / "
                            f"outside the office's hours ({opens:%H:%M}-{closes:%H:%M})")
