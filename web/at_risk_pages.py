"""The supervisor's list of items at risk of missing their due date (delivery.at_risk), within the
items they see (delivery.access)."""

from __future__ import annotations

from flask import Blueprint, render_template

from delivery.at_risk import at_risk_items, reason_label
from tracking.wording import status_label

from .auth import current_scope, require
from .db import get_session

bp = Blueprint("at_risk", __name__, url_prefix="/staff")
LIMIT = 500  # a page people read; the soonest due come first


@bp.get("/at-risk")
@require(roles=("supervisor",))  # and admins
def at_risk() -> str:
    """Items flagged by the at-risk job, soonest due first, with why and who holds them."""
    items = at_risk_items(get_session(), current_scope(), limit=LIMIT)
    return render_template("staff_at_risk.html", items=items, limit=LIMIT,
                           reason_label=reason_label, status_label=status_label)
