"""What the citizen asked for on the tracking page (tracking.citizen_requests sets
``Consignment.requested_date`` or ``pickup_requested``): the one place for what it means to the
courier's day.

Before the day asked for, the item stays off the round to deliver (delivery.rounds shows it apart,
"asked for a later date"); an item the citizen will collect at the office stays off it too, to be
held for pick-up. Sending either out anyway is the courier's call, but only with a reason they
type, which is kept on the event (``note``, with ``reason`` EARLY_DISPATCH or
DISPATCH_DESPITE_PICKUP) for the supervisor to see.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .errors import ValidationFailed
from .models import VIETNAM_TIME
from .status_model import Scan

# The reason code an early ``out_for_delivery`` event is recorded with; the courier's words are its
# note.
EARLY_DISPATCH = "before_requested_date"
# ... and one sent out though the citizen asked to collect it at the office.
DISPATCH_DESPITE_PICKUP = "despite_pickup_request"


class CitizenAsked(Protocol):
    """What a scan's item says of the citizen's requests (a Consignment, a ScanTarget)."""

    requested_date: date | None
    pickup_requested: bool


def asked_for_later(requested_date: date | None, day: date) -> bool:
    """Whether the citizen asked for a day after ``day`` (Vietnam time): it waits till then."""
    return requested_date is not None and day < requested_date


def against_request(item: CitizenAsked, day: date) -> str | None:
    """Why sending ``item`` out on ``day`` (Vietnam time) goes against what its citizen asked:
    EARLY_DISPATCH before the day they asked for, DISPATCH_DESPITE_PICKUP when they will collect it
    at the office; None when it does not."""
    if asked_for_later(item.requested_date, day):
        return EARLY_DISPATCH
    return DISPATCH_DESPITE_PICKUP if item.pickup_requested else None


def checked_dispatch(scan: Scan, item: CitizenAsked) -> Scan:
    """``scan`` as it is to be recorded. An ``out_for_delivery`` that goes against what the citizen
    asked (``against_request``, on the day it happened: an offline scan counts its own day) must
    carry the courier's reason in ``note``: ValidationFailed on ``note`` otherwise; with one, it
    is recorded with that reason. Any other scan is returned as it is."""
    if scan.event != "out_for_delivery":
        return scan
    reason = against_request(item, scan.occurred_at.astimezone(VIETNAM_TIME).date())
    if reason is None:
        return scan
    if not (scan.note or "").strip():
        raise ValidationFailed({"note": (
            f"người nhận hẹn ngày {item.requested_date:%d/%m}: đi phát sớm hơn cần ghi lý do / "
            f"the recipient asked for {item.requested_date:%d/%m}: sending it out earlier "
            "needs a reason") if reason == EARLY_DISPATCH else (
            "người nhận đã đăng ký nhận tại bưu cục: đi phát cần ghi lý do / the recipient will "
            "collect it at the office: sending it out needs a reason")})
    return scan._replace(reason=reason, note=scan.note.strip())
