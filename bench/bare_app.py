"""The baseline the scan path is compared with: parse the JSON body, one INSERT, one UPDATE, nothing
else.

Served by gunicorn with the same settings as the real app (see scan_bench.py).
"""

from __future__ import annotations

import os
import random

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

BARE_ROWS = 1000


def create_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=8, max_overflow=16)

    @app.post("/bare")
    def bare():  # type: ignore[no-untyped-def]
        body = request.get_json()
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO bare_event (event_id, body) VALUES (:e, :b)"),
                               {"e": body["event_id"], "b": request.get_data(as_text=True)})
            connection.execute(text("UPDATE bare_item SET version = version + 1 WHERE id = :i"),
                               {"i": random.randint(1, BARE_ROWS)})
        return jsonify({"ok": True}), 201

    @app.get("/hello")
    def hello():  # type: ignore[no-untyped-def]
        return "hello"

    return app


def prepare(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bare_event (id serial PRIMARY KEY, "
                                "event_id varchar(64) UNIQUE NOT NULL, body text NOT NULL)"))
        connection.execute(text("CREATE TABLE IF NOT EXISTS bare_item (id int PRIMARY KEY, "
                                "version int NOT NULL)"))
        connection.execute(text("INSERT INTO bare_item SELECT g, 1 FROM generate_series(1, :n) g "
                                "ON CONFLICT DO NOTHING"), {"n": BARE_ROWS})
    engine.dispose()
