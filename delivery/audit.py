"""The audit log: who did what, when and from where, for everything that is not itself a tracking
event.

Status changes are already kept as append-only ``TrackingEvent`` rows (actor, office, when it
happened and when it was recorded); this log holds the rest: logins (success and failure), label
prints and reprints, exports, admin actions (users, API clients, outbox redelivery), retention
runs and citizens' ratings (the stars, never the comment). Rows are only ever added.

``record_audit`` adds a row to the caller's session and never commits: the caller commits it in the
same transaction as the change it describes, so a change and its record stand or fall together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Index, func, insert
from sqlmodel import Field, Session, SQLModel, col, select

from .access import Scope, visible
from .models import Consignment, TrackingEvent, created_field, utcnow
from .vietnam_day import day_start, vietnam_date

ACTIONS = (
    "login.success", "login.failure", "login.locked", "logout",
    "label.print", "label.reprint", "export.manifest", "export.print_job",
    "user.created", "user.updated", "user.disabled", "user.enabled", "user.password_reset",
    "user.password_changed", "api_client.created", "api_client.revoked", "outbox.redeliver",
    "retention.anonymised", "consignment.reroute", "consignment.assign_courier",
    "agency.saved", "agency.secret_rotated", "office.saved", "beat.saved", "beat.deleted",
    "directory.imported", "export.directory", "export.quality",
    "rating.given", "rating.changed",
    "calendar_day.saved", "calendar_day.removed", "agency.routes_saved",
    "agency.payment_account_saved", "office.payment_account_saved",
    "consignment.due_date_changed", "reconciliation.signed", "export.reconciliation",
    "agency.channels_saved", "otp.new_code", "sms.link_resent",
)


class AuditEntry(SQLModel, table=True):
    """One audited action. ``actor`` is a reference (``user:7``, ``api:3``, ``cli``, ``system``,
    ``anonymous``) and ``actor_name`` the name it went by then (for a failed login: the name
    typed)."""

    __table_args__ = (Index("ix_auditentry_consignment_at", "consignment_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_field()
    action: str = Field(max_length=40, index=True)
    actor: str = Field(max_length=60)
    actor_name: str = Field(default="", max_length=80)
    client_address: str | None = Field(default=None, max_length=64)
    office_id: int | None = Field(default=None, foreign_key="postoffice.id")
    consignment_id: int | None = Field(default=None, foreign_key="consignment.id")
    # e.g. "api_client:demo-upstream", "outbox:5"
    subject: str | None = Field(default=None, max_length=120)
    # JSON: what else matters (format, reason, ...)
    detail: str | None = Field(default=None, max_length=2000)


@dataclass(frozen=True)
class Who:
    """Who acts and from where, as the web shell or the CLI knows it."""

    actor: str
    actor_name: str = ""
    client_address: str | None = None
    office_id: int | None = None


def record_audit(session: Session, action: str, who: Who, *, consignment_id: int | None = None,
                 subject: str | None = None, detail: dict[str, Any] | None = None) -> AuditEntry:
    """Add one audit row (no commit). Raises ValueError for an action not in ``ACTIONS`` (a typo
    would otherwise hide the row from every report that filters by action)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(action=action, actor=who.actor[:60], actor_name=who.actor_name[:80],
                       client_address=(who.client_address or None) and who.client_address[:64],
                       office_id=who.office_id, consignment_id=consignment_id,
                       subject=subject[:120] if subject else None,
                       detail=json.dumps(detail, ensure_ascii=False)[:2000] if detail else None)
    session.add(entry)
    return entry


def record_audit_per_consignment(session: Session, action: str, who: Who,
                                 details: dict[int, dict[str, Any]]) -> None:
    """The same action on many consignments (consignment id -> detail), as one multi-row insert (no
    commit): what ``record_audit`` would add for each, without building an object per row."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if not details:
        return
    at = utcnow()
    rows = [{"at": at, "action": action, "actor": who.actor[:60], "actor_name": who.actor_name[:80],
             "client_address": who.client_address, "office_id": who.office_id,
             "consignment_id": consignment_id, "subject": None,
             "detail": json.dumps(detail, ensure_ascii=False)[:2000] if detail else None}
            for consignment_id, detail in details.items()]
    session.exec(insert(AuditEntry.__table__), params=rows)


@dataclass(frozen=True)
class AuditLine:
    """One line of a consignment's audit trail: a status change (from its event) or an audited
    action."""

    at: datetime
    action: str
    actor: str
    actor_name: str
    client_address: str | None
    office_id: int | None
    detail: str | None


def consignment_trail(session: Session, consignment: Consignment) -> list[AuditLine]:
    """Everything recorded about ``consignment``, oldest first: its tracking events (status changes
    and citizens' requests, at the time they were recorded) merged with its audit rows."""
    events = session.exec(
        select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)).all()
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.consignment_id == consignment.id)).all()
    lines = [AuditLine(e.recorded_at, f"event.{e.event}", e.actor, "", e.client_address,
                       e.office_id,
                       f"{e.status_before} → {e.status_after}"
                       + (f" ({e.reason})" if e.reason else ""))
             for e in events]
    lines += [AuditLine(a.at, a.action, a.actor, a.actor_name, a.client_address, a.office_id,
                        a.detail)
              for a in entries]
    return sorted(lines, key=lambda line: line.at)


def recent_entries(session: Session, scope: Scope, action_prefix: str = "",
                   limit: int = 200) -> list[AuditEntry]:
    """The newest audit rows, optionally only those whose action starts with ``action_prefix``:
    rows about items ``scope`` sees or by staff of its offices; the rest (failed logins, admin
    actions elsewhere) only for whoever sees everything."""
    statement = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if not scope.everything:
        # about an item it sees, or done by staff of one of its offices (their logins, prints)
        statement = statement.where(
            col(AuditEntry.consignment_id).in_(select(Consignment.id).where(visible(scope)))
            | col(AuditEntry.office_id).in_(sorted(scope.office_ids)))
    if action_prefix:
        statement = statement.where(col(AuditEntry.action).startswith(action_prefix))
    return list(session.exec(statement).all())


def audited_today(session: Session, consignment_id: int, action: str) -> int:
    """How many times ``action`` was audited on the item today (Vietnam time), counted under a lock
    on the item's row, so two staff pressing at once are counted one after the other: the one
    count behind the daily caps of staff actions (a new OTP, the tracking link sent again)."""
    session.exec(select(Consignment.id).where(Consignment.id == consignment_id)
                 .with_for_update()).one()
    since = day_start(vietnam_date(utcnow())).astimezone(UTC)
    return session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.consignment_id == consignment_id, AuditEntry.action == action,
        AuditEntry.at >= since)).one()
