"""The database engine (one per app) and the request's session (one per request, on ``g``)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, Executable, create_engine, event
from sqlmodel import Session
from werkzeug.routing import IntegerConverter, Map

from delivery.driver import standalone_row
from delivery.models import MAX_ROW_ID

from . import tables  # noqa: F401  (every table on the metadata the engine serves)


def _sqlite_serialised(engine: Engine) -> None:
    """SQLite: WAL, and every transaction begins IMMEDIATE so writers queue (busy timeout) instead
    of failing mid-transaction; pysqlite's own transaction handling would also break SAVEPOINTs."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, hide_parameters=True,
                               connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_serialised(engine)
        return engine
    # No pre-ping: it costs a round trip on every request. A connection the server dropped fails its
    # request (503, see web.problems) and SQLAlchemy then invalidates the whole pool, so the next
    # ones reconnect.
    # hide_parameters: a database error's message (logged) must not carry the bound values
    # (names, phones, tracking tokens, streets)
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size * 2,
                         hide_parameters=True)


class RowIdConverter(IntegerConverter):
    """``<row_id:name>`` in a route: a table row's id, 1 to MAX_ROW_ID. A larger number answers 404
    like any unknown id, instead of failing in PostgreSQL as out of range (a 500)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ROW_ID)


def init_app(app: Flask) -> None:
    app.url_map.converters["row_id"] = RowIdConverter
    app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"],
                                              pool_size=app.config["DB_POOL_SIZE"],
                                              echo=app.config["SQL_ECHO"])
    # Jobs compare against this to notice they run in a forked RQ work horse (see job_session).
    app.extensions["db_pid"] = os.getpid()
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def hot_read(statement: Executable, params: dict[str, Any],
             db_engine: Engine | None = None) -> tuple | None:
    """The first row of a single-statement read on a hot public path
    (the tracking version check), or None.

    On PostgreSQL it runs on an autocommit connection kept for such statements
    (delivery.driver.standalone_row): no pool checkout, pre-ping, BEGIN or reset, so one read is one
    round trip (bench/README.md, public tracking). SQLite reads through the ordinary engine.
    ``db_engine`` defaults to the app's (pass it where no app context is pushed, as in
    web.repeat_views).
    """
    db_engine = db_engine or engine()
    if db_engine.dialect.name == "postgresql":
        return standalone_row(db_engine, statement, params)
    with db_engine.connect() as connection:
        row = connection.execute(statement, params).first()
    return tuple(row) if row else None


def drop_inherited_pool() -> None:
    """After a fork (RQ's work horse) the connections inherited from the parent are dropped,
    not shared."""
    if current_app.extensions.get("db_pid") != os.getpid():
        engine().dispose(close=False)
        current_app.extensions["db_pid"] = os.getpid()


def job_session() -> Session:
    """A session of its own for a job; after a fork
    (RQ's work horse) the inherited pool is dropped."""
    drop_inherited_pool()
    return Session(engine(), expire_on_commit=False)


def get_session() -> Session:
    """The session of this request (or CLI command, or job); closed when the app context ends."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
