"""Creating a consignment from any entry point (API, counter page, import): what follows a creation,
in the order it happens, as ``record_and_notify`` (web.scanning) is for scans.

1. the consignment and the SMS that texts the recipient its tracking link, in one transaction;
2. commit;
3. push the SMS to the queue (if it never gets there, the outbox sweep finds it), and ask a job to
   place the address on the map (only with a geocoder and a job queue: geocoding waits on a remote
   server and its rate limit, one request a second for Nominatim, which no request should wait for;
   without them the round is ordered by ward and street, see delivery.rounds).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlmodel import Session

from delivery.intake import IntakeRequest, create_consignment
from delivery.models import Agency, Consignment
from tracking.notify import queue_created

from .db import job_session
from .jobs import enqueue, redis_connection, runs_on
from .scanning import send_notifications


def create_and_notify(session: Session, request: IntakeRequest,
                      agency: Agency) -> tuple[Consignment, bool]:
    """Create ``agency``'s consignment for ``request`` (or find the agency's identical one: created
    False), commit, then send what follows. Domain errors propagate after the transaction is rolled
    back, leaving nothing behind."""
    try:
        consignment, created, outbox_ids = create_with_sms(session, request, agency)
        session.commit()
    except Exception:
        session.rollback()
        raise
    if created:
        after_creation([consignment.id], outbox_ids)
    return consignment, created


def create_with_sms(session: Session, request: IntakeRequest,
                    agency: Agency) -> tuple[Consignment, bool, list[int]]:
    """Step 1 alone, in the caller's transaction (no commit): for callers that commit many creations
    at once (an import) and then call ``after_creation`` with what they collected."""
    indicator = current_app.config["S10_SERVICE_INDICATOR"]
    consignment, created = create_consignment(session, request, agency, indicator=indicator)
    return consignment, created, queue_created(session, consignment) if created else []


def after_creation(consignment_ids: Iterable[int], outbox_ids: Iterable[int]) -> None:
    """Step 3, once the creations are committed: push their SMS rows and place them on the map."""
    send_notifications(outbox_ids)
    if not current_app.config["GEOCODER"].url or redis_connection() is None:
        return
    for consignment_id in consignment_ids:
        enqueue(locate_consignment, consignment_id)


@runs_on("default")
def locate_consignment(consignment_id: int) -> str:
    """The job that places a new consignment's address on the map (delivery.address.locate); safe to
    run twice."""
    from delivery.address import Geocoder, locate

    geocoder = current_app.extensions.get("geocoder")
    if geocoder is None:  # one per process: it holds the rate limit and the answer cache
        geocoder = current_app.extensions["geocoder"] = Geocoder(current_app.config["GEOCODER"])
    with job_session() as session:
        consignment = session.get(Consignment, consignment_id)
        point = locate(session, consignment, geocoder) if consignment else None
        session.commit()
    return point.source if point else "unplaced"
