"""Alembic environment: migrations run on the connection the app hands over
(``flask --app web setup``), or on ``DATABASE_URL`` when Alembic is called directly."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from web.tables import metadata as target_metadata  # every table module, imported (web.tables)


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    # Batch mode lets SQLite alter tables by copying them; PostgreSQL ignores it.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = os.environ.get("DATABASE_URL") or "sqlite:///instance/buudien.sqlite3"
    with create_engine(url).connect() as conn:
        run_migrations(conn)
        conn.commit()
