"""What a supervisor changes about an item's way: re-route a missent item to another delivery
office (with the reason, on the timeline and in the audit log) and move it to another courier's
round for the day; and what they check: the item's chain of custody (delivery.custody). All act
only on items the supervisor sees (delivery.access)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlmodel import select

from delivery.audit import record_audit
from delivery.custody import HANDOVER_WORKING_DAYS, custody_of
from delivery.errors import DomainError, ValidationFailed
from delivery.lookup import get_consignment
from delivery.models import VIETNAM_TIME, PostOffice, utcnow
from delivery.rerouting import assign_courier, reroute

from .auth import current_actor, current_scope, require, who
from .db import get_session
from .i18n import gettext as _
from .i18n import one_language, pgettext, why_refused

bp = Blueprint("supervision", __name__, url_prefix="/staff")
SUPERVISORS = ("supervisor",)  # and admins


def _holders() -> dict[str, str]:
    """delivery.custody writes who holds an item as "Vietnamese / English name": each such start
    and the page's word for it."""
    return {"Công dân / citizen": _("Công dân"),
            "Cơ quan / agency": pgettext("singular", "Cơ quan"),
            "Đang chuyển / on the way": _("Đang chuyển"),
            "Người nhận / recipient": _("Người nhận")}


def custody_words(text: str) -> str:
    """A hand-over party or a missing-scan flag of delivery.custody (written in both languages)
    in this request's language, keeping the names and places it starts or ends with."""
    for both, word in _holders().items():
        if text.startswith(both):
            return word + text[len(both):]
    subject, colon, rest = text.partition(": ")
    if colon and " / " in rest and " / " not in subject:
        return f"{subject}: {one_language(rest)}"
    return one_language(text)


def _back(tracking_number: str) -> Response:
    return redirect(url_for("counter.show", tracking_number=tracking_number))


@bp.post("/consignments/<tracking_number>/reroute")
@require(roles=SUPERVISORS)
def reroute_item(tracking_number: str) -> Response:
    session = get_session()
    consignment = get_consignment(session, tracking_number, current_scope())
    before = consignment.destination_office_id
    try:
        office = session.exec(select(PostOffice).where(
            PostOffice.code == request.form.get("office_code", ""))).first()
        if office is None:
            raise ValidationFailed({"office": "chọn bưu cục / choose an office"})
        reroute(session, consignment, office, reason=request.form.get("reason", ""),
                actor=current_actor().ref, client_address=request.remote_addr)
        record_audit(session, "consignment.reroute", who(), consignment_id=consignment.id,
                     detail={"from_office": before, "to_office": office.id})
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa chuyển tuyến: %(why)s", why=why_refused(error)))
        return _back(consignment.tracking_number)
    flash(_("Đã chuyển tuyến đến %(code)s %(name)s", code=office.code, name=office.name))
    return _back(consignment.tracking_number)


@bp.post("/consignments/<tracking_number>/courier")
@require(roles=SUPERVISORS)
def move_to_courier(tracking_number: str) -> Response:
    session = get_session()
    consignment = get_consignment(session, tracking_number, current_scope())
    username = request.form.get("courier", "").strip() or None
    try:
        assign_courier(session, consignment, username)
        record_audit(session, "consignment.assign_courier", who(), consignment_id=consignment.id,
                     detail={"courier": username})
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa chuyển bưu tá: %(why)s", why=why_refused(error)))
        return _back(consignment.tracking_number)
    flash(_("Đã xếp vào tuyến của bưu tá %(courier)s hôm nay", courier=username)
          if username else _("Trả về tuyến phát"))
    return _back(consignment.tracking_number)


@bp.get("/custody/<tracking_number>")
@require(roles=SUPERVISORS)
def custody(tracking_number: str) -> str:
    """Every hand-over of the item, who gave, who took, where, when; missing scans flagged."""
    session = get_session()
    item = get_consignment(session, tracking_number, current_scope())
    return render_template("staff_custody.html", c=item, days=HANDOVER_WORKING_DAYS,
                           custody_words=custody_words,
                           custody=custody_of(session, item,
                                              utcnow().astimezone(VIETNAM_TIME).date()))
