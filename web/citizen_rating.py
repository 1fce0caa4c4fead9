"""The citizen's rating through the private tracking link (no login): the tracking page's form
(``POST /t/<token>/rating``) and what the JSON twin (``POST /api/v1/track/<token>/rating``, in
web/api.py) shares with it. The rules are tracking.rating's."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from flask import Response, abort, current_app, flash, redirect, request, url_for

from delivery.errors import DomainError
from tracking.models import Rating
from tracking.rating import CHANGE_DAYS, rate_delivery
from tracking.timeline import find_by_token

from .db import get_session
from .i18n import gettext as _
from .i18n import visitor_language
from .pages import bp
from .problems import status_for
from .public import in_visitor_language, page_html, request_form_token


def rating_limits() -> dict[str, int]:
    """The settings rate_delivery takes, from the app's configuration."""
    config = current_app.config
    return {"days_to_rate": config["RATING_DAYS_AFTER_DELIVERY"],
            "daily_limit": config["CITIZEN_REQUESTS_PER_DAY"]}


def rating_json(rating: Rating) -> dict[str, Any]:
    """The answer of the JSON endpoint (web.api_schema.answers.Rating)."""
    return {"stars": rating.stars, "comment": rating.comment,
            "created_at": rating.created_at.isoformat(),
            "updated_at": rating.updated_at.isoformat(),
            "changeable_until": (rating.created_at + timedelta(days=CHANGE_DAYS)).isoformat()}


def form_stars(raw: str | None) -> int | str | None:
    """The stars a form sent: its text as a number when it is one (the rule is checked by the
    domain, which refuses anything else)."""
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else raw


@bp.post("/t/<token>/rating")
@in_visitor_language
def track_rating(token: str) -> Response:
    """The rating form of the tracking page: back to the page with a thank-you; on a refusal the
    page again, with the message and what was typed (422, 409 or 429)."""
    if not hmac.compare_digest(request.form.get("csrf_token", ""), request_form_token(token)):
        abort(400, description="Phiên làm việc hết hạn, tải lại trang / "
                               "form token missing or invalid; reload")
    db = get_session()
    consignment = find_by_token(db, token)
    if consignment is None:
        abort(404)
    typed = {"stars": request.form.get("stars", ""), "comment": request.form.get("comment", "")}
    try:
        rate_delivery(db, consignment, form_stars(typed["stars"]), typed["comment"],
                      **rating_limits())
        db.commit()
    except DomainError as error:
        db.rollback()
        page = page_html(consignment, visitor_language(), token, rating_form=typed,
                         rating_error=error)
        return Response(page, status=status_for(error), mimetype="text/html")
    flash(_("Cảm ơn quý khách đã đánh giá"))
    return redirect(url_for("pages.track", token=token, _anchor="rating"))
