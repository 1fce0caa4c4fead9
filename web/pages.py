"""Server-rendered pages: staff login, the counter's list, the courier's item page, the citizen's tracking."""

from __future__ import annotations

import uuid
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, session, url_for

from delivery.accounts import authenticate_user
from delivery.errors import DomainError
from delivery.lifecycle import NON_DELIVERY_REASONS, allowed_events
from delivery.lookup import get_consignment
from delivery.models import VIETNAM_TIME, Province, Ward
from tracking.timeline import find_by_token, public_view
from tracking.wording import event_label, status_label

from .auth import check_csrf, csrf_token, current_user, require
from .db import get_session
from .scanning import record_and_notify

bp = Blueprint("pages", __name__)
HOME_OF_ROLE = {"courier": "pages.courier_home", "counter": "counter.home",
                "supervisor": "counter.home", "admin": "counter.home"}
LANG_COOKIE = "lang"


def page_language() -> str:
    """URL (?lang=), then cookie, then the browser's preference; Vietnamese by default."""
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("vi", "en"):
        return chosen
    return request.accept_languages.best_match(["vi", "en"], default="vi") or "vi"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: the login form must not become an open redirect."""
    if not target or urlsplit(target).netloc or urlsplit(target).scheme or not target.startswith("/"):
        return None
    return target


@bp.get("/")
def index() -> Response:
    user = current_user()
    return redirect(url_for(HOME_OF_ROLE[user.role]) if user else url_for("pages.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if request.method == "POST":
        check_csrf()
        user = authenticate_user(get_session(), request.form.get("username", ""), request.form.get("password", ""))
        if user:
            session.clear()
            session["user_id"] = user.id
            return redirect(_safe_next(request.args.get("next")) or url_for(HOME_OF_ROLE[user.role]))
        flash("Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
    return render_template("login.html")


@bp.post("/logout")
def logout() -> Response:
    check_csrf()
    session.clear()
    return redirect(url_for("pages.login"))


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


@bp.get("/t/<token>")
def track(token: str) -> Response | tuple[str, int]:
    lang = page_language()
    consignment = find_by_token(get_session(), token)
    if consignment is None:
        return render_template("track_missing.html", lang=lang), 404
    response = Response(render_template("track.html", view=public_view(get_session(), consignment, lang), lang=lang))
    if request.args.get("lang") in ("vi", "en"):
        response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=365 * 86400, samesite="Lax")
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.filters["local_time"] = lambda value: value.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
