"""Counter staff pages: create a consignment with a live address check, search, a consignment's
page, and handover manifests. Views parse, make one domain call, commit, enqueue, render."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlmodel import col, select

from delivery.access import visible_agencies
from delivery.accounts import actor_names
from delivery.address import places_of
from delivery.collection_fields import address_of
from delivery.collection_models import CollectionOrder
from delivery.collections import checklist_of
from delivery.errors import AddressNotResolved, DomainError, ValidationFailed
from delivery.intake import body_from_fields, parse_intake
from delivery.intake_agency import agencies_for_staff, agency_for_staff
from delivery.legacy_encoding import converted_notice
from delivery.lookup import get_consignment
from delivery.manifests import (
    create_manifest,
    get_manifest,
    manifest_consignments,
    ready_for_handover,
)
from delivery.models import VIETNAM_TIME, Agency, Consignment, PostOffice, User
from delivery.printing import prints_of
from delivery.requested_date import DISPATCH_DESPITE_PICKUP, EARLY_DISPATCH
from delivery.rerouting import DESTINATION_KINDS
from delivery.search import recent_consignments, search_consignments
from tracking.handover import hand_over
from tracking.link_again import send_link_again
from tracking.money import door_money
from tracking.rating import LOW_STARS, rating_of
from tracking.timeline import events_of
from tracking.wording import event_label, reason_label, status_label

from .auth import current_actor, current_scope, require, who
from .creating import create_and_notify
from .db import get_session
from .i18n import gettext as _
from .i18n import one_language, why_refused
from .intake_form import FIELDS, check_typed_text, form_errors, typed
from .outbox_push import push_outbox
from .request_text import keeps_its_form
from .scanning import send_notifications
from .serialise import tracking_url

bp = Blueprint("counter", __name__, url_prefix="/counter")
COUNTER = ("counter", "supervisor")


@bp.app_context_processor
def wording() -> dict[str, Any]:
    return {"status_label": status_label, "event_label": event_label}


@bp.get("")
@require(roles=COUNTER)
def home() -> str:
    query = request.args.get("q", "").strip()
    found = (search_consignments(get_session(), query, current_scope()) if query
             else recent_consignments(get_session(), current_scope()))
    return render_template("counter/home.html", consignments=found, query=query)


def _form_body(form: Any) -> dict[str, Any]:
    """The intake body from the counter's form; a ward the clerk picked among candidates (by the
    page's script, or the radio itself without script) is used for routing while the address stays
    as written."""
    return {**body_from_fields(form), "address": address_of(form)}


def _staff_agencies() -> list[Agency]:
    """The agencies this user may create items for: those their office serves (all for an admin)."""
    return agencies_for_staff(get_session(), current_scope())


def _chosen_agency() -> Agency:
    """The agency chosen in the form, when this user may create items for it; raises
    ValidationFailed (a readable message) otherwise."""
    return agency_for_staff(get_session(), request.form.get("agency_code", ""), current_scope())


def _code(raw: str) -> int | None:
    """A GSO code picked on the form. ASCII digits only: str.isdigit also admits "²" and other
    scripts' digits, which int() refuses (a 500), as it refuses thousands of digits."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


@bp.route("/consignments/new", methods=["GET", "POST"])
@keeps_its_form  # a control character typed in a field is shown next to it, not on the error page
@require(roles=COUNTER)
def new() -> Response | tuple[str, int] | str:
    agencies = _staff_agencies()
    if request.method == "GET":
        return render_template("counter/new.html", agencies=agencies, form={}, errors={},
                               fields=FIELDS, candidates=[])
    session = get_session()
    try:
        check_typed_text(request.form)
        agency = _chosen_agency()
        intake = parse_intake(_form_body(request.form), agency_code=agency.code)
        consignment, created = create_and_notify(session, intake, agency)
    except DomainError as error:
        candidates = (error.candidates if isinstance(error, AddressNotResolved)
                      else error.extra.get("candidates", []))
        return render_template("counter/new.html", agencies=agencies, form=typed(request.form),
                               errors=form_errors(error), fields=FIELDS,
                               candidates=candidates), 422
    flash(_("Đã tạo bưu gửi %(number)s", number=consignment.tracking_number) if created
          else _("Hồ sơ đã có bưu gửi %(number)s", number=consignment.tracking_number))
    if intake.converted_from:  # typed in TCVN3 or VNI: the clerk sees it was converted
        flash(one_language(converted_notice(intake.converted_from)))
    return redirect(url_for("counter.show", tracking_number=consignment.tracking_number))


@bp.get("/consignments/<tracking_number>")
@require(roles=COUNTER)
def show(tracking_number: str) -> str:
    return show_page(get_consignment(get_session(), tracking_number, current_scope()))


def show_page(consignment: Consignment, **reception: object) -> str:
    """The item's page; ``reception``: what the counter's form receiving a dossier had and why it
    was refused (web/counter_reception.py), to show it again."""
    session = get_session()
    ward, province, office = places_of(session, consignment)
    events = events_of(session, consignment)
    order = session.get(CollectionOrder, consignment.id)  # None for a result
    booked_by = [order.booked_by] if order else []
    return render_template("counter/show.html", c=consignment, events=events,
                           collection=order, checklist=checklist_of(order) if order else [],
                           actors=actor_names(session, [*(e.actor for e in events), *booked_by]),
                           tracking_link=tracking_url(consignment),
                           printed=bool(prints_of(session, consignment)),
                           ward=ward, office=office, province=province,
                           agency=session.get(Agency, consignment.agency_id),
                           rating=rating_of(session, consignment), low_stars=LOW_STARS,
                           reason_label=reason_label,
                           against_request=(EARLY_DISPATCH, DISPATCH_DESPITE_PICKUP),
                           money=door_money(session, consignment) if order else None,
                           **_supervisor_choices(consignment), **reception)


@bp.post("/consignments/<tracking_number>/tracking-link")
@require(roles=COUNTER)
def resend_link(tracking_number: str) -> Response:
    """Text the recipient's tracking link again (tracking.link_again: capped per day, audited)."""
    session = get_session()
    consignment = get_consignment(session, tracking_number, current_scope())
    try:
        outbox_ids = send_link_again(session, consignment, who())
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa gửi lại: %(why)s", why=why_refused(error)))
    else:
        push_outbox(outbox_ids)
        flash(_("Đã gửi lại đường dẫn theo dõi"))
    return redirect(url_for("counter.show", tracking_number=consignment.tracking_number))


def _supervisor_choices(consignment: Consignment) -> dict[str, Any]:
    """Where a supervisor may re-route the item and whose round it may go on."""
    if current_actor().role not in ("supervisor", "admin"):
        return {}
    session = get_session()
    return {"reroute_offices": session.exec(select(PostOffice).where(
                col(PostOffice.kind).in_(DESTINATION_KINDS)).order_by(PostOffice.code)).all(),
            "couriers": session.exec(select(User).where(
                User.office_id == consignment.destination_office_id, User.role == "courier",
                User.active).order_by(User.username)).all()}


@bp.route("/manifests/new", methods=["GET", "POST"])
@require(roles=COUNTER)
def new_manifest() -> Response | str:
    session = get_session()
    agencies = session.exec(select(Agency).where(visible_agencies(current_scope()))
                            .order_by(Agency.id)).all()
    code = request.values.get("agency_code")
    agency = next((a for a in agencies if a.code == code), None) if code else (
        agencies[0] if agencies else None)
    offices = session.exec(select(PostOffice).order_by(PostOffice.code)).all()
    if request.method == "POST":
        office = session.exec(select(PostOffice).where(
            PostOffice.code == request.form.get("office_code"))).first()
        try:
            if agency is None:  # an agency code this counter does not serve
                raise ValidationFailed({"agency_code": _("chọn cơ quan")})
            if office is None:
                raise ValidationFailed({"office_code": _("chọn bưu cục nhận")})
            manifest = create_manifest(session, agency, office, request.form.getlist("n"),
                                       current_actor().ref)
            session.commit()
            return redirect(url_for("counter.manifest", number=manifest.number))
        except DomainError as error:
            session.rollback()
            flash(_("Không tạo được biên bản: %(why)s", why=why_refused(error)))
    ready = ready_for_handover(session, agency.id) if agency else []
    return render_template("counter/new_manifest.html", agency=agency, offices=offices, ready=ready,
                           agencies=agencies, chosen=set(request.values.getlist("n")))


@bp.get("/manifests/<number>")
@require(roles=COUNTER)
def manifest(number: str) -> str:
    session = get_session()
    found = get_manifest(session, number, current_scope())
    return render_template("counter/manifest.html", m=found,
                           items=manifest_consignments(session, found),
                           office=session.get(PostOffice, found.office_id),
                           to_office=(session.get(PostOffice, found.to_office_id)
                                      if found.to_office_id else None),
                           my_office_id=current_actor().office_id,
                           agency=session.get(Agency, found.agency_id))


@bp.post("/manifests/<number>/handover")
@require(roles=COUNTER)
def handover(number: str) -> Response:
    session = get_session()
    found = get_manifest(session, number, current_scope())
    actor = current_actor()
    try:
        result = hand_over(session, found, actor=actor.ref,
                           received_by=request.form.get("received_by", ""),
                           agency_signatory=request.form.get("agency_signatory", ""),
                           occurred_at=datetime.now(VIETNAM_TIME), scope=current_scope(),
                           office_id=found.office_id)
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa bàn giao: %(why)s", why=why_refused(error)))
        return redirect(url_for("counter.manifest", number=number))
    send_notifications(result.outbox_ids)
    accepted = _("Đã bàn giao %(count)s bưu gửi", count=len(result.accepted))
    flash(_("%(accepted)s; bỏ qua %(skipped)s", accepted=accepted, skipped=len(result.skipped))
          if result.skipped else accepted)
    return redirect(url_for("counter.manifest", number=number))
