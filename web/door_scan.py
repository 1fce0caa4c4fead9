"""What the courier records at the door from the item page (delivered, a failed attempt, ...).

The same form arrives two ways: posted by the browser (no JavaScript, or online), or sent later
from the phone's offline queue (static/js/courier/door.js) with the event_id the phone gave it and
the time the courier pressed the button. The queue asks for JSON and keeps the answer (accepted,
or refused with the reason) on its entry. The event_id makes a repeat harmless: sent twice, the
scan is one event with one photo file."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Response, current_app, flash, jsonify, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from delivery.errors import DomainError, TransitionNotAllowed
from delivery.models import VIETNAM_TIME
from tracking.proof_files import discard_photo, photo_of_scan, store_photo
from tracking.scans import ScanResult
from tracking.wording import event_label, status_label

from .auth import require
from .db import get_session
from .i18n import current_language, why_refused
from .i18n import gettext as _
from .pages import bp
from .problems import status_for
from .scanning import record_and_notify

PROOF_FIELDS = ("received_by", "relation", "id_last4", "authorisation_ref", "otp", "id_source",
                "collected_vnd", "payment_method")


@bp.post("/courier/items/<tracking_number>/scan")
@require(roles=("courier", "counter", "supervisor"))
def courier_scan(tracking_number: str) -> Response | tuple[Response, int]:
    """Record one door scan of ``tracking_number``; answers JSON when the request asks for it (the
    offline queue), else goes back to the item page, which says what happened."""
    payload = scan_payload(tracking_number, request.form)
    folder = Path(current_app.config["PROOF_PHOTO_DIR"])
    new_photo = None
    try:
        new_photo = _attach_photo(payload, folder)
        result = record_and_notify(payload)
    except DomainError as error:
        if new_photo:  # no event names it: nobody could ever see or erase it
            discard_photo(folder, new_photo)
        return refused_answer(tracking_number, error)
    return recorded_answer(tracking_number, result)


def scan_payload(tracking_number: str, form: MultiDict) -> dict[str, Any]:
    """The scan body of a door form: its own event_id and time when the phone gave them (a queued
    scan keeps the moment of the press; tracking.scans checks it), else new ones, now."""
    payload = {
        "event_id": form.get("event_id") or str(uuid.uuid4()), "tracking_number": tracking_number,
        "event": form.get("event"),
        "occurred_at": form.get("occurred_at") or datetime.now(VIETNAM_TIME).isoformat(),
        "reason": form.get("reason") or None, "note": form.get("note") or None,
    }
    if form.get("event") == "delivered":
        payload["proof"] = {k: form.get(k) or None for k in PROOF_FIELDS}
    return payload


def _attach_photo(payload: dict[str, Any], folder: Path) -> str | None:
    """Name the form's photo in ``payload``; returns the id of a file written now (None when
    none was). A repeat of a stored scan names the photo kept with it, and its upload is dropped
    unwritten."""
    upload = request.files.get("photo")
    if not (upload and upload.filename):
        return None
    if kept := photo_of_scan(get_session(), payload["event_id"]):
        payload["photo"] = kept
        return None
    payload["photo"] = store_photo(folder, upload.read())
    return payload["photo"]


def wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) \
        == "application/json"


def recorded_answer(tracking_number: str, result: ScanResult) -> Response:
    event, status, language = result.event.event, result.status, current_language()
    message = _("Đã ghi: %(event)s → %(status)s", event=event_label(event, language),
                status=status_label(status, language))
    if wants_json():
        return jsonify(accepted=True, status=status, created=result.created, message=message)
    flash(message)
    return redirect(url_for("pages.courier_item", tracking_number=tracking_number))


def refused_answer(tracking_number: str, error: DomainError) -> Response | tuple[Response, int]:
    message = _("Không ghi được: %(reason)s", reason=refusal_reason(error))
    if wants_json():
        return jsonify(accepted=False, message=message), status_for(error)
    flash(message)
    return redirect(url_for("pages.courier_item", tracking_number=tracking_number))


def refusal_reason(error: DomainError) -> str:
    """Why a scan was refused, in the courier's words and language: the messages name each field
    as people do (the keys, proof.collected_vnd, are the API's), a status and an event by their
    names."""
    if isinstance(error, TransitionNotAllowed) and {"event", "from_status"} <= error.extra.keys():
        event, status = error.extra["event"], error.extra["from_status"]
        language = current_language()
        return _("bưu gửi đang ở trạng thái %(status)s, không ghi được %(event)s",
                 status=status_label(status, language), event=event_label(event, language))
    return why_refused(error)
