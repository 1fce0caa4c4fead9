"""Set-based statements that stay cheap for a batch of hundreds of rows (the courier's offline
queue, a bag scanned at the hub), on PostgreSQL as on SQLite.

On PostgreSQL a multi-row INSERT or a long ``IN (...)`` list is one placeholder per value, and the
driver parses every such statement afresh (it caches only short ones): for a batch that parsing cost
more than everything else in it, and array parameters are quoted element by element in Python.
There, rows and lists travel as ONE JSON parameter (decoded by the server), so each statement is
parsed once per process. SQLite gets the plain forms, which its driver handles natively. The JSON is
made by orjson: the json module spent a sizeable share of a batch's CPU on it (its ``default`` hook
is a Python call per timestamp, three per event; measured in bench/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Column, ColumnElement, Table, insert, text
from sqlalchemy.dialects import postgresql
from sqlmodel import Session


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def as_json(value: Any) -> str:
    """``value`` as JSON text; datetimes and dates as ISO 8601 (as ``isoformat()`` writes them).
    Raises TypeError for anything else JSON cannot carry."""
    return orjson.dumps(value).decode()


def among(session: Session, column: Column[Any], values: Iterable[str]) -> ColumnElement[bool]:
    """``column IN values`` (text values), as one JSON parameter on PostgreSQL (the index is still
    used)."""
    values = list(values)
    if not on_postgresql(session):
        return column.in_(values)
    name = f"{column.name}_values"
    return text(f"{column.table.name}.{column.name} = ANY(ARRAY(SELECT json_array_elements_text("
                f"CAST(:{name} AS json))))").bindparams(**{name: as_json(values)})


@cache
def _insert_one(table: Table) -> Any:
    return insert(table).returning(table.c.id)


@cache
def recordset(table: Table, columns: tuple[str, ...], param: str) -> str:
    """A FROM item for rows of ``table`` sent as the one JSON parameter ``:param`` (PostgreSQL),
    with each column's own type:
    ``json_to_recordset(CAST(:param AS json)) AS r(name type, ...)``."""
    pg = postgresql.dialect()
    shape = ", ".join(f"{name} {table.c[name].type.compile(dialect=pg)}" for name in columns)
    return f"json_to_recordset(CAST(:{param} AS json)) AS r({shape})"


@cache
def _json_insert(table: Table, columns: tuple[str, ...], key: str) -> Any:
    names = ", ".join(columns)
    return text(f"INSERT INTO {table.name} ({names}) "
                f"SELECT {names} FROM {recordset(table, columns, 'rows')} "
                f"RETURNING id, {key}")


def insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]], key: str
                         ) -> list[int]:
    """Insert ``rows`` (dicts with the same columns) in one statement; returns their new ids in the
    order of ``rows``. ``key`` names a unique column given in every row, used to match ids to rows
    whatever order the database returns them in."""
    if not rows:
        return []
    # a single scan: a plain INSERT, whose few placeholders the driver parses once
    if len(rows) == 1:
        return [session.connection().execute(_insert_one(table), rows[0]).scalar_one()]
    if on_postgresql(session):
        statement = _json_insert(table, tuple(rows[0]), key)
        returned = session.connection().execute(statement, {"rows": as_json(rows)}).all()
    else:
        statement = insert(table).returning(table.c.id, table.c[key], sort_by_parameter_order=True)
        returned = session.connection().execute(statement, rows).all()
    ids = {row_key: row_id for row_id, row_key in returned}
    return [ids[row[key]] for row in rows]


def execute_each(session: Session, statement: Any, rows: list[dict[str, Any]]) -> Any:
    """Run ``statement`` for each of ``rows`` in one call: the driver batches many rows, and one row
    goes as a plain statement (the batching machinery costs more than it saves for a single
    scan)."""
    return session.connection().execute(statement, rows[0] if len(rows) == 1 else rows)
