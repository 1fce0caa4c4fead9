"""The agency's monthly service quality report as PDF (/staff/quality/monthly.pdf?agency=CODE&
month=YYYY-MM): the dashboard's tables for one agency and one calendar month, within the caller's
scope, for the centre's monthly reporting; printed with labels.report_pdf."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, request
from sqlmodel import select

from delivery.audit import record_audit
from delivery.errors import ValidationFailed
from delivery.models import VIETNAM_TIME, Agency
from delivery.quality_scope import quality_query
from labels.report_pdf import ReportTable, render_report_pdf
from tracking.service_quality import quality_report

from .auth import current_actor, current_scope, require, who
from .db import get_session
from .quality_tables import bilingual_tables

bp = Blueprint("quality_pdf", __name__, url_prefix="/staff/quality")
MONTH_FORMAT = "tháng dạng YYYY-MM / a month as YYYY-MM"


def month_bounds(text: str) -> tuple[date, date]:
    """First and last day of the month ``text`` (YYYY-MM); raises ValidationFailed."""
    try:
        first = date.fromisoformat(f"{text}-01") if len(text) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise ValidationFailed({"month": MONTH_FORMAT})
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@bp.get("/monthly.pdf")
@require(roles=("supervisor",))
def monthly_pdf() -> Response:
    session, code = get_session(), request.args.get("agency", "").strip()
    if not code:
        raise ValidationFailed({"agency": "chọn cơ quan / choose an agency"})
    first, last = month_bounds(request.args.get("month", "").strip())
    query = quality_query(session, current_scope(), {"from": first.isoformat(),
                                                     "to": last.isoformat(), "agency": code})
    report = quality_report(session, query)
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    record_audit(session, "export.quality", who(), subject=f"monthly.pdf {code} {first:%Y-%m}")
    session.commit()
    printed = datetime.now(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")
    body = render_report_pdf(
        f"Báo cáo chất lượng dịch vụ tháng {first:%m/%Y} / Service quality, {first:%B %Y}",
        [f"Cơ quan / Agency: {agency.name} ({agency.code})",
         f"Kỳ / Period: {first:%d/%m/%Y} – {last:%d/%m/%Y} (giờ Việt Nam / Vietnam time)",
         f"In lúc / Printed {printed} bởi / by {current_actor().name}",
         "Định nghĩa các chỉ tiêu / Definitions: docs/quality.md"],
        [ReportTable(t.title, t.headers, t.rows) for t in bilingual_tables(report).values()],
        author="Bưu điện · Kết quả TTHC")
    name = f"bao-cao-chat-luong-{code}-{first:%Y-%m}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
