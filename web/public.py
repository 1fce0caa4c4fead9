"""The citizen's pages (no login): the tracking page reached through the private link sent by SMS,
its request form (another date, collect at the office, instructions), and the lookup by tracking
number and the phone's last four digits. The JSON twins live in web/api.py and share the helpers
below."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlmodel import Session

from delivery import s10
from delivery.address import destination_office_of
from delivery.collection_models import CollectionOrder
from delivery.collections import window_of
from delivery.errors import DomainError
from delivery.models import VIETNAM_TIME, Agency, Consignment, utcnow
from tracking.citizen_requests import (
    choose_channel,
    give_instructions,
    request_date,
    request_pickup,
    reschedule_window,
)
from tracking.dossier_receipt import receipt_of
from tracking.legs import other_leg
from tracking.phone_lookup import RateLimiter, could_match
from tracking.rating import rating_state
from tracking.timeline import TrackingState, find_by_token, is_expired, public_view, tracking_state

from .config_channels import zns_enabled
from .db import get_session, hot_read
from .i18n import gettext as _
from .i18n import one_language, speaking, visitor_language
from .jobs import redis_connection
from .pages import bp
from .serialise import tracking_url
from .tracking_cache import Rendered, RenderedTracking, answer

PAGE_TYPE, JSON_TYPE = "text/html; charset=utf-8", "application/json"
PAGE_VARIES_WITH = ("Accept-Language", "Cookie")  # the page's language may come from either
PAGE_VARY = ", ".join(PAGE_VARIES_WITH)
# one client (a shared NAT, a family) may look up a few numbers; one number is guessed less
PER_CLIENT_FACTOR = 3


def in_visitor_language(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs a citizen's page in the visitor's language (``visitor_language``: ``?lang=``, cookie,
    the browser), even for a logged-in staff user whose account says otherwise: the tracking page
    is cached per that language, and the pages and messages around it must speak the same one.
    Put it below the route."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with speaking(visitor_language()):
            return view(*args, **kwargs)
    return wrapped


def today_in_vietnam() -> date:
    return utcnow().astimezone(VIETNAM_TIME).date()


def tracking_view(consignment: Consignment, lang: str) -> dict:
    return public_view(get_session(), consignment, lang,
                       days_after_final=current_app.config["TRACKING_PUBLIC_DAYS_AFTER_FINAL"])


def lookup_throttled(tracking_number: str, phone_last4: str) -> int:
    """Count one lookup against this client and this number; seconds to wait (0 = go ahead).
    A pair that cannot match anything (not an S10, not four digits: tracking.phone_lookup.
    could_match) is answered "not found" at once, so it is not counted and leaves no key in the
    limiter's storage (Redis, or this process's fallback): garbage can neither fill it nor lock
    anyone out."""
    if not could_match(tracking_number, phone_last4):
        return 0
    if "track_limiters" not in current_app.extensions:
        limit, connection = current_app.config["TRACK_LOOKUP_LIMIT"], redis_connection()
        current_app.extensions["track_limiters"] = (
            RateLimiter(limit * PER_CLIENT_FACTOR, redis=connection),
            RateLimiter(limit, redis=connection))
    per_client, per_number = current_app.extensions["track_limiters"]
    # "rr 000 000 014 vn" is the same number to guess at
    number = s10.normalise(tracking_number)
    waits = (per_client.hit(f"track:ip:{request.remote_addr}"), per_number.hit(f"track:n:{number}"))
    return max(waits)


def request_form_token(token: str) -> str:
    """The anti-forgery value of the tracking page's forms. The private link is the citizen's only
    credential, so the value is bound to it rather than to a session: the page stays the same for
    every visitor (and can be cached, with no session cookie written), and a foreign site that does
    not know the link cannot post."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"track-requests:" + token.encode(), hashlib.sha256).hexdigest()


def _cache_key(app: Flask, kind: str, token: str, state: Consignment | TrackingState,
               lang: str, linked_version: int | None) -> tuple:
    """Everything a rendered ``kind`` document depends on besides the code (see
    web/tracking_cache.py), with the version of the item's other leg, which the page shows."""
    hidden = is_expired(state, app.config["TRACKING_PUBLIC_DAYS_AFTER_FINAL"])
    return kind, token, state.version, linked_version, lang, today_in_vietnam(), hidden


def stored(app: Flask, kind: str, token: str, lang: str,
           read_first: Callable[..., tuple | None]) -> tuple[TrackingState | None, Rendered | None]:
    """The state of the consignment behind ``token`` (None: no such token), read with ``read_first``
    (see tracking.timeline.tracking_state), and the ``kind`` document in ``lang`` this process holds
    for exactly that state, if any. The one check both ways of serving a document make (this module,
    web.repeat_views)."""
    state = tracking_state(read_first, token)
    if state is None:
        return None, None
    return state, tracking_cache(app).get(_cache_key(app, kind, token, state, lang,
                                                     state.linked_version))


def rendered(kind: str, token: str, lang: str,
             render: Callable[[Consignment], bytes]) -> Rendered | None:
    """The ``kind`` document of ``token`` in ``lang``: from this process's cache when the
    consignment's version (read with one query) still matches, else ``render``-ed and stored. None
    for an unknown token."""
    state, hit = stored(current_app, kind, token, lang, hot_read)
    if state is None or hit is not None:
        return hit
    consignment = find_by_token(get_session(), token)
    if consignment is None:
        return None
    # Keyed by the version the render itself read: never older content under a newer version (the
    # other leg's read before it: its content is as new or newer).
    return tracking_cache(current_app).put(
        _cache_key(current_app, kind, token, consignment, lang, state.linked_version),
        render(consignment))


def tracking_cache(app: Flask) -> RenderedTracking:
    """This process's rendered documents (made once: the lookup runs on every public request)."""
    if "tracking_cache" not in app.extensions:
        app.extensions["tracking_cache"] = RenderedTracking()
    return app.extensions["tracking_cache"]


def conditional(document: Rendered, content_type: str, vary: str | None = None) -> Response:
    """The document as web.tracking_cache.answer puts it (200, or 304 when the client holds it)."""
    status, headers, body = answer(document, content_type, request.headers.get("If-None-Match"),
                                   vary)
    return Response(body, status=status, headers=headers)


def page_html(consignment: Consignment, lang: str, token: str, **rating_form: Any) -> str:
    """The tracking page; ``rating_form``: what was typed in the rating form and why it was
    refused (web/citizen_rating.py), on a page for that visitor only."""
    db = get_session()
    agency = db.get(Agency, consignment.agency_id)
    office = destination_office_of(db, consignment)
    first, last = reschedule_window(agency, today_in_vietnam())
    view = tracking_view(consignment, lang)
    rating = rating_state(db, consignment,
                          days_to_rate=current_app.config["RATING_DAYS_AFTER_DELIVERY"])
    other = other_leg(db, consignment)
    with speaking(lang):
        return render_template("track.html", view=view, token=token, office=office,
                               direction=consignment.direction,
                               other=tracking_view(other, lang) if other else None,
                               first_day=first, last_day=last, collect_by=collect_by(view, agency),
                               form_token=request_form_token(token), rating=rating,
                               channel=consignment.preferred_channel,
                               zalo_offered=zns_enabled(current_app.config),
                               window=booked_window(db, consignment),
                               receipt=None if view.get("expired") else receipt_of(
                                   db, consignment, tracking_url(consignment)), **rating_form)


def booked_window(db: Session, item: Consignment) -> dict[str, str] | None:
    """A collection's window (when the courier comes); None for a result."""
    order = db.get(CollectionOrder, item.id) if item.direction == "to_agency" else None
    return window_of(order) if order else None


def collect_by(view: dict, agency: Agency) -> date | None:
    """The last day a held item waits at the office (the agency's hold period from the latest hold),
    if held."""
    held = [e["at"] for e in view.get("events", []) if e["event"] == "held_for_pickup"]
    if view["status"] != "held_for_pickup" or not held:
        return None
    return date.fromisoformat(held[-1][:10]) + timedelta(days=agency.pickup_hold_days)


def _page_response(token: str, lang: str) -> Response | None:
    # the outcome of the citizen's own request: a page for this visitor only
    if "_flashes" in session:
        consignment = find_by_token(get_session(), token)
        return (Response(page_html(consignment, lang, token), mimetype="text/html")
                if consignment else None)
    document = rendered("page", token, lang, lambda c: page_html(c, lang, token).encode())
    return conditional(document, PAGE_TYPE, PAGE_VARY) if document else None


@bp.get("/t/<token>")
@in_visitor_language
def track(token: str) -> Response | tuple[str, int]:
    lang = visitor_language()
    response = _page_response(token, lang)
    if response is None:
        return render_template("track_missing.html"), 404
    # also on a page for one visitor, rendered without the cache
    response.vary.update(PAGE_VARIES_WITH)
    return response


@bp.post("/t/<token>/requests")
@in_visitor_language
def track_request(token: str) -> Response:
    """One request from the tracking page's form; every outcome goes back to the page with a
    message."""
    if not hmac.compare_digest(request.form.get("csrf_token", ""), request_form_token(token)):
        abort(400, description="Phiên làm việc hết hạn, tải lại trang / "
                               "form token missing or invalid; reload")
    db = get_session()
    consignment = find_by_token(db, token)
    if consignment is None:
        abort(404)
    kind, form = request.form.get("kind"), request.form
    # where from (for the audit), and the cap per item and day
    asked = {"client_address": request.remote_addr,
             "daily_limit": current_app.config["CITIZEN_REQUESTS_PER_DAY"]}
    try:
        if kind == "date":
            request_date(db, consignment, form.get("date", ""), today_in_vietnam(), **asked)
        elif kind == "pickup":
            request_pickup(db, consignment, **asked)
        elif kind == "instructions":
            give_instructions(db, consignment, form.get("instructions", ""), **asked)
        elif kind == "channel":
            choose_channel(db, consignment, form.get("channel", ""), **asked)
        else:
            abort(400)
        db.commit()
        flash(_("Đã ghi nhận yêu cầu"))
    except DomainError as error:
        db.rollback()
        flash(_("Chưa ghi nhận: %(reason)s", reason=one_language(error.detail)))
    return redirect(url_for("pages.track", token=token))
