"""Notifications in the web shell: how requests hand the notification settings to the domain, and the
supervisors' view of the outbox (backlog, failures, dead letters, redeliver).

Registered as one blueprint; registering it also installs the request hook and the after-commit push
(``init_app``), so the rest of the shell needs no other change.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, has_app_context
from sqlalchemy import event
from sqlmodel import Session

from tracking.notify import NEW_OUTBOX_IDS
from tracking.scans import OTP_REQUIRED

from .db import get_session

bp = Blueprint("outbox_admin", __name__, url_prefix="/staff")


def init_app(app: Flask) -> None:
    @app.before_request
    def notification_settings() -> None:
        # The domain reads this instead of the app's config (it never imports Flask).
        get_session().info[OTP_REQUIRED] = current_app.config["DELIVERY_OTP_REQUIRED"]


bp.record_once(lambda state: init_app(state.app))


@event.listens_for(Session, "after_commit")
def _push_new_outbox_rows(session: Session) -> None:
    """Rows written outside a scan (the "created" SMS) go to the queue once their transaction is committed."""
    if session.in_nested_transaction() or not has_app_context():
        return  # a savepoint released inside a transaction still open: wait for the real commit
    ids: list[Any] = session.info.pop(NEW_OUTBOX_IDS, [])
    if not ids:
        return
    from .scanning import send_notifications

    send_notifications(ids)
