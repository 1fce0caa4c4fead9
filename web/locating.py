"""New consignments are placed on the map in the background, whatever created them (API, counter, import).

Only with a geocoder (GEOCODER_URL) and a job queue (REDIS_URL): geocoding waits on a remote server and its
rate limit (one request a second for Nominatim), which no request should wait for. Without them the round is
ordered by ward and street (see delivery.rounds).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlmodel import Session

from delivery.models import Consignment

from .jobs import enqueue, redis_connection

NEW_CONSIGNMENTS = "new_consignment_ids"  # session.info key: consignments to place once committed


@event.listens_for(Consignment, "after_insert")
def _note_new_consignment(_mapper: Any, _connection: Any, consignment: Consignment) -> None:
    session = Session.object_session(consignment)
    if session is not None:
        session.info.setdefault(NEW_CONSIGNMENTS, []).append(consignment.id)


@event.listens_for(Session, "after_rollback")
def _forget_new_consignments(session: Session) -> None:
    session.info.pop(NEW_CONSIGNMENTS, None)


@event.listens_for(Session, "after_commit")
def _locate_new_consignments(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released inside a transaction still open: wait for the real commit
    ids = session.info.pop(NEW_CONSIGNMENTS, [])
    if not ids or not has_app_context() or not current_app.config["GEOCODER"].url or redis_connection() is None:
        return
    from .tasks import locate_consignment

    for consignment_id in ids:
        enqueue(locate_consignment, consignment_id)
