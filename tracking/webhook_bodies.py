"""The bodies of the webhooks to the upstream one-stop-shop system, exactly as the API's document
fixes them (README, "The upstream one-stop-shop system"; docs/collections.md, docs/at-risk.md), and
their ids: the same on every retry, so receivers deduplicate on them. Which rows carry them, and
when, is tracking.notify's business."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC
from typing import TYPE_CHECKING, Any

from delivery.at_risk import FlaggedItem
from delivery.models import Consignment, TrackingEvent
from delivery.status_model import RecordedEvent

if TYPE_CHECKING:
    from .scans import ScanTarget

_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def webhook_id(client_event_id: str) -> str:
    """The notification's id, the same on every retry:
    ``str(uuid.uuid5(NAMESPACE_URL, "event:<id>"))`` (RFC 4122 name-based, SHA-1), made without the
    UUID class, which costs more and would run for every event of a batch (bench/README.md)."""
    digest = bytearray(
        hashlib.sha1(_URL_NAMESPACE + f"event:{client_event_id}".encode()).digest()[:16]
    )
    digest[6] = digest[6] & 0x0F | 0x50  # version 5
    digest[8] = digest[8] & 0x3F | 0x80  # the RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def webhook_body(consignment: Consignment | ScanTarget,
                 event: TrackingEvent | RecordedEvent) -> dict:
    """The upstream system's notification, exactly as CONTRACT.md fixes it. Its type says what it
    is: ``consignment.status_changed`` only when the status changed; an event that leaves the status
    as it was (a second hub scan on the way) is ``consignment.event_recorded``."""
    changed = event.status_before != event.status_after
    return {
        "id": webhook_id(event.client_event_id),
        "type": "consignment.status_changed" if changed else "consignment.event_recorded",
        "occurred_at": event.occurred_at.isoformat(),
        "data": {
            "tracking_number": consignment.tracking_number,
            "dossier_code": consignment.dossier_code,
            "status": event.status_after,
            "event": event.event,
        },
    }


# A collection's events the upstream system hears of by name, besides the status change every
# event sends (CONTRACT.md "Collections"): one more webhook each, with its own id.
DOSSIER_WEBHOOKS = {"picked_up": "dossier.collected", "accepted": "dossier.collected",
                    "handed_to_agency": "dossier.handed_to_agency"}


def dossier_webhook_body(item: Consignment | ScanTarget,
                         event: TrackingEvent | RecordedEvent) -> dict[str, Any] | None:
    """The named webhook of a collection's event (``dossier.collected``: picked up at the door or
    handed in at a counter; ``dossier.handed_to_agency``), or None for other events and for
    results. Its id differs from the status change's, so a receiver deduplicating on ids keeps
    both."""
    kind = DOSSIER_WEBHOOKS.get(event.event) if item.direction == "to_agency" else None
    if kind is None:
        return None
    return {
        "id": webhook_id(f"{event.client_event_id}:{kind}"),
        "type": kind,
        "occurred_at": event.occurred_at.isoformat(),
        "data": {"tracking_number": item.tracking_number, "dossier_code": item.dossier_code,
                 "status": event.status_after, "event": event.event},
    }


def at_risk_body(item: FlaggedItem) -> dict[str, Any]:
    """The upstream system's notice that an item will miss its due date (delivery.at_risk): shaped
    as ``consignment.status_changed``, with the due date and the reason, and an ``id`` that is the
    same for every retry of one risk episode (an item is notified once per episode)."""
    return {
        "id": webhook_id(f"{item.id}:{at_risk_purpose(item)}"),
        "type": "consignment.at_risk",
        "occurred_at": item.at_risk_since.isoformat(),
        "data": {
            "tracking_number": item.tracking_number,
            "dossier_code": item.dossier_code,
            "status": item.status,
            "due_at": item.due_at.isoformat(),
            "reason": item.at_risk_reason,
        },
    }


def at_risk_purpose(item: FlaggedItem) -> str:
    # an episode is named by its start (the run that set the flag, to the microsecond)
    return f"at_risk:{item.at_risk_since.astimezone(UTC).strftime('%Y%m%dT%H%M%S%f')}"
