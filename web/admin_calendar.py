"""The working calendar's section of the admin's agency page: transit days by route and the
agency's ward (delivery.due_dates), the agency's own days off and make-up working days
(delivery.calendar), and the button that recomputes open items' due dates.

Saving the calendar or the settings moves no stored due date; only the recompute button does, with
a ``due_date_changed`` event and an audit row per item. A refused form comes back on the agency
page with what was typed and each message under its field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for

from delivery.audit import record_audit
from delivery.calendar import parse_day, remove_calendar_day, save_calendar_day
from delivery.directory_fields import parse_count
from delivery.due_dates import (
    TRANSIT_SETTINGS,
    RouteSettings,
    recompute_due_dates,
    route_settings_of,
    save_route_settings,
)
from delivery.errors import ValidationFailed
from delivery.lookup import get_agency
from delivery.models import Agency

from .admin_directory import agency_page
from .auth import require, who
from .calendar_section import calendar_context
from .db import get_session
from .i18n import gettext as _
from .i18n import ngettext

bp = Blueprint("admin_calendar", __name__, url_prefix="/staff/agencies")
ADMIN = ("admin",)


def _page_again(agency: Agency, **refused: Any) -> tuple[str, int]:
    return agency_page(agency, calendar=calendar_context(agency, **refused)), 422


def _settings(form: Any) -> RouteSettings:
    errors: dict[str, str] = {}
    values: dict[str, int | None] = {}
    for name in (*TRANSIT_SETTINGS.values(), "ward_code"):
        try:
            values[name] = parse_count(form.get(name, ""), field=name)
        except ValidationFailed as error:
            errors.update(error.errors)
        if values.get(name) is None and name != "ward_code" and name not in errors:
            errors[name] = _("bắt buộc")
    if errors:
        raise ValidationFailed(errors)
    return RouteSettings(**values)  # type: ignore[arg-type]


@bp.post("/<code>/routes")
@require(roles=ADMIN)
def save_routes(code: str) -> Response | tuple[str, int]:
    db, agency = get_session(), get_agency(get_session(), code)
    try:
        changed = save_route_settings(db, agency, _settings(request.form))
    except ValidationFailed as error:
        db.rollback()
        return _page_again(agency, routes_form=request.form, routes_errors=error.errors)
    if changed:
        record_audit(db, "agency.routes_saved", who(), subject=f"agency:{agency.code}",
                     detail=route_settings_of(agency).__dict__)
        db.commit()
    flash(_("Đã lưu thời hạn phát; hạn phát đã có giữ nguyên") if changed
          else _("Không có gì thay đổi"))
    return redirect(url_for("admin_directory.agency", code=agency.code))


@bp.post("/<code>/calendar")
@require(roles=ADMIN)
def save_day(code: str) -> Response | tuple[str, int]:
    db, agency = get_session(), get_agency(get_session(), code)
    form = request.form
    try:
        day = parse_day(form.get("day", ""))
        if form.get("working") not in ("off", "working"):
            raise ValidationFailed({"working": _("chọn nghỉ hoặc làm bù")})
        entry, changed = save_calendar_day(db, agency, day, form["working"] == "working",
                                           form.get("note", ""))
    except ValidationFailed as error:
        db.rollback()
        return _page_again(agency, day_form=form, day_errors=error.errors)
    if changed:
        record_audit(db, "calendar_day.saved", who(), subject=f"agency:{agency.code}",
                     detail={"day": day.isoformat(), "working": entry.working,
                             "note": entry.note})
        db.commit()
    flash(_("Đã lưu ngày %(day)s; hạn phát đã có giữ nguyên", day=day.strftime("%d/%m/%Y")))
    return redirect(url_for("admin_directory.agency", code=agency.code))


@bp.post("/<code>/calendar/<day>/remove")
@require(roles=ADMIN)
def remove_day(code: str, day: str) -> Response:
    db, agency = get_session(), get_agency(get_session(), code)
    when = parse_day(day)
    if remove_calendar_day(db, agency, when):
        record_audit(db, "calendar_day.removed", who(), subject=f"agency:{agency.code}",
                     detail={"day": when.isoformat()})
        db.commit()
    flash(_("Đã xóa ngày %(day)s", day=when.strftime("%d/%m/%Y")))
    return redirect(url_for("admin_directory.agency", code=agency.code))


@bp.post("/<code>/due-dates")
@require(roles=ADMIN)
def recompute(code: str) -> Response:
    db, agency = get_session(), get_agency(get_session(), code)
    moved = recompute_due_dates(db, agency, who())
    db.commit()
    flash(ngettext("Đã tính lại: %(num)d bưu gửi đổi hạn phát, mỗi bưu gửi có sự kiện ghi lại",
                   "Đã tính lại: %(num)d bưu gửi đổi hạn phát, mỗi bưu gửi có sự kiện ghi lại",
                   len(moved)))
    return redirect(url_for("admin_directory.agency", code=agency.code))
