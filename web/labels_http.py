"""Serving rendered labels: picks the format and size from the request; ``labels`` does the drawing."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, request, url_for
from sqlmodel import Session

from delivery.errors import ValidationFailed
from delivery.labelling import label_data
from delivery.models import VIETNAM_TIME, Consignment
from labels.model import LabelSize
from labels.png import render_label_png
from labels.svg import render_label_svg

from .serialise import base_url

SIZES = {"100x150": LabelSize.THERMAL_100X150, "a6": LabelSize.A6}
DPIS = (203, 300)


def courier_item_url(tracking_number: str) -> str:
    """What the label's QR code opens: the courier's page for this item (login required, no personal data)."""
    return base_url() + url_for("pages.courier_item", tracking_number=tracking_number)


def _size() -> LabelSize:
    size = SIZES.get(request.args.get("size", "100x150").lower())
    if size is None:
        raise ValidationFailed({"size": f"một trong / one of: {', '.join(SIZES)}"})
    return size


def _dpi() -> int:
    raw = request.args.get("dpi", "203")
    if not raw.isdigit() or int(raw) not in DPIS:
        raise ValidationFailed({"dpi": "203 hoặc/or 300"})
    return int(raw)


def label_response(session: Session, consignment: Consignment, fmt: str) -> Response:
    """The label in ``fmt`` (svg, png; pdf and zpl are not built yet and answer 501)."""
    data = label_data(session, consignment, qr_url=courier_item_url(consignment.tracking_number),
                      printed_on=datetime.now(VIETNAM_TIME).date())
    filename = f"{consignment.tracking_number}.{fmt}"
    if fmt == "svg":
        body, mimetype = render_label_svg(data, _size()), "image/svg+xml"
    elif fmt == "png":
        body, mimetype = render_label_png(data, _size(), dpi=_dpi()), "image/png"
    elif fmt in ("pdf", "zpl"):
        abort(501, description=f"Nhãn {fmt.upper()} chưa có / {fmt.upper()} labels are not available yet")
    else:
        abort(404, description="Định dạng nhãn: pdf, svg, png, zpl / label formats: pdf, svg, png, zpl")
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
