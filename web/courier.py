"""The courier's pages (phone first):
open an item from its label's QR code and record what happened."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    session,
    url_for,
)
from sqlmodel import Session

from delivery.access import may_record_here
from delivery.address import ward_and_province_of
from delivery.at_risk import reason_label as at_risk_reason_label
from delivery.collection_models import CollectionOrder
from delivery.collections import checklist_of, window_of
from delivery.errors import DomainError
from delivery.labelling import amount_to_collect
from delivery.lookup import get_consignment
from delivery.models import VIETNAM_TIME, Consignment, PostOffice
from delivery.requested_date import EARLY_DISPATCH, against_request
from delivery.rounds import OUT, WAITING, delivery_round
from delivery.status_model import NON_DELIVERY_REASONS, TO_AGENCY, allowed_events
from tracking.door_check import DoorProof, proof_needed
from tracking.id_card import MESSAGES as ID_CARD_MESSAGES
from tracking.id_card import id_digits_check
from tracking.money import courier_day, door_money
from tracking.otp_reach import otp_reach, send_new_code
from tracking.proof_files import photo_of_visible_item, photo_path
from tracking.wording import action_label, event_label, reason_label, status_label

from .auth import SESSION_SINCE, current_actor, current_scope, current_user, require, who
from .config_channels import receipt_channels
from .db import get_session
from .i18n import gettext as _
from .i18n import one_language
from .money_view import vietqr_markup
from .outbox_push import push_outbox
from .pages import bp
from .public_lookup import citizens_to_lookup

# The courier's buttons, top to bottom: what is expected first (the primary action), then the
# alternatives, the irreversible ones last; other events (a counter's) come before these.
# A collection's events a courier does not record at its door: taking it in at a counter and
# cancelling the booking are the counter's.
NOT_AT_THE_DOOR = ("accepted", "cancelled")
ACTION_ORDER = ("picked_up", "delivered", "out_for_delivery", "held_for_pickup", "delivery_failed",
                "returned_to_agency")


@bp.app_template_global()
def login_stamp() -> str | None:
    """Which login this page is rendered under, and when: ``"<user id>:<login time>:<now, in
    ms>"`` (None when nobody is logged in). The courier's pages carry it so the phone's offline
    queue sends a scan only under the login of the courier who queued it, and knows a page of an
    earlier login when it sees one: every page rendered after a login belongs to that login
    (static/js/courier/login.js)."""
    user = current_user()
    return f"{user.id}:{session[SESSION_SINCE]}:{time.time_ns() // 1_000_000}" if user else None


@bp.app_template_global()
def new_event_id() -> str:
    """A fresh event_id for a door form: posted twice (a double tap, a reload), it is one scan."""
    return str(uuid.uuid4())


@bp.get("/courier")
@require(roles=("courier", "supervisor"))
def courier_home() -> Response | str:
    """Today's work from the courier's office: the round in visiting order, and what waits at the
    office; items at risk of missing their due date first in each, marked."""
    if number := request.args.get("n", "").strip():
        return redirect(url_for("pages.courier_item", tracking_number=number))
    db = get_session()
    office = db.get(PostOffice, current_user().office_id) if current_user().office_id else None
    work = (delivery_round(db, office, current_scope(), courier_id=current_user().id)
            if office else None)
    listed = (work.out_for_delivery + work.waiting + work.later + work.to_hold
              + [stop.item for stop in work.pickups]) if work else []
    units = _unit_names(db, listed)
    day = courier_day(db, current_actor().ref, datetime.now(VIETNAM_TIME).date())
    return render_template("courier_home.html", office=office, work=work, units=units,
                           status_label=status_label, reason_label=at_risk_reason_label,
                           collect_of=amount_to_collect, proof_of=_proof_of, day=day)


def collection_of(db: Session, consignment: Consignment) -> dict | None:
    """What the door needs of a collection: its window and checklist (None for a result)."""
    if consignment.direction != TO_AGENCY:
        return None
    order = db.get(CollectionOrder, consignment.id)
    return {"window": window_of(order), "checklist": checklist_of(order)} if order else None


def _proof_of(consignment: Consignment) -> DoorProof | None:
    """What a delivery of ``consignment`` needs at the door, while one may still happen (on the
    round: out, or waiting at the office)."""
    if consignment.status not in OUT + WAITING or consignment.direction == TO_AGENCY:
        return None
    return proof_needed(consignment, otp_required=current_app.config["DELIVERY_OTP_REQUIRED"])


def _actions(consignment: Consignment) -> list[str]:
    """The events this user may record on ``consignment`` now, the expected one first (the primary
    button: holding it for pick-up when the citizen will collect it at the office), the
    irreversible ones last."""
    events = [e for e in allowed_events(consignment.status, consignment.direction)
              if may_record_here(current_scope(), consignment, e)
              and not (consignment.direction == TO_AGENCY and e in NOT_AT_THE_DOOR
                       and current_user().role == "courier")]
    order = ACTION_ORDER
    if consignment.pickup_requested:
        order = ("held_for_pickup", *(e for e in ACTION_ORDER if e != "held_for_pickup"))
    return sorted(events, key=lambda e: order.index(e) if e in order else 0)


def _unit_names(db: Session, items: list) -> dict[int, str]:
    """"Ward, Province" for each ward code among ``items`` (one query per distinct ward)."""
    names: dict[int, str] = {}
    for code, consignment in {c.ward_code: c for c in items}.items():
        ward, province = ward_and_province_of(db, consignment)
        names[code] = f"{ward.name}, {province.name}" if ward and province else ""
    return names


@bp.get("/courier/scan")
@require(roles=("courier", "counter", "supervisor"))
def courier_scan_page() -> str:
    return render_template("courier_scan.html")


@bp.get("/courier/sw.js")
def courier_service_worker() -> Response:
    """The service worker, served under /courier/ so that it controls the courier's pages."""
    response = send_from_directory(Path(bp.root_path) / "static" / "js" / "courier", "sw.js",
                                   mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/courier/items/<tracking_number>")
@citizens_to_lookup
@require(roles=("courier", "counter", "supervisor"))
def courier_item(tracking_number: str) -> str:
    """What a courier sees after scanning a label's QR code: the item and the events allowed now."""
    return item_page(get_consignment(get_session(), tracking_number, current_scope()))


def item_page(consignment: Consignment, **pickup: object) -> str:
    """The courier's item page; ``pickup``: what the pick-up form had and why it was refused
    (web/door_pickup.py), to show it again."""
    db = get_session()
    ward, province = ward_and_province_of(db, consignment)
    today = datetime.now(VIETNAM_TIME).date()
    money = door_money(db, consignment)
    return render_template(
        "courier_item.html", c=consignment, ward=ward, province=province, money=money,
        vietqr=vietqr_markup(money.payload) if money and money.payload else None,
        events=_actions(consignment), reasons=NON_DELIVERY_REASONS, status_label=status_label,
        event_label=event_label, action_label=action_label, reason_label=reason_label,
        collect=amount_to_collect(consignment), proof=_proof_of(consignment),
        against_request=against_request(consignment, today), early_dispatch=EARLY_DISPATCH,
        id_check=id_digits_check(consignment.tracking_number, consignment.recipient_id_last4),
        reach=otp_reach(db, consignment, receipts_from=receipt_channels(current_app.config)),
        collection=collection_of(db, consignment), id_card_problems=_id_card_problems(), **pickup,
    )


def _id_card_problems() -> dict[str, str]:
    """Why the phone could not read a CCCD, by reason, in the page's language: the domain's words
    (tracking.id_card.MESSAGES, which the phone's id-card.js mirrors), for courier_id_card.html."""
    return {f"card_{reason}": one_language(text) for reason, text in ID_CARD_MESSAGES.items()}


@bp.post("/courier/items/<tracking_number>/new-code")
@require(roles=("courier", "counter", "supervisor"))
def courier_new_code(tracking_number: str) -> Response:
    """The code did not reach the recipient's phone: start a new round and text its fresh code
    (tracking.otp_reach.send_new_code; the old code was scrubbed once sent and stops counting)."""
    db = get_session()
    consignment = get_consignment(db, tracking_number, current_scope())
    try:
        outbox_ids = send_new_code(db, consignment, who())
        db.commit()
    except DomainError as error:
        db.rollback()
        flash(_("Chưa gửi mã mới: %(reason)s", reason=one_language(error.detail)))
    else:
        push_outbox(outbox_ids)
        flash(_("Đã gửi mã mới; mã cũ hết hiệu lực") if outbox_ids
              else _("Người nhận không có số di động"))
    return redirect(url_for("pages.courier_item", tracking_number=consignment.tracking_number))


@bp.get("/staff/photos/<proof_id>")
@require(roles=("counter", "supervisor"))
def proof_photo(proof_id: str) -> Response:
    """A door photo, for staff answering a citizen or checking a delivery (never public)."""
    if not photo_of_visible_item(get_session(), proof_id, current_scope()):
        abort(404, description=_("Không có ảnh này"))
    response = send_file(photo_path(Path(current_app.config["PROOF_PHOTO_DIR"]), proof_id))
    response.headers["Cache-Control"] = "private, no-store"
    return response
