"""Running the scan path's few statements straight on the database driver (PostgreSQL).

For a one-row statement, SQLAlchemy's Core execution (cache lookup, parameter processing, a CursorResult built
from the cursor's description) costs more CPU than the driver's own work, and a single scan runs three such
statements on every request. On PostgreSQL, ``first_row`` runs a statement compiled once per dialect on the
session's own DBAPI connection, inside the session's transaction, and hands back the first row as a plain
tuple. SQLite goes through SQLAlchemy as usual.

Only statements whose parameters and results need no SQLAlchemy type processing belong here: integers,
strings, JSON text and timezone-aware datetimes (psycopg returns ``timestamptz`` columns aware).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect, Executable
from sqlmodel import Session


@lru_cache(maxsize=64)
def driver_sql(statement: Executable, dialect: Dialect) -> str:
    """``statement`` as the driver's SQL text (named ``%(name)s`` placeholders for psycopg), compiled once."""
    return str(statement.compile(dialect=dialect))


def first_row(session: Session, statement: Executable, params: dict[str, Any]) -> tuple | None:
    """The first row of ``statement`` run in ``session``'s transaction (which it begins if none is open),
    or None. Rows are plain tuples: read them by position."""
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
        # Raise what SQLAlchemy would (IntegrityError, OperationalError, ...) and let it do what it does for a
        # dropped connection (invalidate it and the pool, so the next requests reconnect). A private method,
        # but the one SQLAlchemy itself uses; the fault tests (duplicate event ids, PostgreSQL restarted under
        # load) fail if it ever changes.
        connection._handle_dbapi_exception(error, sql, params, None, None)
