"""The supervisor's quality dashboard (/staff/quality): a period and scope form (GET, so a view is
a link to share), the figures of tracking.service_quality with server-drawn SVG charts, and every
table as CSV or XLSX; the agency's monthly report as PDF. Definitions: docs/quality.md."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup
from sqlmodel import col, select

from delivery.access import visible_agencies
from delivery.audit import record_audit
from delivery.errors import ValidationFailed
from delivery.models import VIETNAM_TIME, Agency, PostOffice
from delivery.quality_scope import quality_query
from tracking.message_costs import message_costs
from tracking.service_quality import QualityReport, quality_report
from tracking.wording import reason_label

from . import charts
from .auth import current_scope, require, who
from .db import get_session
from .i18n import current_language
from .i18n import gettext as _
from .quality_api import ASKED
from .quality_exports import csv_file, xlsx_file
from .quality_tables import BUCKET_LABELS, bilingual_tables, dashboard_tables

bp = Blueprint("quality", __name__, url_prefix="/staff/quality")
SUPERVISORS = ("supervisor",)  # and admins
EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _asked() -> dict[str, str]:
    """The form's values as typed; the period defaults to this month so far (Vietnam time)."""
    today = datetime.now(VIETNAM_TIME).date()
    asked = {name: request.args.get(name, "").strip() for name in ASKED}
    if not request.args.get("from") and not request.args.get("to"):
        asked["from"], asked["to"] = today.replace(day=1).isoformat(), today.isoformat()
    return asked


def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Agencies and offices the form offers: those the caller acts for or belongs to (any other
    may still be typed in the URL, and is refused as unknown when outside the scope)."""
    session, scope = get_session(), current_scope()
    agencies = session.exec(select(Agency).where(visible_agencies(scope))
                            .order_by(Agency.code)).all()
    offices = select(PostOffice).where(PostOffice.kind == "delivery_office")
    if not scope.everything:
        offices = offices.where(col(PostOffice.id).in_(
            sorted(scope.office_ids | scope.province_office_ids)))
    offices = session.exec(offices.order_by(PostOffice.code)).all()
    return [(a.code, a.name) for a in agencies], [(o.code, o.name) for o in offices]


@bp.get("")
@require(roles=SUPERVISORS)
def dashboard() -> tuple[str, int]:
    asked = _asked()
    agencies, offices = _choices()
    try:
        query = quality_query(get_session(), current_scope(), asked)
    except ValidationFailed as error:
        return render_template("staff_quality.html", asked=asked, errors=error.errors,
                               agencies=agencies, offices=offices, report=None), 422
    report = quality_report(get_session(), query)
    tables = dashboard_tables(report, message_costs(get_session(), query))
    return render_template("staff_quality.html", asked=asked, errors={}, agencies=agencies,
                           offices=offices, report=report, tables=tables,
                           charts=_charts(report)), 200


def _charts(report: QualityReport) -> dict[str, Markup]:
    figures = report.figures
    return {
        "on_time": charts.split(_("Đúng hạn và trễ hạn"), [
            (_("Đúng hạn"), figures.on_time, charts.GOOD),
            (_("Trễ hạn"), figures.late, charts.BAD),
            (_("Không có hạn phát"), figures.without_due_date, charts.GRID)]),
        "outcomes": charts.bars(_("Kết quả trong kỳ"), [
            (_("Phát thành công"), figures.delivered),
            (_("Lần phát không thành công"), figures.failed_attempts),
            (_("Chuyển hoàn"), figures.returned)]),
        "failures": charts.pareto(_("Lý do phát không thành công"), [
            (reason_label(s.reason, current_language()), s.count, s.cumulative_share)
            for s in figures.failures_by_reason]),
        "delivery_times": charts.histogram(_("Thời gian từ khi tạo đến khi phát"),
                                           [(str(BUCKET_LABELS[k]), n)
                                            for k, n in figures.delivery_times.items()]),
        "ratings": charts.bars(_("Đánh giá theo số sao"), [
            (f"{stars} ★", count) for stars, count in sorted(report.rating.by_stars.items(),
                                                              reverse=True)]),
    }


@bp.get("/export/<table>.<kind>")
@require(roles=SUPERVISORS)
def export(table: str, kind: str) -> Response:
    """One table as CSV or XLSX, or every table (``all``) as one workbook, for the form's query."""
    if kind not in EXPORTS or (kind == "csv" and table == "all"):
        abort(404)
    session = get_session()
    query = quality_query(session, current_scope(), _asked())
    tables = bilingual_tables(quality_report(session, query), message_costs(session, query))
    if table != "all" and table not in tables:
        abort(404)
    chosen = list(tables.values()) if table == "all" else [tables[table]]
    record_audit(session, "export.quality", who(), subject=f"{table}.{kind}",
                 detail={"from": query.period.first.isoformat(),
                         "to": query.period.last.isoformat()})
    session.commit()
    body = csv_file(chosen[0]) if kind == "csv" else xlsx_file(chosen)
    name = f"chat-luong-{table}-{query.period.first}-{query.period.last}.{kind}"
    return Response(body, mimetype=EXPORTS[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
