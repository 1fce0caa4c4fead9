"""The citizen books a collection on the public site (no login): "have the post collect your
dossier at home". Step 1, the form: checked in full (the address, the window against the collecting
office's hours) and kept as a pending booking, and a code is texted to the phone given
(tracking.booking_codes). Step 2, the code: right, the collection is booked through
``book_and_notify`` (booked by "citizen") and the pending booking deleted; wrong, the page says how
many tries are left; expired or spent, it offers a new code.

Rate limits, besides each code's tries: pending bookings started per client address, codes texted
per phone (keyed by a keyed hash of the number: the limiter's storage holds no phone numbers), and
codes tried per client address. Nothing here logs what the citizen typed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import (
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
from sqlmodel import select

from delivery.collection_fields import booking_body
from delivery.collection_models import CollectionOrder
from delivery.collections import MAX_DOCUMENTS, check_collectable, parse_collection
from delivery.errors import AddressNotResolved, DomainError, LimitReached, ValidationFailed
from delivery.models import Agency, Consignment
from tracking.booking_codes import (
    SENDS_PER_BOOKING,
    BookingCode,
    CodeRefused,
    confirm_code,
    find_booking,
    phone_of,
    send_new_code,
    start_booking,
)
from tracking.phone_lookup import RateLimiter
from tracking.sms import mask_phone

from .auth import check_csrf
from .collection_form import form_errors, labels, rows_of, shown_rows, typed_rows
from .collections_api import book_and_notify, window_words
from .db import get_session
from .i18n import gettext as _
from .intake_form import check_typed_text, typed
from .jobs import redis_connection
from .outbox_push import push_outbox
from .pages import bp
from .public import in_visitor_language
from .request_text import keeps_its_form
from .serialise import tracking_url

PUBLIC_FIELDS = ("agency_code", "procedure", "name", "phone", "address", "ward_code",
                 "province_code", "candidate", "window_date", "window_from", "window_to", "note")
EMPTY_ROWS = 5
HOUR = 3600
# per hour: bookings started by one client address, codes texted to one phone, codes tried by one
# client address (each code has its own MAX_WRONG_TRIES besides)
LIMITS = {"start": 20, "phone": 3, "try": 30}
BOOKED = "collections_booked"  # the session's {pending booking token: tracking number}


def _wait(kind: str, key: str) -> int:
    """Count one ``kind`` against ``key``; seconds to wait (0: go ahead)."""
    limiters = current_app.extensions.setdefault("booking_limiters", {})
    if kind not in limiters:
        limiters[kind] = RateLimiter(LIMITS[kind], window=HOUR, redis=redis_connection())
    return limiters[kind].hit(f"booking:{kind}:{key}")


def _phone_key(phone: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, phone.encode(), hashlib.sha256).hexdigest()[:32]


def _too_many(wait: int) -> LimitReached:
    return LimitReached(_("Đã thử quá nhiều lần, vui lòng thử lại sau %(minutes)d phút",
                          minutes=-(-wait // 60)), retry_after=wait)


def _agencies() -> list[Agency]:
    return list(get_session().exec(select(Agency).order_by(Agency.name, Agency.code)).all())


def _agency(code: str) -> Agency:
    agency = get_session().exec(select(Agency).where(Agency.code == code.strip())).first()
    if agency is None:
        raise ValidationFailed({"agency_code": _("Chọn cơ quan giải quyết hồ sơ")})
    return agency


def _form_page(form: dict[str, str], errors: dict[str, str], rows: list[tuple[str, str]],
               candidates: list, status: int = 200) -> tuple[str, int]:
    return render_template("collect_new.html", agencies=_agencies(), form=form, errors=errors,
                           fields=labels(errors), rows=shown_rows(rows, EMPTY_ROWS),
                           candidates=candidates, max_documents=MAX_DOCUMENTS), status


@bp.route("/collect", methods=["GET", "POST"])
@in_visitor_language
@keeps_its_form
def collect_new() -> Response | tuple[str, int]:
    """Step 1: the booking form; kept, and a code texted, when it can be booked as it is."""
    if request.method == "GET":
        return _form_page({}, {}, [], [])
    check_csrf()
    fields = {key: request.form.get(key, "") for key in PUBLIC_FIELDS}
    rows, db = rows_of(request.form), get_session()
    try:
        if wait := _wait("start", request.remote_addr or "unknown"):
            raise _too_many(wait)
        check_typed_text(request.form)
        agency = _agency(fields["agency_code"])
        body = booking_body(fields, rows)
        booking = parse_collection(body, agency_code=agency.code)
        check_collectable(db, booking)
        pending, outbox_ids = start_booking(db, body, agency.id, booking.fingerprint)
        if outbox_ids and (wait := _wait("phone", _phone_key(booking.citizen_phone))):
            raise _too_many(wait)
        db.commit()
    except DomainError as error:
        db.rollback()
        candidates = (error.candidates if isinstance(error, AddressNotResolved)
                      else error.extra.get("candidates", []))
        return _form_page(typed(request.form), form_errors(error, rows), typed_rows(request.form),
                          candidates, 429 if isinstance(error, LimitReached) else 422)
    push_outbox(outbox_ids)
    return redirect(url_for("pages.collect_code", booking=pending.token))


def _code_page(pending: BookingCode, status: int = 200, refused: CodeRefused | None = None,
               message: str | None = None) -> tuple[str, int]:
    phone = phone_of(json.loads(pending.body)) or ""
    return render_template("collect_code.html", booking=pending.token,
                           phone=mask_phone(phone) if phone else "", refused=refused,
                           message=message, sends_left=SENDS_PER_BOOKING - pending.sends), status


def _gone(booking: str) -> Response | tuple[str, int]:
    """No pending booking at ``booking``: the booking made from it (this browser booked it a
    moment ago: a double submit), else the page that says it expired."""
    if booking in session.get(BOOKED, {}):
        return redirect(url_for("pages.collect_done", booking=booking))
    return render_template("collect_gone.html"), 404


@bp.route("/collect/<booking>", methods=["GET", "POST"])
@in_visitor_language
def collect_code(booking: str) -> Response | tuple[str, int]:
    """Step 2: the code texted to the citizen confirms the booking."""
    if request.method == "POST":
        check_csrf()
    db = get_session()
    pending = find_booking(db, booking)
    db.commit()  # an expired booking found is deleted
    if pending is None:
        return _gone(booking)
    if request.method == "GET":
        return _code_page(pending)
    if wait := _wait("try", request.remote_addr or "unknown"):
        return _code_page(pending, 429, message=_too_many(wait).detail)
    agency = db.get(Agency, pending.agency_id)
    try:
        body = confirm_code(db, pending, request.form.get("code", ""))
    except CodeRefused as refused:
        db.commit()  # the spent try stays
        return _code_page(pending, 422, refused=refused)
    if body is None:  # a concurrent request used it
        db.rollback()
        return _gone(booking)
    return _book(booking, body, agency)


def _book(booking: str, body: dict[str, Any], agency: Agency) -> Response | tuple[str, int]:
    db = get_session()
    try:
        collection = parse_collection(body, agency_code=agency.code)
        item, _created = book_and_notify(db, collection, agency, "citizen")
    except DomainError as error:
        db.rollback()
        return render_template("collect_gone.html", failed=error.detail), 422
    booked = dict(list(session.get(BOOKED, {}).items())[-4:])  # the last few are enough
    booked[booking] = item.tracking_number
    session[BOOKED] = booked
    return redirect(url_for("pages.collect_done", booking=booking))


@bp.post("/collect/<booking>/resend")
@in_visitor_language
def collect_resend(booking: str) -> Response | tuple[str, int]:
    """A new code for the pending booking (the old one stops counting)."""
    check_csrf()
    db = get_session()
    pending = find_booking(db, booking)
    db.commit()
    if pending is None:
        return _gone(booking)
    try:
        if wait := _wait("phone", _phone_key(phone_of(json.loads(pending.body)) or "")):
            raise _too_many(wait)
        outbox_ids = send_new_code(db, pending)
        db.commit()
    except LimitReached as error:
        db.rollback()
        return _code_page(pending, 429, message=error.detail)
    push_outbox(outbox_ids)
    flash(_("Đã gửi mã mới"))
    return redirect(url_for("pages.collect_code", booking=booking))


@bp.get("/collect/<booking>/done")
@in_visitor_language
def collect_done(booking: str) -> str:
    """The confirmation, for the browser that booked: the number, the window, the tracking link."""
    number = session.get(BOOKED, {}).get(booking)
    item = get_session().exec(select(Consignment).where(
        Consignment.tracking_number == number)).first() if number else None
    if item is None:
        abort(404)
    order = get_session().get(CollectionOrder, item.id)
    return render_template("collect_done.html", item=item, link=tracking_url(item),
                           window=window_words(order) if order else "")
