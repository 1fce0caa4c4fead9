"""The admin's pages for postal offices (bưu cục): the list by province and kind, creating an
office, and its page: details (name, kind, province, address, hours), the wards a delivery office
(bưu cục phát) serves, picked among the official wards of its province, the agencies a counter
serves, and its beats (web.admin_beats).

The rules are delivery.directory's; a view parses the form, makes one call, audits as the CLI does
(``office.saved``), commits. Each of the office page's forms saves alone and, refused, comes back
with what was typed (or ticked) and its messages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlmodel import col, select

from delivery.audit import record_audit
from delivery.beats import beat_entries
from delivery.directory import (
    OfficeEntry,
    find_office,
    office_entry,
    save_office,
    set_counter_agencies,
    set_office_wards,
)
from delivery.directory_fields import parse_province_code, parse_ward_codes, ward_code
from delivery.directory_lists import office_couriers, office_lines, ward_choices, ward_names
from delivery.errors import NotFound, ValidationFailed
from delivery.models import Agency, PostOffice, Province

from .admin_fields import DIRECTORY_FIELDS
from .admin_users import OFFICE_KINDS
from .auth import require, who
from .db import get_session
from .i18n import gettext as _
from .payment_section import payment_context

bp = Blueprint("admin_offices", __name__, url_prefix="/staff/offices")
ADMIN = ("admin",)


@bp.get("")
@require(roles=ADMIN)
def offices() -> str:
    province, kind = _province_chosen(), request.args.get("kind", "")
    lines = office_lines(get_session(), province, kind if kind in OFFICE_KINDS else None)
    return render_template("staff_offices.html", lines=lines, provinces=_provinces(),
                           chosen={"province": province, "kind": kind}, office_kinds=OFFICE_KINDS)


@bp.route("/new", methods=["GET", "POST"])
@require(roles=ADMIN)
def new_office() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        form = {"kind": "delivery_office", "province": str(_province_chosen() or "")}
        return _new_page(form)
    db = get_session()
    try:
        saved = save_office(db, _entry(request.form, request.form.get("code", "")), new=True)
    except ValidationFailed as error:
        return _new_page(request.form, error.errors), 422
    office = saved.record
    record_audit(db, "office.saved", who(), subject=f"office:{office.code}",
                 detail={"created": True})
    db.commit()
    if office.kind == "delivery_office":
        flash(_("Đã tạo bưu cục %(code)s; hãy chọn các phường xã bưu cục phát", code=office.code))
    elif office.kind == "counter":
        flash(_("Đã tạo bưu cục %(code)s; hãy chọn các cơ quan quầy phục vụ", code=office.code))
    else:
        flash(_("Đã tạo bưu cục %(code)s", code=office.code))
    return redirect(url_for("admin_offices.office", code=office.code))


@bp.get("/<code>")
@require(roles=ADMIN)
def office(code: str) -> str:
    return _office_page(_office_or_404(code))


@bp.post("/<code>")
@require(roles=ADMIN)
def update_office(code: str) -> Response | tuple[str, int]:
    db, office = get_session(), _office_or_404(code)
    try:
        details = _entry(request.form, office.code)
        entry = replace(office_entry(db, office), name=details.name, kind=details.kind,
                        province_code=details.province_code, address=details.address,
                        hours=details.hours)
        saved = save_office(db, entry)
    except ValidationFailed as error:
        return _office_page(office, details=request.form, details_errors=error.errors), 422
    return _saved(office, saved.changed, {"created": False})


@bp.post("/<code>/wards")
@require(roles=ADMIN)
def wards(code: str) -> Response | tuple[str, int]:
    db, office = get_session(), _office_or_404(code)
    picked = request.form.getlist("ward")
    try:
        codes = parse_ward_codes(" ".join(picked))
        changed = set_office_wards(db, office, codes)
    except ValidationFailed as error:
        return _office_page(office, picked=picked, wards_errors=error.errors), 422
    return _saved(office, changed, {"wards": [f"{c:05d}" for c in sorted(codes)]})


@bp.post("/<code>/agencies")
@require(roles=ADMIN)
def agencies(code: str) -> Response | tuple[str, int]:
    db, office = get_session(), _office_or_404(code)
    picked = tuple(request.form.getlist("agency"))
    try:
        changed = set_counter_agencies(db, office, picked)
    except ValidationFailed as error:
        return _office_page(office, serving=picked, serves_errors=error.errors), 422
    return _saved(office, changed, {"serves": sorted(picked)})


def _saved(office: PostOffice, changed: bool, detail: dict[str, Any]) -> Response:
    """Audit and commit a change of the office (nothing when nothing changed); back to its
    page."""
    if changed:
        record_audit(get_session(), "office.saved", who(), subject=f"office:{office.code}",
                     detail=detail)
        get_session().commit()
    flash(_("Đã lưu bưu cục %(code)s", code=office.code) if changed
          else _("Không có gì thay đổi: %(code)s", code=office.code))
    return redirect(url_for("admin_offices.office", code=office.code))


def ticked(values: list[str]) -> set[int]:
    """The ward codes of the boxes a refused form had ticked, to tick them again (anything that
    is not a code cannot be a box)."""
    return {code for value in values if (code := ward_code(value)) is not None}


def _office_or_404(code: str) -> PostOffice:
    office = find_office(get_session(), code)
    if office is None:
        raise NotFound(_("không có bưu cục mã %(code)s", code=repr(code)))
    return office


def _entry(form: Any, code: str) -> OfficeEntry:
    """The office's details as the form states them (no wards, no agencies); raises
    ValidationFailed for a province that is not a number."""
    return OfficeEntry(code, form.get("name", ""), form.get("kind", ""),
                       parse_province_code(form.get("province", "")), form.get("address", ""),
                       form.get("hours", ""))


def _province_chosen() -> int | None:
    """The province filter of the query string; None for every province (or a malformed one)."""
    try:
        return parse_province_code(request.args.get("province", ""))
    except ValidationFailed:
        return None


def _provinces() -> list[Province]:
    return list(get_session().exec(select(Province).order_by(col(Province.code))))


def _new_page(form: Any, errors: dict[str, str] | None = None) -> str:
    return render_template("staff_office_new.html", form=form, errors=errors or {},
                           fields=DIRECTORY_FIELDS, provinces=_provinces(),
                           office_kinds=OFFICE_KINDS)


def _details_of(entry: OfficeEntry, office: PostOffice) -> dict[str, str]:
    return {"name": entry.name, "kind": office.kind, "province": str(entry.province_code),
            "address": entry.address, "hours": entry.hours}


def office_page(office: PostOffice, *, payment: dict[str, Any]) -> str:
    """The office's page with its payment account section as given (a refused form's input)."""
    return _office_page(office, payment=payment)


def _office_page(office: PostOffice, *, details: Any = None, picked: list[str] | None = None,
                 serving: tuple[str, ...] | None = None, payment: dict[str, Any] | None = None,
                 **errors: dict[str, str]) -> str:
    """The office's page; a refused form shows what was sent (``details``, ``picked`` wards,
    ``serving`` agencies) and its errors (``details_errors``, ``wards_errors``,
    ``serves_errors``)."""
    db = get_session()
    entry = office_entry(db, office)
    delivers = office.kind == "delivery_office"
    beats = beat_entries(db, office) if delivers else []
    choices = ward_choices(db, office) if delivers else []
    taken = {choice.code for choice in choices if choice.served_by}  # never shown ticked
    return render_template(
        "staff_office.html", office=office, entry=entry, fields=DIRECTORY_FIELDS,
        details=details if details is not None else _details_of(entry, office),
        picked=(ticked(picked) if picked is not None else set(entry.wards)) - taken,
        serving=set(serving if serving is not None else entry.serves), choices=choices,
        agencies=(db.exec(select(Agency).order_by(col(Agency.code))).all()
                  if office.kind == "counter" else []),
        beats=beats, ward_names=ward_names(db, {w for b in beats for w in b.wards}),
        couriers=office_couriers(db, office), provinces=_provinces(), office_kinds=OFFICE_KINDS,
        province=db.get(Province, office.province_code),
        payment=payment or (payment_context(office) if delivers else None),
        errors={name: errors.get(name, {}) for name in
                ("details_errors", "wards_errors", "serves_errors")})
