"""The counter's manifests of collected dossiers (views of web.counter's blueprint): list the
dossiers waiting at the clerk's office and put them on a manifest to the agency or to the office
serving it, send a transfer on its way, and take any manifest with one scan of its number (or the
button on its page). Views parse, make one domain call, commit, enqueue, render."""

from __future__ import annotations

from datetime import datetime

from flask import Response, flash, redirect, render_template, request, url_for
from sqlmodel import select

from delivery.dossier_manifests import (
    TO_AGENCY_MANIFEST,
    TRANSFER,
    create_dossier_manifest,
    offices_serving,
    waiting_at,
)
from delivery.errors import DomainError, ValidationFailed
from delivery.manifest_models import Manifest
from delivery.manifests import get_manifest
from delivery.models import VIETNAM_TIME, Agency, PostOffice
from tracking.dossier_handover import dispatch, take_over
from tracking.handover import HandoverResult

from .auth import current_actor, current_scope, require
from .counter import COUNTER, bp
from .db import get_session
from .i18n import gettext as _
from .i18n import why_refused
from .scanning import send_notifications


def _my_office() -> PostOffice | None:
    office_id = current_actor().office_id
    return get_session().get(PostOffice, office_id) if office_id else None


@bp.route("/dossier-manifests/new", methods=["GET", "POST"])
@require(roles=COUNTER)
def new_dossier_manifest() -> Response | str:
    """Dossiers waiting here, to hand to the agency ("to_agency") or send on ("transfer")."""
    session, office = get_session(), _my_office()
    kind = TRANSFER if request.values.get("kind") == TRANSFER else TO_AGENCY_MANIFEST
    if request.method == "POST" and office is not None:
        to_office = (session.exec(select(PostOffice).where(
            PostOffice.code == request.form.get("to_office_code", ""))).first()
            if kind == TRANSFER else None)
        try:
            if kind == TRANSFER and to_office is None:
                raise ValidationFailed({"to_office_code": _("chọn bưu cục nhận")})
            manifest = create_dossier_manifest(session, office, request.form.getlist("n"),
                                               current_actor().ref, to_office=to_office)
            session.commit()
            return redirect(url_for("counter.manifest", number=manifest.number))
        except DomainError as error:
            session.rollback()
            flash(_("Không tạo được biên bản: %(why)s", why=why_refused(error)))
    waiting = [c for c in (waiting_at(session, office.id, kind) if office else [])
               if current_scope().admits(c)]
    agencies = {a.id: a for a in session.exec(select(Agency).where(
        Agency.id.in_({c.agency_id for c in waiting}))).all()} if waiting else {}
    return render_template("counter/new_dossier_manifest.html", office=office, kind=kind,
                           waiting=waiting, agencies=agencies,
                           to_offices=[o for o in offices_serving(session, set(agencies))
                                       if office is None or o.id != office.id],
                           chosen=set(request.values.getlist("n")))


@bp.post("/manifests/<number>/dispatch")
@require(roles=COUNTER)
def dispatch_manifest(number: str) -> Response:
    """A transfer leaves: each dossier scanned out of the sending office."""
    session = get_session()
    found = get_manifest(session, number, current_scope())
    try:
        result = dispatch(session, found, actor=current_actor().ref,
                          occurred_at=datetime.now(VIETNAM_TIME), scope=current_scope(),
                          office_id=current_actor().office_id)
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa gửi đi: %(why)s", why=why_refused(error)))
        return redirect(url_for("counter.manifest", number=found.number))
    _done(result, _("Đã gửi đi %(count)s hồ sơ", count=len(result.accepted)))
    return redirect(url_for("counter.manifest", number=found.number))


@bp.route("/manifests/scan", methods=["GET", "POST"])
@require(roles=COUNTER)
def scan_manifest() -> Response | str:
    """One scan of a manifest's number takes every item on it (tracking.dossier_handover)."""
    if request.method == "GET":
        return render_template("counter/scan_manifest.html", form={})
    session = get_session()
    try:
        found = get_manifest(session, request.form.get("number", ""), current_scope())
    except DomainError as error:
        flash(_("Không tìm thấy: %(why)s", why=why_refused(error)))
        return render_template("counter/scan_manifest.html", form=request.form), 404
    return _take(found)


@bp.post("/manifests/<number>/take")
@require(roles=COUNTER)
def take_manifest(number: str) -> Response:
    """The button on a manifest's page: the same as scanning its number."""
    return _take(get_manifest(get_session(), number, current_scope()))


def _take(found: Manifest) -> Response:
    session, actor = get_session(), current_actor()
    try:
        result = take_over(session, found, actor=actor.ref, actor_name=actor.name,
                           occurred_at=datetime.now(VIETNAM_TIME), scope=current_scope(),
                           office_id=actor.office_id,
                           agency_signatory=request.form.get("agency_signatory", ""),
                           received_by=request.form.get("received_by", ""))
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(_("Chưa nhận: %(why)s", why=why_refused(error)))
        return redirect(url_for("counter.manifest", number=found.number))
    _done(result, _("Đã nhận %(count)s hồ sơ", count=len(result.accepted)))
    return redirect(url_for("counter.manifest", number=found.number))


def _done(result: HandoverResult, done: str) -> None:
    """Sends the notifications and flashes ``done`` (how many were taken or sent) with the
    numbers skipped."""
    send_notifications(result.outbox_ids)
    flash(_("%(done)s; bỏ qua %(count)s: %(numbers)s", done=done, count=len(result.skipped),
            numbers=", ".join(result.skipped)) if result.skipped else done)
