"""Reading the audit log (supervisors and admins) and the admin's API-client page (list, revoke).

A consignment's trail merges its tracking events (every status change: who, when, which office) with
its audit rows (label prints, exports, retention), each with the client address it came from.
Also the one helper the other views use to audit label prints,
so every print path records the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from delivery.accounts import revoke_api_client
from delivery.audit import consignment_trail, recent_entries, record_audit
from delivery.lookup import get_consignment
from delivery.models import ApiClient, Consignment, PostOffice
from delivery.print_models import LabelPrint

from .auth import current_scope, require, trusted_keys, who
from .db import get_session
from .i18n import gettext as _

bp = Blueprint("audit", __name__, url_prefix="/staff")
READERS = ("supervisor",)  # and admins, who pass every role check
# How an admin makes a new API key (web/cli.py): the page shows the command.
NEW_CLIENT_COMMAND = 'flask --app web create-api-client NAME --scopes "intake scan read"'


def audit_label_prints(session: Session, consignments: Iterable[Consignment],
                       prints: Iterable[LabelPrint] | None,
                       fmt: str, reason: str | None, print_job_id: int | None = None) -> None:
    """One audit row per label handed out (``label.reprint`` when the print record says so); with no
    print records yet (a queued background job) each row is a ``label.print`` naming the job."""
    caller = who()
    reprinted = {p.consignment_id for p in prints if p.reprint} if prints is not None else set()
    detail = {"format": fmt, "reason": reason or None, "print_job": print_job_id}
    for consignment in consignments:
        action = "label.reprint" if consignment.id in reprinted else "label.print"
        record_audit(session, action, caller, consignment_id=consignment.id,
                     detail={k: v for k, v in detail.items() if v})


@bp.get("/consignments/<tracking_number>/audit")
@require(roles=READERS)
def consignment_audit(tracking_number: str) -> str:
    session = get_session()
    consignment = get_consignment(session, tracking_number, current_scope())
    offices = {o.id: o for o in session.exec(select(PostOffice)).all()}
    return render_template("staff_audit.html", c=consignment,
                           lines=consignment_trail(session, consignment), offices=offices)


@bp.get("/audit")
@require(roles=READERS)
def audit_log() -> str:
    """The newest audit rows (logins, admin actions, prints, exports),
    optionally by action prefix."""
    prefix = request.args.get("action", "").strip()[:40]
    entries = recent_entries(get_session(), current_scope(), prefix)
    return render_template("staff_audit_log.html", entries=entries,
                           prefix=prefix)


@bp.get("/api-clients")
@require(roles=("admin",))
def api_clients() -> str:
    clients = get_session().exec(select(ApiClient).order_by(col(ApiClient.name))).all()
    return render_template("staff_api_clients.html", clients=clients,
                           command=NEW_CLIENT_COMMAND)


@bp.post("/api-clients/<row_id:client_id>/revoke")
@require(roles=("admin",))
def revoke(client_id: int) -> Response:
    session = get_session()
    client = session.get(ApiClient, client_id) or abort(404)
    revoke_api_client(session, client.name)
    record_audit(session, "api_client.revoked", who(), subject=f"api_client:{client.name}")
    session.commit()
    # at once here; other processes within API_KEY_TRUST_SECONDS
    trusted_keys().forget(client.key_hash)
    flash(_("Đã thu hồi khóa: %(client)s", client=client.name))
    return redirect(url_for("audit.api_clients"))
