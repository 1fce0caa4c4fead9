"""The two documents a collection at the door produces, each for its own reader:
- the digitised dossier (pages.pdf: one page per photographed sheet) for the agency's system and
  the postal staff whose scope sees the item, never public (CONTRACT.md "Collections");
- the citizen's receipt (biên nhận, receipt.pdf) behind the private tracking link.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, send_file

from delivery.access import not_found
from delivery.errors import NotFound
from delivery.lookup import get_consignment
from labels.collection_receipt import render_collection_receipt_pdf
from tracking.digitised_dossier import dossier_pdf_path
from tracking.dossier_receipt import receipt_of
from tracking.timeline import find_by_token, is_expired

from .api import STAFF
from .api import bp as api_bp
from .auth import current_actor, current_scope, require
from .db import get_session
from .pages import bp as pages_bp
from .serialise import tracking_url

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


@api_bp.get("/consignments/<tracking_number>/pages.pdf")
@require("read", roles=STAFF)
def dossier_pages_pdf(tracking_number: str) -> Response:
    """The dossier's pages as one PDF: for the agency's own key or postal staff who see the item;
    404 for anyone else (a postal-network key too) and before the dossier is digitised."""
    actor = current_actor()
    if actor.kind == "api" and actor.agency_id is None:
        raise not_found(tracking_number)  # the pages are the agency's, not the network's
    db = get_session()
    item = get_consignment(db, tracking_number, current_scope())
    path = dossier_pdf_path(db, item.id, Path(current_app.config["PROOF_PHOTO_DIR"]))
    if path is None:
        raise NotFound("hồ sơ chưa được số hóa / the dossier has not been digitised yet")
    response = send_file(path, mimetype="application/pdf",
                         download_name=f"{item.tracking_number}-ho-so.pdf", max_age=0)
    response.headers.update(PRIVATE)
    return response


@pages_bp.get("/t/<token>/receipt.pdf")
def track_receipt_pdf(token: str) -> Response:
    """The citizen's receipt of a dossier collected at their door (the private link is the
    credential); 404 before the pick-up, for a result, or once the tracking page has expired."""
    db = get_session()
    item = find_by_token(db, token)
    days = current_app.config["TRACKING_PUBLIC_DAYS_AFTER_FINAL"]
    receipt = (receipt_of(db, item, tracking_url(item))
               if item is not None and not is_expired(item, days) else None)
    if receipt is None:
        abort(404)
    pdf = render_collection_receipt_pdf(receipt)
    headers = {**PRIVATE, "Content-Disposition":
               f'inline; filename="bien-nhan-{item.tracking_number}.pdf"'}
    return Response(pdf, mimetype="application/pdf", headers=headers)
