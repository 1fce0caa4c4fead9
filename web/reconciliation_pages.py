"""The office's cash reconciliation (/staff/reconciliation): pick an office and a day (GET, so a
view is a link to share), see each courier's expected vs collected with the items that are off,
export it as XLSX, and sign the day off (POST). Figures: tracking.reconciliation; docs:
docs/reconciliation.md."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import exists, or_
from sqlmodel import col, select
from werkzeug.wrappers import Response as BaseResponse

from delivery.access import visible
from delivery.audit import record_audit
from delivery.errors import Conflict, ValidationFailed
from delivery.models import VIETNAM_TIME, Consignment, PostOffice, User
from tracking.reconciliation import (
    FLAG_LABELS,
    Reconciliation,
    reconcile,
    reconciliation_day,
    reconciliation_office,
)
from tracking.reconciliation_signoff import sign_off, signoff_of

from .auth import current_scope, current_user, require, who
from .db import get_session
from .i18n import current_language
from .i18n import gettext as _
from .reconciliation_export import reconciliation_xlsx

bp = Blueprint("reconciliation", __name__, url_prefix="/staff/reconciliation")
SUPERVISORS = ("supervisor",)  # and admins
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> date:
    return datetime.now(VIETNAM_TIME).date()


def _offices() -> list[tuple[str, str]]:
    """Delivery offices the form offers: the caller's own, and those their items go to (any other
    may be typed in the URL, and is refused as unknown when outside the scope)."""
    scope = current_scope()
    offices = select(PostOffice).where(PostOffice.kind == "delivery_office")
    if not scope.everything:
        own = sorted(scope.office_ids | scope.province_office_ids)
        goes_there = exists().where(visible(scope),
                                    col(Consignment.destination_office_id) == PostOffice.id)
        offices = offices.where(or_(col(PostOffice.id).in_(own), goes_there))
    return [(o.code, o.name) for o in get_session().exec(offices.order_by(PostOffice.code))]


def _asked(offices: list[tuple[str, str]]) -> dict[str, str]:
    """Office and day as typed (query or form); by default the caller's own office when it is a
    delivery office, or the only one offered, and today."""
    values = request.form if request.method == "POST" else request.args
    asked = {name: values.get(name, "").strip() for name in ("office", "day")}
    if "office" not in values:
        user = current_user()
        own = get_session().get(PostOffice, user.office_id) if user and user.office_id else None
        codes = [code for code, _ in offices]
        asked["office"] = own.code if own and own.code in codes else \
            codes[0] if len(codes) == 1 else ""
    asked["day"] = asked["day"] or _today().isoformat()
    return asked


def _load(asked: dict[str, str]) -> tuple[Reconciliation | None, dict[str, str]]:
    """The reconciliation asked for, or None with every field's message."""
    session, scope, errors = get_session(), current_scope(), {}
    day = office = None
    try:
        day = reconciliation_day(asked["day"], _today())
    except ValidationFailed as error:
        errors |= error.errors
    try:
        office = reconciliation_office(session, scope, asked["office"])
    except ValidationFailed as error:
        errors |= error.errors
    if errors or day is None or office is None:
        return None, errors
    return reconcile(session, scope, office, day), {}


def _render(asked: dict[str, str], offices: list[tuple[str, str]],
            reconciliation: Reconciliation | None, errors: dict[str, str],
            status: int | None = None, note: str = "") -> tuple[str, int]:
    signoff = signer = None
    days: list[tuple[str, date]] = []
    if reconciliation is not None:
        signoff = signoff_of(get_session(), reconciliation.office.id, reconciliation.day)
        signer = get_session().get(User, signoff.signed_by) if signoff else None
        days = _next_to(reconciliation.day)
    return render_template(
        "staff_reconciliation.html", asked=asked, offices=offices, errors=errors,
        reconciliation=reconciliation, signoff=signoff, signer=signer, note=note,
        flag_labels=_flag_labels(), today=_today().isoformat(), days=days,
    ), status or (422 if errors else 200)


def _flag_labels() -> dict[str, str]:
    """What each flag is called in this request's language (tracking.reconciliation names them in
    both)."""
    english = current_language() == "en"
    return {flag: en if english else vi for flag, (vi, en) in FLAG_LABELS.items()}


def _next_to(day: date) -> list[tuple[str, date]]:
    """Links to the day before and, unless ``day`` is today, the day after."""
    links = [("← " + _("Hôm trước"), day - timedelta(days=1))]
    if day < _today():
        links.append((_("Hôm sau") + " →", day + timedelta(days=1)))
    return links


@bp.get("")
@require(roles=SUPERVISORS)
def page() -> tuple[str, int]:
    offices = _offices()
    asked = _asked(offices)
    if not asked["office"]:  # first visit, nothing to choose by default: just the form
        return _render(asked, offices, None, {})
    reconciliation, errors = _load(asked)
    return _render(asked, offices, reconciliation, errors)


@bp.post("/sign-off")
@require(roles=SUPERVISORS)
def sign() -> tuple[str, int] | BaseResponse:
    """Sign the day off as its figures stand; the page again with the message when refused."""
    offices = _offices()
    asked = _asked(offices)
    reconciliation, errors = _load(asked)
    note = request.form.get("note", "")
    if reconciliation is None:
        return _render(asked, offices, None, errors, note=note)
    user, session = current_user(), get_session()
    assert user is not None and user.id is not None  # require() let a logged-in user through
    try:
        sign_off(session, reconciliation, user.id, who(), note)
    except ValidationFailed as error:
        return _render(asked, offices, reconciliation, error.errors, note=note)
    except Conflict as error:
        return _render(asked, offices, reconciliation, {"signoff": error.detail}, 409, note)
    session.commit()
    flash(_("Đã ký xác nhận đối soát"))
    return redirect(url_for(".page", **asked), 303)


@bp.get("/export.xlsx")
@require(roles=SUPERVISORS)
def export() -> tuple[str, int] | Response:
    """One row per item and a total per courier, as XLSX; the export is audited."""
    offices = _offices()
    asked = _asked(offices)
    reconciliation, errors = _load(asked)
    if reconciliation is None:
        return _render(asked, offices, None, errors)
    session = get_session()
    record_audit(session, "export.reconciliation", who(),
                 subject=f"office:{reconciliation.office.id}:{reconciliation.day}")
    session.commit()
    name = f"doi-soat-{reconciliation.office.code}-{reconciliation.day}.xlsx"
    return Response(reconciliation_xlsx(reconciliation), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
