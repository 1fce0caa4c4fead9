"""The pick-up at the door: the bưu tá checks the dossier against the booking's checklist
(each document there or missing), takes the fee when the citizen pays it, photographs each page
and confirms (event ``picked_up``). The pages become files and one PDF (tracking.digitised_dossier)
written with the scan's transaction: a refused photo or scan leaves no row and no file.

Like the other door forms, it comes from the browser or later from the phone's offline queue
(static/js/courier/door.js, with every page photo), which asks for JSON; its event_id makes a
repeat harmless: sent twice, the dossier has one set of pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Response, current_app, request
from werkzeug.datastructures import FileStorage, MultiDict

from delivery.errors import DomainError
from delivery.lookup import get_consignment
from delivery.models import Consignment
from tracking.digitised_dossier import discard_pages, keep_pages, pages_folder, write_pages
from tracking.scans import ScanResult, is_recorded
from tracking.wording import action_label

from .auth import current_actor, current_scope, require
from .courier import item_page
from .db import get_session
from .door_scan import (
    recorded_answer,
    refusal_reason,
    refused_answer,
    scan_payload,
    wants_json,
)
from .i18n import current_language
from .i18n import gettext as _
from .pages import bp
from .scanning import record_and_notify

PAGES_FIELD = "pages"
MONEY_FIELDS = ("collected_vnd", "payment_method")


@bp.url_value_preprocessor
def _room_for_the_pages(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """The pick-up's request may carry a whole dossier's photos, past the app's usual limit. Set
    here because URL value preprocessors run before every before_request hook, one of which
    (web.request_text) reads the form."""
    if endpoint in ("pages.courier_pickup", "counter.receive_dossier"):
        request.max_content_length = current_app.config["DOSSIER_UPLOAD_MAX_BYTES"]


def pickup_payload(tracking_number: str, form: MultiDict, event: str = "picked_up"
                   ) -> dict[str, Any]:
    """The scan body of the form (``picked_up`` at the door, ``accepted`` at a counter): each
    checklist document ticked (there) or not (missing), who handed the dossier over, and the fee
    taken (tracking.pickup_proof, tracking.money); ``pages`` is set from the photos."""
    payload = scan_payload(tracking_number, form)
    count = form.get("document_count", "")
    numbers = range(1, int(count) + 1) if count.isdigit() and int(count) <= 100 else range(0)
    proof = {"received_by": form.get("received_by") or None, "relation": "self"}
    if any(form.get(name) for name in MONEY_FIELDS):
        proof |= {name: form.get(name) or None for name in MONEY_FIELDS}
    return {**payload, "event": event, "reason": None, "proof": proof,
            "documents": [{"present": form.get(f"present_{n}") == "1"} for n in numbers]}


def uploads() -> list[FileStorage]:
    """The page photos the form carries, in the order chosen."""
    return [f for f in request.files.getlist(PAGES_FIELD) if f and f.filename]


def _each_read(uploads: list[FileStorage]) -> Iterator[bytes]:
    for upload in uploads:  # one photo in memory at a time
        yield upload.read()


def collect_dossier(item: Consignment, payload: dict[str, Any],
                    uploads: list[FileStorage]) -> ScanResult:
    """Write the pages, then record the pick-up with their rows in one transaction; delete the
    files if the scan is refused or was recorded before (a repeat keeps the first pages)."""
    payload["pages"] = len(uploads)
    if is_recorded(get_session(), payload["event_id"]):
        return record_and_notify(payload)
    folder = pages_folder(Path(current_app.config["PROOF_PHOTO_DIR"]))
    pages = write_pages(folder, _each_read(uploads), title=item.tracking_number,
                        max_bytes=current_app.config["DOSSIER_PAGE_MAX_BYTES"])
    taken_by = current_actor().ref
    try:
        result = record_and_notify(payload, along=lambda session, _result: keep_pages(
            session, item.id, pages, taken_by=taken_by))
    except BaseException:
        discard_pages(folder, pages.photos, pages.pdf)
        raise
    if not result.created:  # a concurrent repeat won: its pages stand
        discard_pages(folder, pages.photos, pages.pdf)
    return result


@bp.post("/courier/items/<tracking_number>/pickup")
@require(roles=("courier",))
def courier_pickup(tracking_number: str) -> Response | tuple[Response | str, int]:
    """Record the pick-up of a collection at its door; back to the item page (or JSON for the
    offline queue). Refused: the page again, with what was ticked and typed, and why."""
    # opens the transaction the scan and the pages share (web.scanning.record_and_notify)
    item = get_consignment(get_session(), tracking_number, current_scope())
    payload = pickup_payload(item.tracking_number, request.form)
    try:
        result = collect_dossier(item, payload, uploads())
    except DomainError as error:
        if wants_json():
            return refused_answer(item.tracking_number, error)
        return _form_again(item, error), 422
    return recorded_answer(item.tracking_number, result)


def kept_form(form: MultiDict) -> dict[str, Any]:
    """What was ticked and typed in a refused pick-up form, to show it again."""
    return {"present": {key.removeprefix("present_") for key in form
                        if key.startswith("present_") and form.get(key) == "1"},
            "received_by": form.get("received_by", ""),
            "collected_vnd": form.get("collected_vnd", ""),
            "payment_method": form.get("payment_method", "")}


def refusal_message(event: str, error: DomainError) -> str:
    """Why the pick-up (or the counter's reception) was not recorded, and that its photos must be
    attached again (a refused form does not keep them)."""
    return _("Chưa ghi %(action)s: %(reason)s. Chọn lại ảnh các trang",
             action=action_label(event, current_language(), direction="to_agency"),
             reason=refusal_reason(error))


def _form_again(item: Consignment, error: DomainError) -> str:
    return item_page(item, pickup_form=kept_form(request.form),
                     pickup_error=refusal_message("picked_up", error))
