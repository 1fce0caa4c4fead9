"""GET /api/v1/reports/quality (CONTRACT.md "Service quality"): the quality report as JSON, for an
API key with scope ``read`` or a supervisor's session, always within the caller's scope."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from delivery.quality_scope import QualityQuery, quality_query
from tracking.service_quality import QualityReport, quality_report

from .auth import current_scope, require
from .db import get_session
from .serialise import local_time

bp = Blueprint("quality_api", __name__, url_prefix="/api/v1")
ASKED = ("from", "to", "agency", "office", "province", "ward", "courier")


def asked_query() -> QualityQuery:
    """The period and narrowing of this request's query string, within the caller's scope;
    ValidationFailed (422) names each bad field."""
    asked = {name: request.args.get(name) for name in ASKED}
    return quality_query(get_session(), current_scope(), asked)


@bp.get("/reports/quality")
@require("read", roles=("supervisor",))
def report() -> Response:
    return jsonify(report_json(quality_report(get_session(), asked_query())))


def report_json(report: QualityReport) -> dict[str, Any]:
    """The report's JSON body (web/api_schema/report_answers.py describes it)."""
    figures, rating, period = report.figures, report.rating, report.query.period
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "volume": figures.volume, "delivered": figures.delivered, "on_time": figures.on_time,
        "late": figures.late, "without_due_date": figures.without_due_date,
        "returned": figures.returned,
        "first_attempt_success_rate": figures.first_attempt_success_rate,
        "attempts_per_delivery": figures.attempts_per_delivery,
        "failed_attempts": figures.failed_attempts,
        "failures_by_reason": {share.reason: share.count for share in figures.failures_by_reason},
        "failures_pareto": [{"reason": s.reason, "count": s.count,
                             "cumulative_share": s.cumulative_share}
                            for s in figures.failures_by_reason],
        "delivery_times": figures.delivery_times,
        "past_due_count": figures.past_due_count,
        "past_due": [{"tracking_number": item.tracking_number, "due_at": local_time(item.due_at),
                      "status": item.status, "holder_kind": item.holder_kind,
                      "holder": item.holder} for item in figures.past_due],
        "collected_vnd": figures.collected_vnd, "to_collect_vnd": figures.to_collect_vnd,
        "rating": {"count": rating.count, "average": rating.average},
        "recent_comments": [{"tracking_number": c.tracking_number, "stars": c.stars,
                             "comment": c.comment, "given_at": local_time(c.given_at)}
                            for c in rating.recent_comments],
    }
