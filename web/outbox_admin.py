"""The supervisors' view of the outbox (backlog, failures, dead letters, redeliver) and of citizens'
open requests."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)

from delivery.audit import record_audit
from tracking.models import Outbox
from tracking.outbox import redeliver
from tracking.outbox_report import (
    attempts_of,
    channel_summary,
    open_requests,
    rows_in,
    sends_of,
    summary,
    visible_outbox_row,
)

from .auth import current_scope, current_user, require, who
from .db import get_session
from .i18n import gettext as _
from .i18n import lazy_gettext

bp = Blueprint("outbox_admin", __name__, url_prefix="/staff")


SUPERVISORS = ("supervisor",)
CHANNEL_NAMES = {"sms": "SMS", "zns": "Zalo ZNS"}  # product names, the same in every language
STATE_NAMES = {"pending": lazy_gettext("Chờ gửi"), "sending": lazy_gettext("Đang gửi"),
               "sent": lazy_gettext("Đã gửi"), "dead": lazy_gettext("Thư chết")}


def _queue_sizes() -> dict[str, int] | None:
    """Jobs waiting in RQ (None without Redis, or when it is down:
    the outbox figures still tell the truth)."""
    from redis.exceptions import RedisError
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    from .jobs import queue, redis_connection

    if redis_connection() is None:
        return None
    try:
        notifications = queue("notifications")
        return {"queued": notifications.count,
                "scheduled": ScheduledJobRegistry(queue=notifications).count,
                "failed": FailedJobRegistry(queue=notifications).count}
    except RedisError:
        return None


@bp.get("/outbox")
@require(roles=SUPERVISORS)
def outbox() -> str:
    session = get_session()
    stuck_after = timedelta(seconds=current_app.config["OUTBOX_STUCK_AFTER_SECONDS"])
    scope = current_scope()
    return render_template("staff_outbox.html", summary=summary(session, stuck_after),
                           queues=_queue_sizes(), channels=channel_summary(session),
                           channel_names=CHANNEL_NAMES, state_names=STATE_NAMES,
                           failing=rows_in(session, failing=True, scope=scope),
                           dead=rows_in(session, failing=False, scope=scope))


@bp.get("/outbox/<row_id:outbox_id>")
@require(roles=SUPERVISORS)
def outbox_row(outbox_id: int) -> str:
    """One row's attempts (never its payload: it holds a phone number and maybe an OTP)."""
    row = visible_outbox_row(get_session(), outbox_id, current_scope()) or abort(404)
    return render_template("staff_outbox_row.html", row=row,
                           attempts=attempts_of(get_session(), outbox_id),
                           sends=sends_of(get_session(), outbox_id), channel_names=CHANNEL_NAMES,
                           state_names=STATE_NAMES)


@bp.post("/outbox/<row_id:outbox_id>/redeliver")
@require(roles=SUPERVISORS)
def redeliver_row(outbox_id: int) -> Response:
    session = get_session()
    if visible_outbox_row(session, outbox_id, current_scope()) is None:
        abort(404)
    if redeliver(session, outbox_id):
        row = session.get(Outbox, outbox_id)
        record_audit(session, "outbox.redeliver", who(),
                     consignment_id=row.consignment_id if row else None,
                     subject=f"outbox:{outbox_id}")
        session.commit()
        from .scanning import send_notifications

        send_notifications([outbox_id])
        flash(_("Đã xếp hàng gửi lại thông báo #%(id)s", id=outbox_id))
    else:
        flash(_("Không gửi lại được thông báo #%(id)s (đang gửi hoặc đã gửi)", id=outbox_id))
    return redirect(url_for("outbox_admin.outbox"))


@bp.get("/requests")
@require(roles=("courier", "counter", "supervisor"))
def citizen_requests() -> str:
    """What citizens asked for, for the courier (their office's items) and the office (all)."""
    user = current_user()
    office_id = user.office_id if user.role == "courier" else None
    return render_template("staff_requests.html",
                           consignments=open_requests(get_session(), current_scope(), office_id))
