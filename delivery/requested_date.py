"""The day the citizen asked for (tracking.citizen_requests sets ``Consignment.requested_date``):
the one place for what it means to the courier's day.

Before that day the item stays off the round to deliver (delivery.rounds shows it apart, "asked
for a later date"); sending it out earlier is the courier's call, but only with a reason they type,
which is kept on the event (``note``, with ``reason`` EARLY_DISPATCH) for the supervisor to see.
"""

from __future__ import annotations

from datetime import date

from .errors import ValidationFailed
from .models import VIETNAM_TIME
from .status_model import Scan

# The reason code an early ``out_for_delivery`` event is recorded with; the courier's words are its
# note.
EARLY_DISPATCH = "before_requested_date"


def asked_for_later(requested_date: date | None, day: date) -> bool:
    """Whether the citizen asked for a day after ``day`` (Vietnam time): it waits till then."""
    return requested_date is not None and day < requested_date


def checked_dispatch(scan: Scan, requested_date: date | None) -> Scan:
    """``scan`` as it is to be recorded. An ``out_for_delivery`` on a day (Vietnam time, when it
    happened: an offline scan counts its own day) before ``requested_date`` must carry the
    courier's reason in ``note``: ValidationFailed on ``note`` otherwise; with one, it is recorded
    with reason EARLY_DISPATCH. Any other scan is returned as it is."""
    day = scan.occurred_at.astimezone(VIETNAM_TIME).date()
    if scan.event != "out_for_delivery" or not asked_for_later(requested_date, day):
        return scan
    if not (scan.note or "").strip():
        raise ValidationFailed({"note": (
            f"người nhận hẹn ngày {requested_date:%d/%m}: đi phát sớm hơn cần ghi lý do / "
            f"the recipient asked for {requested_date:%d/%m}: sending it out earlier needs a reason"
        )})
    return scan._replace(reason=EARLY_DISPATCH, note=scan.note.strip())
