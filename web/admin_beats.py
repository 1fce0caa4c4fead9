"""The admin's pages for a delivery office's beats (tuyến phát): create one, change its name, its
wards (among the office's) and its courier (among the office's couriers), delete it after a
confirmation page. The list is on the office's page (web.admin_offices).

The rules are delivery.beats'; a view parses the form, makes one call, audits (``beat.saved``,
``beat.deleted``), commits. A refused form comes back with what was typed and ticked.

A beat's code is free text (``T01``, ``Tuyến 3/A``), so it comes last in its URLs, as a path.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from delivery.audit import record_audit
from delivery.beats import BeatEntry, beat_entries, delete_beat, save_beat
from delivery.directory import find_office
from delivery.directory_fields import parse_ward_codes
from delivery.directory_lists import office_couriers, ward_names
from delivery.errors import NotFound, ValidationFailed
from delivery.models import PostOffice
from delivery.served import served_wards

from .admin_fields import DIRECTORY_FIELDS
from .admin_offices import ticked
from .auth import require, who
from .db import get_session
from .i18n import gettext as _

bp = Blueprint("admin_beats", __name__, url_prefix="/staff/offices/<office_code>/beats")
ADMIN = ("admin",)


@bp.route("/new", methods=["GET", "POST"])
@require(roles=ADMIN)
def new_beat(office_code: str) -> Response | str | tuple[str, int]:
    office = _delivery_office_or_404(office_code)
    if request.method == "GET":
        return _beat_page(office, None, {})
    return _save(office, None, request.form.get("code", ""))


@bp.route("/edit/<path:beat_code>", methods=["GET", "POST"])
@require(roles=ADMIN)
def beat(office_code: str, beat_code: str) -> Response | str | tuple[str, int]:
    office = _delivery_office_or_404(office_code)
    entry = _beat_or_404(office, beat_code)
    if request.method == "GET":
        form = {"name": entry.name, "courier": entry.courier}
        return _beat_page(office, entry, form, picked=set(entry.wards))
    return _save(office, entry, entry.code)


@bp.route("/delete/<path:beat_code>", methods=["GET", "POST"])
@require(roles=ADMIN)
def delete(office_code: str, beat_code: str) -> Response | str:
    office = _delivery_office_or_404(office_code)
    entry = _beat_or_404(office, beat_code)
    if request.method == "GET":
        return render_template("staff_beat_delete.html", office=office, beat=entry,
                               ward_names=ward_names(get_session(), entry.wards))
    db = get_session()
    if delete_beat(db, office.code, entry.code):
        record_audit(db, "beat.deleted", who(), subject=f"beat:{office.code}/{entry.code}")
        db.commit()
    flash(_("Đã xóa tuyến %(beat)s", beat=entry.code))
    return redirect(url_for("admin_offices.office", code=office.code, _anchor="beats"))


def _save(office: PostOffice, current: BeatEntry | None,
          code: str) -> Response | tuple[str, int]:
    """Save the beat as the form states it (``current`` None: a new one)."""
    db, form = get_session(), request.form
    picked = form.getlist("ward")
    try:
        entry = BeatEntry(office.code, code, form.get("name", ""),
                          parse_ward_codes(" ".join(picked)), form.get("courier", ""))
        saved = save_beat(db, entry, new=current is None)
    except ValidationFailed as error:
        return _beat_page(office, current, form, ticked(picked), error.errors), 422
    if saved.changed:
        record_audit(db, "beat.saved", who(), subject=f"beat:{office.code}/{saved.record.code}",
                     detail={"created": saved.created, "courier": entry.courier or None,
                             "wards": [f"{w:05d}" for w in sorted(entry.wards)]})
        db.commit()
    flash(_("Đã lưu tuyến %(beat)s", beat=saved.record.code) if saved.changed
          else _("Không có gì thay đổi: %(code)s", code=saved.record.code))
    return redirect(url_for("admin_offices.office", code=office.code, _anchor="beats"))


def _delivery_office_or_404(code: str) -> PostOffice:
    """The office: only a delivery office has beats."""
    office = find_office(get_session(), code)
    if office is None or office.kind != "delivery_office":
        raise NotFound(_("không có bưu cục phát mã %(code)s", code=repr(code)))
    return office


def _beat_or_404(office: PostOffice, code: str) -> BeatEntry:
    entry = next((b for b in beat_entries(get_session(), office) if b.code == code), None)
    if entry is None:
        raise NotFound(_("bưu cục %(office)s không có tuyến %(beat)s", office=office.code,
                         beat=repr(code)))
    return entry


def _beat_page(office: PostOffice, current: BeatEntry | None, form: Any,
               picked: set[int] | None = None, errors: dict[str, str] | None = None) -> str:
    db = get_session()
    wards = served_wards(db, office)
    couriers = office_couriers(db, office)
    if current and current.courier and current.courier not in couriers:
        couriers.append(current.courier)  # disabled since, or moved: shown, so saving says so
    return render_template("staff_beat.html", office=office, beat=current, form=form,
                           picked=picked or set(),
                           wards=wards, ward_names=ward_names(db, wards), couriers=couriers,
                           errors=errors or {}, fields=DIRECTORY_FIELDS)
