"""The citizen's pages (no login): the tracking page reached through the private link sent by SMS, its
request form (another date, collect at the office, instructions), and the lookup by tracking number and
the phone's last four digits. The JSON twins live in web/api.py and share the helpers below."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from delivery import s10
from delivery.errors import DomainError
from delivery.models import VIETNAM_TIME, Agency, Consignment, PostOffice, utcnow
from tracking.citizen_requests import give_instructions, request_date, request_pickup, reschedule_window
from tracking.lookup import RateLimiter, find_by_number_and_phone
from tracking.timeline import find_by_token, public_view

from .auth import check_csrf
from .db import get_session
from .jobs import redis_connection
from .pages import LANG_COOKIE, bp, page_language

PER_CLIENT_FACTOR = 3  # one client (a shared NAT, a family) may look up a few numbers; one number is guessed less


def today_in_vietnam() -> date:
    return utcnow().astimezone(VIETNAM_TIME).date()


def tracking_view(consignment: Consignment, lang: str) -> dict:
    return public_view(get_session(), consignment, lang,
                       days_after_final=current_app.config["TRACKING_PUBLIC_DAYS_AFTER_FINAL"])


def lookup_throttled(tracking_number: str) -> int:
    """Count one lookup against this client and this number; seconds to wait (0 = go ahead)."""
    if "track_limiters" not in current_app.extensions:
        limit, connection = current_app.config["TRACK_LOOKUP_LIMIT"], redis_connection()
        current_app.extensions["track_limiters"] = (RateLimiter(limit * PER_CLIENT_FACTOR, redis=connection),
                                                    RateLimiter(limit, redis=connection))
    per_client, per_number = current_app.extensions["track_limiters"]
    number = s10.normalise(tracking_number or "")  # "rr 000 000 014 vn" is the same number to guess at
    waits = (per_client.hit(f"track:ip:{request.remote_addr}"), per_number.hit(f"track:n:{number}"))
    return max(waits)


def _with_language_cookie(response: Response) -> Response:
    if request.args.get("lang") in ("vi", "en"):
        response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=365 * 86400, samesite="Lax")
    return response


@bp.get("/t/<token>")
def track(token: str) -> Response | tuple[str, int]:
    lang = page_language()
    consignment = find_by_token(get_session(), token)
    if consignment is None:
        return render_template("track_missing.html", lang=lang), 404
    view = tracking_view(consignment, lang)
    agency = get_session().get(Agency, consignment.agency_id)
    office = get_session().get(PostOffice, consignment.destination_office_id) \
        if consignment.destination_office_id else None
    first, last = reschedule_window(agency, today_in_vietnam())
    return _with_language_cookie(Response(render_template(
        "track.html", view=view, lang=lang, token=token, office=office, first_day=first, last_day=last)))


@bp.post("/t/<token>/requests")
def track_request(token: str) -> Response:
    """One request from the tracking page's form; every outcome goes back to the page with a message."""
    check_csrf()
    session = get_session()
    consignment = find_by_token(session, token)
    if consignment is None:
        abort(404)
    kind, form = request.form.get("kind"), request.form
    try:
        if kind == "date":
            request_date(session, consignment, form.get("date", ""), today_in_vietnam())
        elif kind == "pickup":
            request_pickup(session, consignment)
        elif kind == "instructions":
            give_instructions(session, consignment, form.get("instructions", ""))
        else:
            abort(400)
        session.commit()
        flash("Đã ghi nhận yêu cầu / your request was recorded")
    except DomainError as error:
        session.rollback()
        flash(f"Chưa ghi nhận / not recorded: {error.detail}")
    return redirect(url_for("pages.track", token=token))


@bp.get("/t")
def track_lookup() -> Response | tuple[str, int]:
    """The lookup form; with both fields filled in, the item's page (or the same "not found" for any miss)."""
    lang = page_language()
    number, last4 = request.args.get("tracking_number", "").strip(), request.args.get("phone_last4", "").strip()
    if not number and not last4:
        return _with_language_cookie(Response(render_template("track_lookup.html", lang=lang)))
    if wait := lookup_throttled(number):
        return render_template("track_lookup.html", lang=lang, throttled=True), 429, {"Retry-After": str(wait)}
    consignment = find_by_number_and_phone(get_session(), number, last4)
    if consignment is None:
        return render_template("track_lookup.html", lang=lang, missing=True, number=number), 404
    return redirect(url_for("pages.track", token=consignment.tracking_token))
