"""What staff read about notifications: the outbox backlog, failing rows, dead letters and each
row's attempts, and the citizens' open requests for the courier and the office.
Read-only queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from delivery.access import Scope, visible
from delivery.models import Consignment, utcnow
from delivery.status_model import REQUESTS_CLOSED_IN

from .channel_models import MessageSend
from .models import DeliveryAttempt, Outbox


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[tuple[str, str], int]  # (kind, state) -> rows
    due_now: int  # pending rows whose time has come: the backlog a worker should be eating
    oldest_due: timedelta | None
    stuck: int  # claimed longer than the timeout: a worker probably died


def summary(session: Session, stuck_after: timedelta, now: datetime | None = None) -> OutboxSummary:
    now = now or utcnow()
    counts = {(kind, state): n for kind, state, n in session.exec(
        select(Outbox.kind, Outbox.state, func.count()).group_by(Outbox.kind, Outbox.state)).all()}
    due = (Outbox.state == "pending") & (Outbox.next_attempt_at.is_(None)
                                         | (Outbox.next_attempt_at <= now))
    due_now = session.exec(select(func.count()).select_from(Outbox).where(due)).one()
    oldest = session.exec(select(func.min(Outbox.created_at)).where(due)).one()
    stuck = session.exec(select(func.count()).select_from(Outbox).where(
        Outbox.state == "sending", Outbox.claimed_at <= now - stuck_after)).one()
    oldest_at = (oldest.replace(tzinfo=now.tzinfo) if oldest is not None and oldest.tzinfo is None
                 else oldest)
    return OutboxSummary(counts, due_now, now - oldest_at if oldest_at else None, stuck)


def channel_summary(session: Session, since: timedelta = timedelta(hours=24),
                    now: datetime | None = None) -> dict[tuple[str, str], int]:
    """(channel, answer or receipt) -> sends in the last ``since``: how many each provider took,
    refused or found no account for, and how many receipts said delivered or failed."""
    after = (now or utcnow()) - since
    recent = col(MessageSend.sent_at) >= after
    answers = session.exec(select(MessageSend.channel, MessageSend.outcome, func.count())
                           .where(recent).group_by(MessageSend.channel, MessageSend.outcome)).all()
    receipts = session.exec(select(MessageSend.channel, MessageSend.receipt, func.count())
                            .where(recent, col(MessageSend.receipt).is_not(None))
                            .group_by(MessageSend.channel, MessageSend.receipt)).all()
    return {(channel, key): n for channel, key, n in (*answers, *receipts)}


def rows_in(session: Session, *, failing: bool, scope: Scope,
            limit: int = 100) -> list[tuple[Outbox, str | None]]:
    """Dead letters (``failing=False``) or rows still retrying after a failure, newest first, with
    the consignment's tracking number; only rows of items ``scope`` sees (rows of no item: only
    for whoever sees everything)."""
    where = ((Outbox.state == "pending") & (Outbox.attempts > 0) if failing
             else Outbox.state == "dead")
    return list(session.exec(
        select(Outbox, Consignment.tracking_number).join(Consignment, isouter=True)
        .where(where, visible(scope))
        .order_by(col(Outbox.id).desc()).limit(limit)
    ).all())


def visible_outbox_row(session: Session, outbox_id: int, scope: Scope) -> Outbox | None:
    """The row when it concerns an item ``scope`` sees; None otherwise (as for no row)."""
    return session.exec(select(Outbox).join(Consignment, isouter=True)
                        .where(Outbox.id == outbox_id, visible(scope))).first()


def attempts_of(session: Session, outbox_id: int) -> list[DeliveryAttempt]:
    return list(session.exec(select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id)
                             .order_by(DeliveryAttempt.id)).all())


def sends_of(session: Session, outbox_id: int) -> list[MessageSend]:
    """A message's sends, one per channel tried, with the provider's answer, receipt and price."""
    return list(session.exec(select(MessageSend).where(MessageSend.outbox_id == outbox_id)
                             .order_by(MessageSend.id)).all())


def open_requests(session: Session, scope: Scope, office_id: int | None = None,
                  limit: int = 200) -> list[Consignment]:
    """Items ``scope`` sees, still to deliver, for which the citizen asked something (another date,
    pick-up, instructions); only those of ``office_id`` when given (a courier's own office)."""
    query = select(Consignment).where(
        visible(scope),
        col(Consignment.status).not_in(REQUESTS_CLOSED_IN),
        Consignment.requested_date.is_not(None) | Consignment.pickup_requested
        | Consignment.delivery_instructions.is_not(None),
    )
    if office_id is not None:
        query = query.where(Consignment.destination_office_id == office_id)
    return list(session.exec(
        query.order_by(Consignment.requested_date, Consignment.id).limit(limit)
    ).all())
