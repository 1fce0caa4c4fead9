"""The site's front door for citizens: ``/`` and ``/t`` are the lookup by tracking number and the
last 4 digits of the recipient's phone; staff find their login linked from it (and, once logged
in, ``/`` takes them to their own home).

A label's QR opens the courier's page for the item. A citizen who scans it is not staff: they land
here with the number already filled in, and a courier who is not logged in yet finds the login
link that brings them back to the item.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, redirect, render_template, request, url_for

from tracking.phone_lookup import find_by_number_and_phone

from .auth import current_actor, current_user
from .db import get_session
from .pages import HOME_OF_ROLE, bp
from .public import in_visitor_language, lookup_throttled

LABEL_PAGE = "/courier/items/"


@bp.get("/")
def index() -> Response:
    """Staff go to their home; everyone else gets the lookup."""
    user = current_user()
    return redirect(url_for(HOME_OF_ROLE[user.role])) if user else track_lookup()


@bp.get("/t")
@in_visitor_language
def track_lookup() -> Response:
    """The lookup form; with both fields filled in, the item's page (or the same "not found" for
    any miss). What was typed stays in the form after a miss; a number alone (from a label's QR)
    only fills the form in."""
    args = request.args
    number, last4 = args.get("tracking_number", "").strip(), args.get("phone_last4", "").strip()
    page = {"number": number, "last4": last4,
            "staff_next": _label_page(args.get("staff_next", ""))}
    if not ("phone_last4" in args and (number or last4)):
        return Response(render_template("track_lookup.html", **page))
    if wait := lookup_throttled(number, last4):
        page["wait_minutes"] = -(-wait // 60)
        return Response(render_template("track_lookup.html", throttled=True, **page), 429,
                        {"Retry-After": str(wait)})
    consignment = find_by_number_and_phone(get_session(), number, last4)
    if consignment is None:
        return Response(render_template("track_lookup.html", missing=True, **page), 404)
    return redirect(url_for("pages.track", token=consignment.tracking_token))


def _label_page(path: str) -> str | None:
    """The courier page a label's QR opened, for the staff login link; nothing else (the link
    must not send anyone elsewhere)."""
    return path if path.startswith(LABEL_PAGE) and "//" not in path else None


def citizens_to_lookup(view: Callable[..., Any]) -> Callable[..., Any]:
    """For a page a label's QR opens (``tracking_number`` in its URL): a visitor who is not logged
    in gets the lookup with the number filled in and the staff login that comes back here, rather
    than a login form a citizen cannot pass. Put it above ``require``."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_actor() is None:
            return redirect(url_for("pages.track_lookup",
                                    tracking_number=kwargs.get("tracking_number", ""),
                                    staff_next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped
