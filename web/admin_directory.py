"""The admin's directory pages for agencies (cơ quan) and the coverage report: list the agencies,
create one, change it, rotate its webhook secret; see per province where the directory leaves
gaps. Offices and beats are in web.admin_offices and web.admin_beats.

The rules are delivery.directory's; a view parses the form, makes one call, audits as the CLI
does (``agency.saved``, ``agency.secret_rotated``), commits. A refused form comes back with what was
typed and each message under its field. A webhook secret is shown once, on the page that answers
the POST which made it, and never put in the session (a signed cookie, readable by its holder) or
in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import col, select

from delivery.audit import record_audit
from delivery.coverage import coverage_report
from delivery.directory import (
    AGENCY_SETTINGS,
    AgencyEntry,
    agency_entry,
    find_agency,
    rotate_webhook_secret,
    save_agency,
)
from delivery.directory_fields import parse_count, parse_province_code
from delivery.directory_lists import agency_lines
from delivery.errors import NotFound, ValidationFailed
from delivery.models import Agency, Province
from delivery.served import SHOWN

from .admin_fields import DIRECTORY_FIELDS
from .auth import require, who
from .calendar_section import calendar_context
from .db import get_session
from .i18n import gettext as _
from .payment_section import payment_context

bp = Blueprint("admin_directory", __name__, url_prefix="/staff")
ADMIN = ("admin",)
# A new agency's form starts with the defaults a new agency gets.
NEW_AGENCY = {"attempt_limit": "2", "return_within_days": "5", "pickup_hold_days": "7"}


@bp.get("/agencies")
@require(roles=ADMIN)
def agencies() -> str:
    return render_template("staff_agencies.html", lines=agency_lines(get_session()))


@bp.route("/agencies/new", methods=["GET", "POST"])
@require(roles=ADMIN)
def new_agency() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return _agency_page(None, NEW_AGENCY)
    db = get_session()
    try:
        saved = save_agency(db, _agency_entry(request.form, request.form.get("code", "")),
                            new=True)
    except ValidationFailed as error:
        return _agency_page(None, request.form, error.errors), 422
    record_audit(db, "agency.saved", who(), subject=f"agency:{saved.record.code}",
                 detail={"created": True})
    db.commit()
    return _secret_page(saved.record, saved.webhook_secret or "", created=True)


@bp.get("/agencies/<code>")
@require(roles=ADMIN)
def agency(code: str) -> str:
    agency = _agency_or_404(code)
    return _agency_page(agency, _form_of(agency_entry(agency)))


@bp.post("/agencies/<code>")
@require(roles=ADMIN)
def update_agency(code: str) -> Response | tuple[str, int]:
    db, agency = get_session(), _agency_or_404(code)
    try:
        saved = save_agency(db, _agency_entry(request.form, agency.code))
    except ValidationFailed as error:
        return _agency_page(agency, request.form, error.errors), 422
    if saved.changed:
        record_audit(db, "agency.saved", who(), subject=f"agency:{agency.code}",
                     detail={"created": False})
        db.commit()
    if saved.webhook_secret:  # it had none (made before secrets were given): shown once now
        return _secret_page(agency, saved.webhook_secret, created=False)
    flash(_("Đã lưu cơ quan %(code)s", code=agency.code) if saved.changed
          else _("Không có gì thay đổi: %(code)s", code=agency.code))
    return redirect(url_for("admin_directory.agencies"))


@bp.post("/agencies/<code>/webhook-secret")
@require(roles=ADMIN)
def rotate_secret(code: str) -> Response:
    db, agency = get_session(), _agency_or_404(code)
    if request.form.get("confirm") != "yes":
        flash(_("Chưa đổi khóa: hãy đánh dấu ô xác nhận"))
        return redirect(url_for("admin_directory.agency", code=agency.code))
    secret = rotate_webhook_secret(db, agency.code)
    record_audit(db, "agency.secret_rotated", who(), subject=f"agency:{agency.code}")
    db.commit()
    return _secret_page(agency, secret, created=False)


@bp.get("/coverage")
@require(roles=ADMIN)
def coverage() -> str:
    db = get_session()
    chosen = request.args.get("province", "")
    try:
        province = parse_province_code(chosen)
    except ValidationFailed:
        province = None
    report = coverage_report(db, province)
    provinces = db.exec(select(Province).order_by(col(Province.code))).all()
    return render_template("staff_coverage.html", report=report, provinces=provinces,
                           chosen=province, shown=SHOWN, complete=[e for e in report if e.complete],
                           gaps=[e for e in report if not e.complete])


def _agency_or_404(code: str) -> Agency:
    agency = find_agency(get_session(), code)
    if agency is None:
        raise NotFound(_("không có cơ quan mã %(code)s", code=repr(code)))
    return agency


def _agency_entry(form: Any, code: str) -> AgencyEntry:
    """The agency as the form states it; raises ValidationFailed for the province or a setting
    that is not a number."""
    errors: dict[str, str] = {}
    province = _parsed(errors, parse_province_code, form.get("province", ""))
    settings = {setting: _parsed(errors, partial(parse_count, field=setting),
                                 form.get(setting, "")) for setting in AGENCY_SETTINGS}
    if errors:
        raise ValidationFailed(errors)
    return AgencyEntry(code, form.get("name", ""), province,
                       form.get("webhook_url", "").strip() or None, **settings)


def _parsed(errors: dict[str, str], parse: Callable[[str], int | None], typed: str) -> int | None:
    try:
        return parse(typed)
    except ValidationFailed as error:
        errors.update(error.errors)
        return None


def _form_of(entry: AgencyEntry) -> dict[str, str]:
    values = {"code": entry.code, "name": entry.name, "webhook_url": entry.webhook_url or "",
              "province": str(entry.province_code or "")}
    return values | {setting: str(getattr(entry, setting) or "") for setting in AGENCY_SETTINGS}


def agency_page(agency: Agency, calendar: dict[str, Any] | None = None,
                payment: dict[str, Any] | None = None) -> str:
    """The agency's page with its calendar or payment section as given (a refused form's input)."""
    return _agency_page(agency, _form_of(agency_entry(agency)), calendar=calendar, payment=payment)


def _agency_page(agency: Agency | None, form: Any, errors: dict[str, str] | None = None, *,
                 calendar: dict[str, Any] | None = None,
                 payment: dict[str, Any] | None = None) -> str:
    provinces = get_session().exec(select(Province).order_by(col(Province.code))).all()
    if agency is not None and calendar is None:
        calendar = calendar_context(agency)
    return render_template("staff_agency.html", agency=agency, form=form, errors=errors or {},
                           fields=DIRECTORY_FIELDS, provinces=provinces,
                           settings=AGENCY_SETTINGS, calendar=calendar,
                           payment=payment or (payment_context(agency) if agency else None))


def _secret_page(agency: Agency, secret: str, *, created: bool) -> Response:
    """The one page that ever shows this secret: not cached, not kept by the browser's history
    cache."""
    response = make_response(render_template("staff_agency_secret.html", agency=agency,
                                             secret=secret, created=created),
                             201 if created else 200)
    response.headers["Cache-Control"] = "no-store"
    return response
