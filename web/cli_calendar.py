"""The working calendar's commands: ``calendar-day set|remove|list`` (an agency's or the nationwide
days off and make-up working days, delivery.calendar) and ``recompute-due-dates`` (the explicit
action that moves open items' due dates after the calendar or the settings changed,
delivery.due_dates). Each parses, makes one domain call, audits, commits and reports.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import NoReturn

import click
from flask.cli import with_appcontext
from sqlmodel import col, select

from delivery.audit import Who, record_audit
from delivery.calendar import (
    calendar_days,
    parse_day,
    public_holidays,
    remove_calendar_day,
    save_calendar_day,
)
from delivery.due_dates import recompute_due_dates
from delivery.errors import DomainError, ValidationFailed
from delivery.lookup import get_agency
from delivery.models import Agency

from .db import get_session

FIELDS = {"day": "Ngày / day", "note": "Ghi chú / note"}


def _cli() -> Who:
    return Who("cli", os.environ.get("USER", ""))


def _fail(error: DomainError) -> NoReturn:
    if isinstance(error, ValidationFailed):
        for field, message in error.errors.items():
            click.echo(f"Error: {FIELDS.get(field, field)}: {message}", err=True)
    else:
        click.echo(f"Error: {error.detail}", err=True)
    sys.exit(1)


def _agency(code: str | None) -> Agency | None:
    return get_agency(get_session(), code.strip().upper()) if code else None


def _whose(agency: Agency | None) -> str:
    return f"agency:{agency.code}" if agency else "nationwide"


@click.group("calendar-day")
def calendar_day_group() -> None:
    """An agency's (--agency CODE) or the nationwide days off and make-up working days."""


@calendar_day_group.command("set")
@with_appcontext
@click.argument("day")
@click.option("--agency", "agency_code", default=None, help="its code; without it: nationwide")
@click.option("--off/--working", "off", required=True,
              help="--off: a day off; --working: a make-up working day (e.g. a Saturday)")
@click.option("--note", default="", help='why, e.g. "Nghỉ bù Tết / Tết day off in lieu"')
def set_command(day: str, agency_code: str | None, off: bool, note: str) -> None:
    """Record DAY (YYYY-MM-DD). Stored due dates stay; run recompute-due-dates to move them."""
    session = get_session()
    try:
        agency, when = _agency(agency_code), parse_day(day)
        entry, changed = save_calendar_day(session, agency, when, not off, note)
    except DomainError as error:
        _fail(error)
    if changed:
        record_audit(session, "calendar_day.saved", _cli(), subject=_whose(agency),
                     detail={"day": when.isoformat(), "working": entry.working, "note": note})
        session.commit()
    kind = "working day" if entry.working else "day off"
    click.echo(f"{_whose(agency)} {when.isoformat()}: {kind}"
               f"{'' if changed else ' (unchanged)'}")


@calendar_day_group.command("remove")
@with_appcontext
@click.argument("day")
@click.option("--agency", "agency_code", default=None, help="its code; without it: nationwide")
def remove_command(day: str, agency_code: str | None) -> None:
    """Forget the entry for DAY: the day follows the rules again."""
    session = get_session()
    try:
        agency, when = _agency(agency_code), parse_day(day)
    except DomainError as error:
        _fail(error)
    if not remove_calendar_day(session, agency, when):
        click.echo(f"{_whose(agency)} {when.isoformat()}: no entry", err=True)
        sys.exit(1)
    record_audit(session, "calendar_day.removed", _cli(), subject=_whose(agency),
                 detail={"day": when.isoformat()})
    session.commit()
    click.echo(f"{_whose(agency)} {when.isoformat()}: removed")


@calendar_day_group.command("list")
@with_appcontext
@click.option("--agency", "agency_code", default=None, help="its code; without it: nationwide")
@click.option("--year", type=int, default=None, help="also print that year's public holidays")
def list_command(agency_code: str | None, year: int | None) -> None:
    """The entries, and with --year the public holidays the package gives for that year."""
    try:
        agency = _agency(agency_code)
    except DomainError as error:
        _fail(error)
    if year is not None:
        for day in sorted(public_holidays(year)):
            click.echo(f"{day.isoformat()}  holiday")
    since = date(year, 1, 1) if year else None
    for entry in calendar_days(get_session(), agency, since=since):
        kind = "working" if entry.working else "off"
        click.echo(f"{entry.day.isoformat()}  {kind:8} {_whose(agency)}  {entry.note}")


@click.command("recompute-due-dates")
@with_appcontext
@click.option("--agency", "agency_code", default=None, help="only this agency (its code)")
def recompute_command(agency_code: str | None) -> None:
    """Recompute open items' due dates from today's calendar and route settings; each item moved
    gets a due_date_changed event and an audit row."""
    session = get_session()
    try:
        agencies = ([get_agency(session, agency_code.strip().upper())] if agency_code
                    else list(session.exec(select(Agency).order_by(col(Agency.code)))))
    except DomainError as error:
        _fail(error)
    for agency in agencies:
        moved = recompute_due_dates(session, agency, _cli())
        session.commit()
        for item in moved:
            click.echo(f"{item.tracking_number}: {item.before} -> {item.after}")
        click.echo(f"{agency.code}: {len(moved)} due date(s) moved")


COMMANDS = (calendar_day_group, recompute_command)
