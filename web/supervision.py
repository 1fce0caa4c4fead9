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

bp = Blueprint("supervision", __name__, url_prefix="/staff")
SUPERVISORS = ("supervisor",)  # and admins


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
        flash(f"Chưa chuyển tuyến / not re-routed: {error.detail}")
        return _back(consignment.tracking_number)
    flash(f"Đã chuyển tuyến đến {office.code} {office.name} / re-routed to {office.code}")
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
        flash(f"Chưa chuyển bưu tá / not moved: {error.detail}")
        return _back(consignment.tracking_number)
    flash(f"Đã xếp vào tuyến của bưu tá {username} hôm nay / on {username}'s round today"
          if username else "Trả về tuyến phát / back to its beat")
    return _back(consignment.tracking_number)


@bp.get("/custody/<tracking_number>")
@require(roles=SUPERVISORS)
def custody(tracking_number: str) -> str:
    """Every hand-over of the item, who gave, who took, where, when; missing scans flagged."""
    session = get_session()
    item = get_consignment(session, tracking_number, current_scope())
    return render_template("staff_custody.html", c=item, days=HANDOVER_WORKING_DAYS,
                           custody=custody_of(session, item,
                                              utcnow().astimezone(VIETNAM_TIME).date()))
