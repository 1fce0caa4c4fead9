"""Serving rendered labels: picks the format and size from the request; ``labels`` does the drawing.

Showing a label records nothing (viewing is not printing, and a GET can be triggered by any page
the clerk visits). A print is recorded by a POST that says so (web/print_views.py: the API's
``POST .../prints``, the counter's Print buttons, batches), where a second label for the same
consignment is a reprint with who, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import quote

from flask import Response, abort, request
from sqlmodel import Session

from delivery.errors import ValidationFailed
from delivery.labelling import label_data
from delivery.models import VIETNAM_TIME, Consignment
from labels.model import LabelData, LabelSize
from labels.pdf import Sheet, render_label_pdf
from labels.png import render_label_png
from labels.svg import render_label_svg
from labels.zpl import render_label_zpl

from .serialise import base_url

SIZES = {"100x150": LabelSize.THERMAL_100X150, "a6": LabelSize.A6}
SHEETS = {"label": Sheet.LABEL, "a4": Sheet.A4_4UP}
DPIS = (203, 300)
TEXT_MODES = {"font": False, "graphics": True}  # zpl: graphics sends text as ^GFA bitmaps
MIMETYPES = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png",
             "zpl": "application/x-zpl"}


def courier_item_url(tracking_number: str) -> str:
    """What the label's QR code opens: the courier's page for this item (login required,
    no personal data).

    Built from PUBLIC_BASE_URL rather than the request, so background jobs print the same URL."""
    return f"{base_url()}/courier/items/{quote(tracking_number)}"


def labels_for(session: Session, consignments: Iterable[Consignment]) -> list[LabelData]:
    """The printable data of each consignment, dated today in Vietnam."""
    today = datetime.now(VIETNAM_TIME).date()
    return [label_data(session, c, qr_url=courier_item_url(c.tracking_number), printed_on=today)
            for c in consignments]


def choice(name: str, options: dict[str, object], default: str, raw: str | None = None) -> object:
    """One of `options` from the query string (or `raw`), `default` when absent; 422 naming `name`
    otherwise (an empty value included, as the API document says)."""
    value = raw if raw is not None else request.args.get(name, default)
    if str(value).lower() not in options:
        raise ValidationFailed({name: f"một trong / one of: {', '.join(options)}"})
    return options[str(value).lower()]


def _dpi() -> int:
    raw = request.args.get("dpi", "203")
    # compared as text: int() refuses "²" (a digit to str.isdigit) and thousands of digits
    dpi = next((dpi for dpi in DPIS if str(dpi) == raw), None)
    if dpi is None:
        raise ValidationFailed({"dpi": "203 hoặc/or 300"})
    return dpi


def _render(data: LabelData, fmt: str, size: LabelSize) -> bytes | str:
    if fmt == "svg":
        return render_label_svg(data, size)
    if fmt == "png":
        return render_label_png(data, size, dpi=_dpi())
    if fmt == "pdf":
        return render_label_pdf(data, size)
    # ?text=graphics: every text field as a ^GFA bitmap,
    # for printers without a Vietnamese font loaded
    as_graphics = choice("text", TEXT_MODES, "font")
    return render_label_zpl(data, size, dpi=_dpi(), text_as_graphics=bool(as_graphics))


def label_response(session: Session, consignment: Consignment, fmt: str) -> Response:
    """The label in ``fmt`` (pdf, svg, png, zpl). Records nothing and writes nothing: a print is
    recorded by POST .../prints before (web/print_views.py)."""
    if fmt not in MIMETYPES:
        abort(404, description="Định dạng nhãn: pdf, svg, png, zpl / "
                               "label formats: pdf, svg, png, zpl")
    size = choice("size", SIZES, "100x150")
    (data,) = labels_for(session, [consignment])
    body = _render(data, fmt, size)
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = (
        f'inline; filename="{consignment.tracking_number}.{fmt}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response
