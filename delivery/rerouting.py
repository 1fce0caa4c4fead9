"""Re-routing and today's courier: what a supervisor changes about where an item goes and who
carries it, never its status.

A missent item (UPU: missent, sent to the wrong office) is re-routed by a supervisor who sees it:
the new delivery office and the reason are kept as a ``rerouted`` event on the timeline (status
unchanged), so the change is visible and audited like a scan. Moving an item to another courier's
round for the day is a plain assignment on the item (``courier_id``).
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import update
from sqlmodel import Session, select

from .errors import Conflict, TransitionNotAllowed, ValidationFailed
from .models import Consignment, PostOffice, TrackingEvent, User, utcnow
from .status_model import FINAL_STATUSES

REROUTED = "rerouted"
# where an item can be sent: an office that delivers, or a hub that sorts it on
DESTINATION_KINDS = ("delivery_office", "hub")
MIN_REASON, MAX_REASON = 3, 300
# an item on its way back or done with is no longer routed to a citizen
NOT_REROUTABLE = FINAL_STATUSES | {"returning"}


def reroute(session: Session, consignment: Consignment, office: PostOffice, *, reason: str,
            actor: str, client_address: str | None = None) -> TrackingEvent:
    """Send ``consignment`` to ``office`` from now on (no commit); returns the ``rerouted`` event.

    Raises ValidationFailed (``office``, ``reason``), TransitionNotAllowed once the item is
    delivered, returned, cancelled or returning, and Conflict when the item changed meanwhile
    (compare-and-set on its version)."""
    reason = " ".join((reason or "").split())
    errors = {}
    if office.kind not in DESTINATION_KINDS:
        errors["office"] = ("chọn bưu cục phát hoặc trung tâm khai thác / "
                            "choose a delivery office or hub")
    elif office.id == consignment.destination_office_id:
        errors["office"] = "bưu gửi đã đi bưu cục này / the item already goes to this office"
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        errors["reason"] = (f"lý do {MIN_REASON}-{MAX_REASON} ký tự / "
                            f"a reason of {MIN_REASON} to {MAX_REASON} characters")
    if errors:
        raise ValidationFailed(errors)
    status = consignment.status
    if status in NOT_REROUTABLE:
        raise TransitionNotAllowed(f"không chuyển tuyến bưu gửi '{status}' / "
                                   f"an item that is '{status}' cannot be re-routed",
                                   from_status=status, event=REROUTED)
    changed = session.exec(
        update(Consignment).where(Consignment.id == consignment.id,
                                  Consignment.version == consignment.version)
        .values(destination_office_id=office.id, courier_id=None,
                version=Consignment.version + 1, updated_at=utcnow())).rowcount
    if changed != 1:
        raise Conflict("bưu gửi vừa thay đổi, thử lại / the item just changed; try again")
    event_id = f"reroute-{uuid.uuid4()}"
    event = TrackingEvent(client_event_id=event_id, consignment_id=consignment.id,
                          event=REROUTED, upu_code="", status_before=status, status_after=status,
                          occurred_at=utcnow(), office_id=office.id, actor=actor, note=reason,
                          fingerprint=hashlib.sha256(event_id.encode()).hexdigest(),
                          client_address=client_address[:64] if client_address else None)
    session.add(event)
    session.flush()
    session.refresh(consignment)
    return event


def assign_courier(session: Session, consignment: Consignment, username: str | None) -> None:
    """Put the item on this courier's round for the day (None: back to whoever's beat it is).
    The courier must be an active courier of the item's delivery office (ValidationFailed)."""
    if not username:
        consignment.courier_id = None
        session.add(consignment)
        return
    courier = session.exec(select(User).where(User.username == username, User.active,
                                              User.role == "courier")).first()
    if courier is None or courier.office_id != consignment.destination_office_id:
        raise ValidationFailed({"courier": "chọn bưu tá của bưu cục phát bưu gửi này / "
                                           "choose a courier of this item's delivery office"})
    consignment.courier_id = courier.id
    session.add(consignment)
