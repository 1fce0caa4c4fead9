"""Chain of custody: every hand-over of an item, who gave it, who took it, where and when, read
from its tracking events and the manifests it travelled on, with the hand-overs that were not
scanned flagged.

Each scan that moves the item to someone else is a hand-over (``HANDOVER_EVENTS``). Most are
scanned by whoever takes it (the staff member at the event's office), the giver being whoever held
it before (first the citizen for a collection, the agency for a result); those scanned by whoever
gives it (``GIVEN_BY_SCANNER``) name the scanning staff member as giver and, as taker, the agency
(its officer as signed on the manifest), the recipient, or the road to the office a transfer's
manifest names.

Flags, the rules of a missing hand-over scan:
- ``no_arrival``: the item was scanned at an office other than the last one that scanned it, and
  not with an arrival (arrived_hub, arrived_delivery_office): it got there unrecorded, e.g.
  handed to the agency at its counter office after a transfer that was never received there;
- ``no_departure`` (a collected dossier): an arrival at an office with no departure (departed_hub)
  scanned at the office that held it before;
- ``not_on_manifest_scan``: the item is on a manifest that was dispatched or handed over but no
  scan of that manifest recorded it (it was skipped, e.g. it had left meanwhile);
- ``overdue``: a collected dossier not yet handed to the agency more than
  ``HANDOVER_WORKING_DAYS`` working days (the agency's calendar) after it was collected.
Scans without an office (a system's, through the API) are not compared: nobody knows where they
were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from .accounts import actor_names
from .calendar import working_calendar
from .manifest_models import Manifest, ManifestItem
from .models import VIETNAM_TIME, Agency, Consignment, PostOffice
from .models import TrackingEvent as Event
from .status_model import TO_AGENCY

HANDOVER_EVENTS = frozenset({
    "picked_up", "accepted", "departed_hub", "arrived_hub", "arrived_delivery_office",
    "out_for_delivery", "held_for_pickup", "delivered", "handed_to_agency", "returned_to_agency"})
ARRIVALS = frozenset({"arrived_hub", "arrived_delivery_office"})
# scans recorded by whoever hands the item on (the others by whoever takes it)
GIVEN_BY_SCANNER = frozenset({"departed_hub", "handed_to_agency", "delivered",
                              "returned_to_agency"})
HANDOVER_WORKING_DAYS = 2  # from the pick-up to the agency, the longest a transfer should take
STILL_WITH_THE_POST = frozenset({"picked_up", "accepted", "in_transit", "at_delivery_office"})


@dataclass(frozen=True)
class Handover:
    event: str
    at: datetime
    giver: str
    taker: str
    place: str
    manifest: str | None = None


@dataclass
class Custody:
    handovers: list[Handover] = field(default_factory=list)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (rule, what is missing)


def custody_of(session: Session, item: Consignment, today: date) -> Custody:
    """The item's hand-overs in order and the missing scans flagged (the module's rules)."""
    events = [e for e in session.exec(select(Event).where(Event.consignment_id == item.id)
                                      .order_by(Event.occurred_at, Event.id)).all()
              if e.event in HANDOVER_EVENTS]
    manifests = list(session.exec(select(Manifest).join(
        ManifestItem, ManifestItem.manifest_id == Manifest.id).where(
        ManifestItem.consignment_id == item.id).order_by(Manifest.id)).all())
    offices = {o.id: o for o in session.exec(select(PostOffice).where(col(PostOffice.id).in_(
        {e.office_id for e in events} | {m.office_id for m in manifests}
        | {m.to_office_id for m in manifests})))}
    names = actor_names(session, [e.actor for e in events])
    agency = session.get(Agency, item.agency_id)
    custody = Custody(_handovers(item, events, manifests, offices, names, agency.name))
    custody.flags = _flags(session, item, events, manifests, offices, today)
    return custody


def _place(offices: dict[int, PostOffice], office_id: int | None) -> str:
    office = offices.get(office_id) if office_id else None
    return f"{office.code} {office.name}" if office else "—"


def _manifest_of(event: Event, manifests: list[Manifest]) -> Manifest | None:
    return next((m for m in manifests if m.number in event.client_event_id), None)


def _handovers(item: Consignment, events: list[Event], manifests: list[Manifest],
               offices: dict[int, PostOffice], names: dict[str, str],
               agency: str) -> list[Handover]:
    holder = (f"Công dân / citizen {item.recipient_name}" if item.direction == TO_AGENCY
              else f"Cơ quan / agency {agency}")
    rows = []
    for event in events:
        manifest = _manifest_of(event, manifests)
        actor = names.get(event.actor, event.actor)
        giver = (f"{actor} @ {_place(offices, event.office_id)}" if event.event in GIVEN_BY_SCANNER
                 else holder)
        taker = _taker(event, manifest, offices, actor, agency, item)
        rows.append(Handover(event.event, event.occurred_at.astimezone(VIETNAM_TIME), giver,
                             taker, _place(offices, event.office_id),
                             manifest.number if manifest else None))
        holder = taker
    return rows


def _taker(event: Event, manifest: Manifest | None, offices: dict[int, PostOffice], actor: str,
           agency: str, item: Consignment) -> str:
    if event.event == "handed_to_agency":
        signed = manifest.agency_signatory if manifest else None
        officer = f" ({signed})" if signed else ""
        return f"Cơ quan / agency {agency}{officer}"
    if event.event == "departed_hub":
        to = _place(offices, manifest.to_office_id) if manifest and manifest.to_office_id else ""
        return f"Đang chuyển / on the way {to}".strip()
    if event.event == "delivered":
        return f"Người nhận / recipient {item.recipient_name}"
    if event.event == "returned_to_agency":
        return f"Cơ quan / agency {agency}"
    return f"{actor} @ {_place(offices, event.office_id)}"


def _flags(session: Session, item: Consignment, events: list[Event], manifests: list[Manifest],
           offices: dict[int, PostOffice], today: date) -> list[tuple[str, str]]:
    flags = []
    previous: Event | None = None
    for event in (e for e in events if e.office_id is not None):
        if previous is not None and previous.office_id != event.office_id:
            if event.event not in ARRIVALS:
                flags.append(("no_arrival", f"{_place(offices, event.office_id)}: {event.event}"
                                            " không có quét nhận đến / without an arrival scan"))
            elif previous.event != "departed_hub" and item.direction == TO_AGENCY:
                flags.append(("no_departure", f"{_place(offices, previous.office_id)}: không có"
                                              " quét gửi đi / no departure scan"))
        previous = event
    scanned = " ".join(e.client_event_id for e in events)
    flags += [("not_on_manifest_scan", f"{m.number}: hồ sơ không được quét khi nhận biên bản / "
                                       "the item was not scanned with the manifest")
              for m in manifests if m.state != "open" and m.number not in scanned]
    if _overdue(session, item, events, today):
        flags.append(("overdue", f"chưa bàn giao cho cơ quan sau {HANDOVER_WORKING_DAYS} ngày "
                                 f"làm việc / not with the agency {HANDOVER_WORKING_DAYS} working "
                                 "days after collection"))
    return flags


def _overdue(session: Session, item: Consignment, events: list[Event], today: date) -> bool:
    collected = next((e for e in events if e.event in ("picked_up", "accepted")), None)
    if item.direction != TO_AGENCY or item.status not in STILL_WITH_THE_POST or not collected:
        return False
    calendar = working_calendar(session, item.agency_id)
    due = calendar.add_working_days(collected.occurred_at.astimezone(VIETNAM_TIME).date(),
                                    HANDOVER_WORKING_DAYS)
    return today > due
