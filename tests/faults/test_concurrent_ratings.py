"""Ten first ratings of one delivered item sent at once, with a cap of three a day, on SQLite and on
PostgreSQL: one rating row, one 201, two 200s and the rest 429, whatever the interleaving (the
item's row is locked before its rating is read and the day's changes counted)."""

from __future__ import annotations

import threading
from collections import Counter

from sqlmodel import Session, select

from tests.conftest import API_KEY
from tests.web.public_helpers import create_item, move
from tracking.models import Rating

AT_ONCE, CAP = 10, 3


def test_it_keeps_one_rating_and_the_daily_cap_when_ratings_race(backend_app):
    backend_app.config["CITIZEN_REQUESTS_PER_DAY"] = CAP
    client, headers = backend_app.test_client(), {"Authorization": f"Bearer {API_KEY}"}
    number, token = create_item(client, headers)
    move(client, headers, number, "accepted", "arrived_delivery_office", "out_for_delivery",
         "delivered")
    start, codes = threading.Barrier(AT_ONCE), [0] * AT_ONCE

    def rate(i: int) -> None:
        own = backend_app.test_client()
        start.wait()
        codes[i] = own.post(f"/api/v1/track/{token}/rating",
                            json={"stars": 1 + i % 5}).status_code

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with Session(backend_app.extensions["db_engine"]) as db:
        stored = db.exec(select(Rating)).all()
    assert Counter(codes) == {201: 1, 200: CAP - 1, 429: AT_ONCE - CAP} and len(stored) == 1
