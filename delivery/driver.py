"""Running the scan path's few statements straight on the database driver (PostgreSQL).

For a one-row statement, SQLAlchemy's Core execution (cache lookup, parameter processing, a
CursorResult built from the cursor's description) costs more CPU than the driver's own work, and a
single scan runs such statements on every request. On PostgreSQL, ``first_row`` runs a statement
compiled once per dialect straight on a DBAPI connection and hands back the first row as a plain
tuple. SQLite goes through SQLAlchemy as usual.

Which connection: the session's own, inside its transaction, unless the caller says
``standalone=True`` and the session has no transaction open: then the statement runs as a
transaction of its own on an autocommit connection (``standalone_row``). A single scan reads its
item, then writes the compare-and-set, the event and the outbox rows in ONE statement
(delivery.lifecycle), so it needs no BEGIN and no COMMIT: two round trips instead of four. A
statement run standalone is committed when it returns, so only a caller that commits right after its
one domain call may ask for it (the scan views say so where they call it); a session that has done
anything else first has a transaction open and keeps everything in it. Reads are safe either way.

Only statements whose parameters and results need no SQLAlchemy type processing belong here:
integers, strings, JSON text and timezone-aware datetimes (psycopg returns ``timestamptz`` columns
aware). A statement run standalone must be safe to run twice (a dropped connection is replaced and
the statement tried once more): the scan's write is, since the event's unique ``client_event_id``
refuses a second copy.
"""

from __future__ import annotations

import atexit
import os
import threading
from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect, Engine, Executable, event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session


@lru_cache(maxsize=64)
def driver_sql(statement: Executable, dialect: Dialect) -> str:
    """``statement`` as the driver's SQL text (named ``%(name)s`` placeholders for psycopg),
    compiled once."""
    return str(statement.compile(dialect=dialect))


def first_row(session: Session, statement: Executable, params: dict[str, Any], *,
              standalone: bool = False) -> tuple | None:
    """The first row of ``statement``, or None: standalone when the caller allows it and ``session``
    has no transaction open (PostgreSQL only, see above), else in ``session``'s transaction (which
    it begins if none is open). Rows are plain tuples: read them by position."""
    if standalone and not session.in_transaction():
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            return standalone_row(bind, statement, params)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        row = connection.execute(statement, params).first()
        return tuple(row) if row is not None else None
    sql = driver_sql(statement, connection.dialect)
    try:
        with connection.connection.driver_connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except connection.dialect.loaded_dbapi.Error as error:
        # Raise what SQLAlchemy would (IntegrityError, OperationalError, ...) and let it do what it
        # does for a dropped connection (invalidate it and the pool, so the next requests
        # reconnect). A private method, but the one SQLAlchemy itself uses; the fault tests
        # (duplicate event ids, PostgreSQL restarted under load) fail if it ever changes.
        connection._handle_dbapi_exception(error, sql, params, None, None)


def standalone_row(engine: Engine, statement: Executable, params: dict[str, Any]) -> tuple | None:
    """The first row of ``statement`` run, prepared, as a transaction of its own on an autocommit
    connection to ``engine``'s PostgreSQL database (kept by this module, see _take): no SQLAlchemy
    pool checkout, BEGIN, COMMIT or reset, so one statement is one round trip. A connection the
    server dropped is replaced and the statement tried once more; errors are raised as SQLAlchemy's
    (IntegrityError, OperationalError, ...)."""
    import psycopg

    sql = driver_sql(statement, engine.dialect)
    connection = None
    try:
        connection = _take(engine)  # may connect, and fail to: the server is down
        try:
            return _run(connection, sql, params)
        except psycopg.OperationalError:
            # given back closed if connecting fails too: _give_back then drops it
            connection.close()
            connection = _connect(engine)
            return _run(connection, sql, params)
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, params, error, psycopg.Error) from error
    finally:
        if connection is not None:
            _give_back(engine, connection)


def _run(connection: Any, sql: str, params: dict[str, Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


# Idle autocommit connections per engine, for this process: a stack, so the few a web process's
# threads use at once stay warm (with their prepared statements). Not tied to threads, whose
# lifetimes vary (the development server starts one per request); at most MAX_IDLE kept; closed when
# the engine is disposed (a test suite disposes one per test) and at exit.
MAX_IDLE = 16
_idle: dict[Engine, tuple[int, list[Any]]] = {}
# a parent's, inherited through fork: kept unclosed (closing would end its sessions)
_inherited: list[Any] = []
_lock = threading.Lock()


def _take(engine: Engine) -> Any:
    with _lock:
        pid, idle = _idle.get(engine, (None, []))
        if pid == os.getpid() and idle:
            return idle.pop()
        if pid != os.getpid():
            _inherited.extend(idle)
            _idle[engine] = (os.getpid(), [])
            event.listen(engine, "engine_disposed", _close_idle)
    return _connect(engine)


def _connect(engine: Engine) -> Any:
    import psycopg

    url = engine.url.set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _give_back(engine: Engine, connection: Any) -> None:
    import psycopg

    if (not connection.closed
            and connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE):
        with _lock:
            pid, idle = _idle.get(engine, (None, []))
            if pid == os.getpid() and len(idle) < MAX_IDLE:
                idle.append(connection)
                return
    connection.close()


def _close_idle(engine: Engine) -> None:
    with _lock:
        pid, idle = _idle.pop(engine, (None, []))
    for connection in idle if pid == os.getpid() else ():
        connection.close()


@atexit.register
def _close_at_exit() -> None:
    """Close this process's idle connections (one left to the garbage collector warns)."""
    for engine in list(_idle):
        _close_idle(engine)
