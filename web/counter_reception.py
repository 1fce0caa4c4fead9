"""The counter receives a dossier the citizen hands in (a collection booked at the counter, or one
the citizen brings instead of waiting for the courier): the clerk checks it against the booking's
checklist, takes the fee when the citizen pays it, photographs each page, and confirms (event
``accepted``). The same form and the same pages-then-scan transaction as the pick-up at the door
(web/door_pickup.py, tracking.digitised_dossier): a refused photo or scan leaves nothing.
"""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for

from delivery.errors import DomainError
from delivery.lookup import get_consignment

from .auth import current_scope, require
from .counter import COUNTER, bp, show_page
from .db import get_session
from .door_pickup import collect_dossier, kept_form, pickup_payload, refusal_message, uploads
from .i18n import gettext as _


@bp.post("/consignments/<tracking_number>/receive")
@require(roles=COUNTER)
def receive_dossier(tracking_number: str) -> Response | tuple[str, int]:
    """Record the dossier handed in at the counter; back to the item's page. Refused: the page
    again with what was ticked and typed, and why (422)."""
    # opens the transaction the scan and the pages share (web.scanning.record_and_notify)
    item = get_consignment(get_session(), tracking_number, current_scope())
    payload = pickup_payload(item.tracking_number, request.form, event="accepted")
    try:
        collect_dossier(item, payload, uploads())
    except DomainError as error:
        return show_page(item, pickup_form=kept_form(request.form),
                         pickup_error=refusal_message("accepted", error)), 422
    flash(_("Đã nhận hồ sơ tại quầy"))
    return redirect(url_for("counter.show", tracking_number=item.tracking_number))
