"""The supervisor's list of citizens' ratings (``/staff/ratings``): recent ratings of the items in
the caller's scope (delivery.access), the low ones (1-2 stars) first and marked, each linking to the
item's page with its whole timeline. Supervisors and admins."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request

from delivery.models import utcnow
from tracking.rating import LOW_STARS, ratings_in

from .auth import current_scope, require
from .db import get_session

bp = Blueprint("ratings", __name__, url_prefix="/staff")
SUPERVISORS = ("supervisor",)  # and admins
PERIODS = (7, 30, 90, 365)  # days back, as the page offers them
DEFAULT_DAYS = 30


@bp.get("/ratings")
@require(roles=SUPERVISORS)
def ratings() -> str:
    """Ratings given or changed in the last ``?days=`` (7, 30, 90 or 365; 30 otherwise)."""
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else DEFAULT_DAYS
    rows = ratings_in(get_session(), current_scope(), utcnow() - timedelta(days=days))
    return render_template("staff_ratings.html", rows=rows, days=days, periods=PERIODS,
                           low_stars=LOW_STARS,
                           low_count=sum(1 for r, _ in rows if r.stars <= LOW_STARS))
