"""The courier's pages (phone first): open an item from its label's QR code and record what happened."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Response, flash, redirect, render_template, request, url_for

from delivery.errors import DomainError
from delivery.lifecycle import NON_DELIVERY_REASONS, allowed_events
from delivery.lookup import get_consignment
from delivery.models import VIETNAM_TIME, Province, Ward
from tracking.wording import event_label, status_label

from .auth import require
from .db import get_session
from .pages import bp
from .scanning import record_and_notify


@bp.get("/courier")
@require(roles=("courier", "supervisor"))
def courier_home() -> Response | str:
    if number := request.args.get("n", "").strip():
        return redirect(url_for("pages.courier_item", tracking_number=number))
    return render_template("courier_home.html")


@bp.get("/courier/items/<tracking_number>")
@require(roles=("courier", "counter", "supervisor"))
def courier_item(tracking_number: str) -> str:
    """What a courier sees after scanning a label's QR code: the item and the events allowed now."""
    db = get_session()
    consignment = get_consignment(db, tracking_number)
    return render_template(
        "courier_item.html", c=consignment, ward=db.get(Ward, consignment.ward_code),
        province=db.get(Province, consignment.province_code), events=allowed_events(consignment.status),
        reasons=NON_DELIVERY_REASONS, status_label=status_label, event_label=event_label,
    )


@bp.post("/courier/items/<tracking_number>/scan")
@require(roles=("courier", "counter", "supervisor"))
def courier_scan(tracking_number: str) -> Response:
    form = request.form
    payload = {
        "event_id": form.get("event_id") or str(uuid.uuid4()), "tracking_number": tracking_number,
        "event": form.get("event"), "occurred_at": datetime.now(VIETNAM_TIME).isoformat(),
        "reason": form.get("reason") or None, "note": form.get("note") or None,
    }
    if form.get("event") == "delivered":
        payload["proof"] = {k: form.get(k) or None for k in ("received_by", "relation", "id_last4",
                                                              "authorisation_ref")}
    try:
        result = record_and_notify(payload)
        flash(f"Đã ghi / recorded: {event_label(result.event.event)} → {status_label(result.status)}")
    except DomainError as error:
        flash(f"Không ghi được / not recorded: {error.detail}")
    return redirect(url_for("pages.courier_item", tracking_number=tracking_number))
