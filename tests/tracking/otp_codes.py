"""Reading the OTP a test's recipient was texted: from the SMS row still in the outbox (domain
tests, where nothing is sent) — the way a phone would, never from the database's hash."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from tracking.models import Outbox


def texted_otp(session: Session, consignment_id: int, template: str = "out_for_delivery") -> str:
    """The code of the newest SMS of this consignment that opened a round (``template``)."""
    rows = session.exec(select(Outbox).where(Outbox.consignment_id == consignment_id,
                                             Outbox.kind == "sms")
                        .order_by(Outbox.id.desc())).all()
    for row in rows:
        payload = json.loads(row.payload)
        if payload["template"] == template:
            return payload["otp"]
    raise AssertionError("no OTP SMS was written")
