"""Twelve requests from one tracking link at once, with a cap of three a day, on SQLite and on
PostgreSQL: exactly three are stored, whatever the interleaving (the item's row is locked before
the day's requests are counted)."""

from __future__ import annotations

import threading

from sqlmodel import Session, select

from delivery.models import TrackingEvent
from tests.conftest import API_KEY
from tests.web.public_helpers import create_item, page_csrf

AT_ONCE, CAP = 12, 3


def test_it_stores_exactly_the_daily_cap_of_requests_sent_at_once(backend_app):
    backend_app.config["CITIZEN_REQUESTS_PER_DAY"] = CAP
    client = backend_app.test_client()
    _, token = create_item(client, {"Authorization": f"Bearer {API_KEY}"})
    csrf, start = page_csrf(client, token), threading.Barrier(AT_ONCE)
    codes = [0] * AT_ONCE

    def ask(i: int) -> None:
        own = backend_app.test_client()
        start.wait()
        codes[i] = own.post(f"/t/{token}/requests",
                            data={"csrf_token": csrf, "kind": "pickup"}).status_code

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with Session(backend_app.extensions["db_engine"]) as db:
        stored = db.exec(select(TrackingEvent).where(TrackingEvent.actor == "citizen")).all()
    assert codes == [302] * AT_ONCE and len(stored) == CAP
