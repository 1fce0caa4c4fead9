"""Due dates: when a result must reach the citizen.

- The agency's appointment date (ngày hẹn trả kết quả), when intake sent one, is the due date.
- Otherwise: the day of intake (Vietnam time) plus the agency's transit days for the item's route,
  counted in the agency's working days (delivery.calendar). The route is
  ``same_office`` when the item's delivery office is the one that serves the agency's own ward
  (``Agency.ward_code``), else ``same_province`` when the item's province is the agency's
  (``Agency.province_code``), else ``other_province``; an agency without a ward (or province) on
  record never has the shorter route.
- ``due_at`` is the end of the due day in Vietnam (23:59:59+07:00): delivered that day is on time.

A due date, once stored, moves only by ``recompute_due_dates`` (an admin's explicit action), which
appends a ``due_date_changed`` event (status unchanged) and an audit row for each item it moves.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import update
from sqlmodel import Session, col, select

from .audit import Who, record_audit
from .calendar import WorkingCalendar, parse_day, working_calendar
from .errors import ValidationFailed
from .models import VIETNAM_TIME, Agency, Consignment, OfficeWard, TrackingEvent, Ward, utcnow
from .status_model import FINAL_STATUSES

DUE_DATE_CHANGED = "due_date_changed"
ROUTES = ("same_office", "same_province", "other_province")
# the agency's settings, by route, and the most days each may take
TRANSIT_SETTINGS = {"same_office": "transit_days_same_office",
                    "same_province": "transit_days_same_province",
                    "other_province": "transit_days_other_province"}
MAX_TRANSIT_DAYS = 30
# an item on its way back or done with has no due date to keep
NOT_DUE = FINAL_STATUSES | {"returning"}
_END_OF_DAY = time(23, 59, 59, tzinfo=VIETNAM_TIME)
# The appointment date may be any day from the dossier's receipt (the date in its code) to this
# many days after it: never checked against today, so a repeat of a request stays a repeat.
MAX_APPOINTMENT_DAYS = 366


def due_at_end_of(day: date) -> datetime:
    """The last second of ``day`` in Vietnam: what ``Consignment.due_at`` stores."""
    return datetime.combine(day, _END_OF_DAY)


def parse_appointment_date(value: object, received: date | None) -> date | None:
    """Intake's optional ``appointment_date`` (YYYY-MM-DD; None or "" for none): from the day the
    dossier was received (``received``, when its code was readable) to MAX_APPOINTMENT_DAYS after
    it. A date already past is accepted: the agency's promise stands, and the item is due at once.
    Raises ValidationFailed (``appointment_date``)."""
    if value is None or value == "":
        return None
    day = parse_day(value if isinstance(value, str) else "", "appointment_date")
    if received is not None and not 0 <= (day - received).days <= MAX_APPOINTMENT_DAYS:
        raise ValidationFailed({"appointment_date": (
            f"ngày hẹn trả phải từ ngày nhận hồ sơ ({received:%d/%m/%Y}) đến "
            f"{MAX_APPOINTMENT_DAYS} ngày sau / the appointment date must be from the day the "
            f"dossier was received ({received.isoformat()}) to {MAX_APPOINTMENT_DAYS} days after")})
    return day


@dataclass(frozen=True)
class AgencyRoutes:
    """What decides an item's route for one agency: its ward's delivery office and its
    province."""

    home_office_id: int | None
    province_code: int | None

    def route_of(self, destination_office_id: int | None, province_code: int) -> str:
        if self.home_office_id is not None and destination_office_id == self.home_office_id:
            return "same_office"
        if self.province_code is not None and province_code == self.province_code:
            return "same_province"
        return "other_province"


def agency_routes(session: Session, agency: Agency) -> AgencyRoutes:
    home = None
    if agency.ward_code is not None:
        home = session.exec(select(OfficeWard.office_id)
                            .where(OfficeWard.ward_code == agency.ward_code)).first()
    return AgencyRoutes(home, agency.province_code)


def computed_due_date(agency: Agency, routes: AgencyRoutes, calendar: WorkingCalendar,
                      consignment: Consignment) -> date:
    """The due day of ``consignment`` by the rules of the module's docstring, from what is stored
    on it now (appointment date, creation time, delivery office, province)."""
    if consignment.appointment_date is not None:
        return consignment.appointment_date
    route = routes.route_of(consignment.destination_office_id, consignment.province_code)
    start = consignment.created_at.astimezone(VIETNAM_TIME).date()
    return calendar.add_working_days(start, getattr(agency, TRANSIT_SETTINGS[route]))


def due_at_for(session: Session, agency: Agency, consignment: Consignment) -> datetime:
    """``due_at`` for a consignment being created (not yet stored)."""
    day = computed_due_date(agency, agency_routes(session, agency),
                            working_calendar(session, agency.id), consignment)
    return due_at_end_of(day)


@dataclass(frozen=True)
class MovedDueDate:
    tracking_number: str
    before: date | None
    after: date


def recompute_due_dates(session: Session, agency: Agency, who: Who) -> list[MovedDueDate]:
    """Recompute the due date of ``agency``'s open items (not delivered, returned, cancelled or
    returning) from today's calendar and settings; for each one that moves, update it, append a
    ``due_date_changed`` event (status unchanged; note ``old -> new``) and an audit row. An item
    changed meanwhile (its version) is left for the next run. Idempotent; no commit."""
    routes, calendar = agency_routes(session, agency), working_calendar(session, agency.id)
    moved: list[MovedDueDate] = []
    items = session.exec(select(Consignment).where(
        Consignment.agency_id == agency.id, col(Consignment.status).not_in(NOT_DUE))
        .order_by(col(Consignment.id))).all()
    for item in items:
        after = computed_due_date(agency, routes, calendar, item)
        before = item.due_at.astimezone(VIETNAM_TIME).date() if item.due_at else None
        if before != after and _move(session, item, after, who):
            moved.append(MovedDueDate(item.tracking_number, before, after))
    return moved


def _move(session: Session, item: Consignment, after: date, who: Who) -> bool:
    before = item.due_at.astimezone(VIETNAM_TIME).date().isoformat() if item.due_at else "-"
    changed = session.exec(
        update(Consignment).where(Consignment.id == item.id, Consignment.version == item.version)
        .values(due_at=due_at_end_of(after), version=Consignment.version + 1,
                updated_at=utcnow())).rowcount
    if changed != 1:
        return False
    event_id = f"due-{uuid.uuid4()}"
    session.add(TrackingEvent(
        client_event_id=event_id, consignment_id=item.id, event=DUE_DATE_CHANGED, upu_code="",
        status_before=item.status, status_after=item.status, occurred_at=utcnow(),
        actor=who.actor[:60], note=f"{before} -> {after.isoformat()}",
        fingerprint=hashlib.sha256(event_id.encode()).hexdigest(),
        client_address=who.client_address[:64] if who.client_address else None))
    record_audit(session, "consignment.due_date_changed", who, consignment_id=item.id,
                 detail={"from": before, "to": after.isoformat()})
    return True


# --- the agency's route settings ----------------------------------------------------------------

@dataclass(frozen=True)
class RouteSettings:
    """What an admin sets: transit days per route and the agency's ward (None: none on record)."""

    transit_days_same_office: int
    transit_days_same_province: int
    transit_days_other_province: int
    ward_code: int | None


def route_settings_of(agency: Agency) -> RouteSettings:
    return RouteSettings(agency.transit_days_same_office, agency.transit_days_same_province,
                         agency.transit_days_other_province, agency.ward_code)


def save_route_settings(session: Session, agency: Agency, settings: RouteSettings) -> bool:
    """Store ``settings`` on ``agency``; returns whether anything changed. Raises
    ValidationFailed: days outside 1..MAX_TRANSIT_DAYS, an unknown ward or one outside the agency's
    province. Stored due dates stay as they are."""
    errors = {name: f"từ 1 đến {MAX_TRANSIT_DAYS} ngày / 1 to {MAX_TRANSIT_DAYS} days"
              for name in TRANSIT_SETTINGS.values()
              if not 1 <= getattr(settings, name) <= MAX_TRANSIT_DAYS}
    if settings.ward_code is not None:
        ward = session.get(Ward, settings.ward_code)
        if ward is None:
            errors["ward_code"] = "không có phường xã mã này / no ward with this code"
        elif agency.province_code is not None and ward.province_code != agency.province_code:
            errors["ward_code"] = ("phường xã không thuộc tỉnh của cơ quan / the ward is not in "
                                   "the agency's province")
    if errors:
        raise ValidationFailed(errors)
    changed = route_settings_of(agency) != settings
    for name, value in settings.__dict__.items():
        setattr(agency, name, value)
    session.flush()
    return changed
