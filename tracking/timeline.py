"""The citizen's view of a consignment: status, timeline, destination and a masked name,
nothing more.

Phone, street, national id and full name never leave through this module (a privacy test checks it);
nor does the text of the citizen's own instructions (the link may be forwarded).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Executable, bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from delivery.address import ward_and_province_of
from delivery.calendar import WorkingCalendar, working_calendar
from delivery.models import VIETNAM_TIME, Consignment, PostOffice, Province, TrackingEvent, utcnow
from delivery.recipient import mask_name
from delivery.status_model import FINAL_STATUSES, TO_AGENCY, TO_CITIZEN

from .route import route_of
from .wording import event_label, status_label

# The step bar: the normal path; other statuses sit on the step they belong to. A collection's
# path is its own (collected, on the way, at the agency's office, handed to the agency).
STEPS = ("accepted", "in_transit", "at_delivery_office", "out_for_delivery", "delivered")
STEP_OF = {"created": -1, "accepted": 0, "in_transit": 1, "at_delivery_office": 2,
           "held_for_pickup": 2, "out_for_delivery": 3, "attempt_failed": 3, "delivered": 4}
COLLECTION_STEPS = ("picked_up", "in_transit", "at_delivery_office", "handed_to_agency")
COLLECTION_STEP_OF = {"created": -1, "attempt_failed": 0, "picked_up": 0, "accepted": 0,
                      "in_transit": 1, "at_delivery_office": 2, "handed_to_agency": 3}
_STEPS = {TO_CITIZEN: (STEPS, STEP_OF), TO_AGENCY: (COLLECTION_STEPS, COLLECTION_STEP_OF)}
NO_ETA = FINAL_STATUSES | {"returning", "held_for_pickup"}
# Events that happen at the recipient's door: their place is the destination, not an office.
AT_THE_DOOR = frozenset({"delivered", "delivery_failed"})


def find_by_token(session: Session, token: str) -> Consignment | None:
    if not token or len(token) > 64:
        return None
    return session.exec(select(Consignment).where(Consignment.tracking_token == token)).first()


_STATE_COLUMNS = Consignment.__table__.c
_OTHER_LEG = Consignment.__table__.alias("other_leg").c
# The version of the item's other leg (tracking.legs): its page shows that leg too. One probe of
# the unique (agency, dossier code, direction) index.
# (max: at most one row anyway, and no bound LIMIT that the hot read's fixed parameters lack)
_LINKED_VERSION = (core_select(func.max(_OTHER_LEG.version))
                   .where(_OTHER_LEG.agency_id == _STATE_COLUMNS.agency_id,
                          _OTHER_LEG.dossier_code == _STATE_COLUMNS.dossier_code,
                          _OTHER_LEG.direction != _STATE_COLUMNS.direction)
                   .scalar_subquery())
# Core, not ORM: this runs on every public request,
# so no entity objects and a statement compiled once.
_STATE_QUERY = core_select(_STATE_COLUMNS.version, _STATE_COLUMNS.status,
                           _STATE_COLUMNS.updated_at, _LINKED_VERSION) \
    .where(_STATE_COLUMNS.tracking_token == bindparam("token"))


class TrackingState(NamedTuple):
    """What decides whether a rendered public document is still current
    (with the language and the date)."""

    version: int
    status: str
    updated_at: datetime
    linked_version: int | None = None  # the other leg's, when there is one


def tracking_state(read_first: Callable[[Executable, dict[str, Any]], tuple | None],
                   token: str) -> TrackingState | None:
    """The state of the consignment behind ``token``, or None: one indexed query on the unique
    token, run by ``read_first(statement, params) -> first row or None`` (the caller picks the
    cheapest connection)."""
    if not token or len(token) > 64:
        return None
    row = read_first(_STATE_QUERY, {"token": token})
    return TrackingState(*row) if row else None


def events_of(session: Session, consignment: Consignment) -> list[TrackingEvent]:
    return list(session.exec(
        select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)
        .order_by(TrackingEvent.occurred_at, TrackingEvent.id)
    ).all())


def _office_places(session: Session, events: list[TrackingEvent]) -> dict[int, str]:
    """Office id -> "office name, province" for the offices the events happened at."""
    ids = {e.office_id for e in events if e.office_id}
    if not ids:
        return {}
    offices = session.exec(select(PostOffice).where(PostOffice.id.in_(ids))).all()
    provinces = {p.code: p.name for p in session.exec(select(Province)).all()} if offices else {}
    return {o.id: ", ".join(x for x in (o.name, provinces.get(o.province_code)) if x)
            for o in offices}


def expected_date(consignment: Consignment, today: date, calendar: WorkingCalendar
                  ) -> date | None:
    """When the item should reach the citizen: today once out for delivery, else the date the
    citizen asked for, else the agency's service level (``due_at``) or, when that has passed on the
    way, the agency's next working day (``calendar``: delivery.calendar.working_calendar)."""
    if consignment.status in NO_ETA:
        return None
    if consignment.status == "out_for_delivery":
        return today
    if consignment.requested_date and consignment.requested_date > today:
        return consignment.requested_date
    due = consignment.due_at.astimezone(VIETNAM_TIME).date() if consignment.due_at else None
    if due is None or due > today:
        return due
    return calendar.add_working_days(today, 1)


def steps(status: str, lang: str, direction: str = TO_CITIZEN) -> list[dict[str, str]]:
    """The step bar of an item going ``direction``: each step ``done``, ``current`` (``problem``
    when the attempt there failed) or ``todo`` (all ``todo`` when off the normal path)."""
    keys, step_of = _STEPS[direction]
    at = step_of.get(status, -1)
    here = "problem" if status == "attempt_failed" else "current"  # not a step that went well
    return [{"key": key, "label": status_label(key, lang, direction),
             "state": ("done" if i < at or (i == at and status == keys[-1])
                       else here if i == at else "todo")}
            for i, key in enumerate(keys)]


def is_expired(consignment: Consignment | TrackingState, days_after_final: int,
               now: datetime | None = None) -> bool:
    """Past the configured time after the final status the public page shows only the status. Takes
    anything with ``status`` and ``updated_at`` (a consignment or a ``tracking_state`` row)."""
    return consignment.status in FINAL_STATUSES and \
        consignment.updated_at + timedelta(days=days_after_final) < (now or utcnow())


def public_view(session: Session, consignment: Consignment, lang: str = "vi", *,
                days_after_final: int | None = None) -> dict[str, Any]:
    """The public tracking document of CONTRACT.md ("Public tracking"), in ``lang`` (vi or en), with
    additions: ``steps``, ``route``, ``requests``, ``expired``. Once expired (``days_after_final``
    past a final status) only the number and status are filled in."""
    direction = consignment.direction
    base = {"tracking_number": consignment.tracking_number, "status": consignment.status,
            "status_label": status_label(consignment.status, lang, direction)}
    if days_after_final is not None and is_expired(consignment, days_after_final):
        return {**base, "recipient": "", "destination": {"ward": None, "province": None},
                "eta": None, "events": [], "steps": [], "route": [], "requests": {},
                "expired": True}
    events = events_of(session, consignment)
    ward, province = ward_and_province_of(session, consignment)
    door = ", ".join(x.name for x in (ward, province) if x)
    places = _office_places(session, events)
    # a collection's date is its booked window (shown by the page), not a delivery's
    eta = expected_date(consignment, utcnow().astimezone(VIETNAM_TIME).date(),
                        working_calendar(session, consignment.agency_id)) \
        if direction == TO_CITIZEN else None
    return {
        **base,
        "recipient": mask_name(consignment.recipient_name),
        "destination": {"ward": ward.name if ward else None,
                        "province": province.name if province else None},
        "eta": eta.isoformat() if eta else None,
        "events": [
            {"at": e.occurred_at.astimezone(VIETNAM_TIME).isoformat(), "event": e.event,
             "label": event_label(e.event, lang, direction),
             "place": places.get(e.office_id) or (door if e.event in AT_THE_DOOR else "")}
            for e in events
        ],
        "steps": steps(consignment.status, lang, direction),
        # a result's planned route (tracking.route); a collection's goes the other way, unplanned
        "route": [{"name": leg.name, "kind": leg.kind, "reached": leg.reached}
                  for leg in route_of(session, consignment)] if direction == TO_CITIZEN else [],
        "requests": {"date": (consignment.requested_date.isoformat()
                              if consignment.requested_date else None),
                     "pickup": consignment.pickup_requested,
                     "instructions": bool(consignment.delivery_instructions)},
        "expired": False,
    }
