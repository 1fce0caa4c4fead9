"""Statements run standalone on a thread's autocommit connection (delivery/driver.py, PostgreSQL
only)."""

import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from delivery.driver import first_row, standalone_row

SELECT_ONE = text("SELECT 1")


@pytest.fixture
def engine(app):
    engine = app.extensions["db_engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("statements run standalone only on PostgreSQL; SQLite goes through SQLAlchemy")
    return engine


def backend_of(engine):
    return standalone_row(engine, text("SELECT pg_backend_pid()"), {})[0]


def open_connections(engine):
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM pg_stat_activity "
                                       "WHERE datname = current_database()"
                                       " AND pid <> pg_backend_pid()")).scalar()


def test_it_keeps_connections_for_reuse_not_per_thread(engine):
    before = open_connections(engine)
    for _ in range(3):  # threads that come and go (the development server starts one per request)
        threads = [threading.Thread(target=backend_of, args=(engine,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert open_connections(engine) - before <= 4


def test_it_closes_its_connections_when_the_engine_is_disposed(engine):
    other = create_engine(engine.url)
    before = open_connections(engine)
    backend_of(other)
    assert open_connections(engine) == before + 1
    other.dispose()
    assert open_connections(engine) == before


def test_it_replaces_a_connection_the_server_dropped(engine):
    dropped = backend_of(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    assert backend_of(engine) != dropped and backend_of(engine) != dropped


def test_it_raises_sqlalchemys_errors(engine):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS driver_probe (id int PRIMARY KEY)"))
    try:
        assert standalone_row(engine, text("INSERT INTO driver_probe VALUES (1) RETURNING id"),
                              {}) == (1,)
        with pytest.raises(IntegrityError):
            standalone_row(engine, text("INSERT INTO driver_probe VALUES (1) RETURNING id"), {})
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE driver_probe"))


def test_it_runs_in_the_sessions_transaction_once_one_is_open(engine):
    with Session(engine) as session:
        standalone = first_row(session, text("SELECT pg_backend_pid()"), {}, standalone=True)[0]
        session.connection()  # the session's own work has begun
        inside = first_row(session, text("SELECT pg_backend_pid()"), {}, standalone=True)[0]
    assert standalone == backend_of(engine) and inside != standalone


def test_it_uses_the_sessions_transaction_when_not_allowed_standalone(app):
    # any database: SQLite never runs standalone
    with Session(app.extensions["db_engine"]) as session:
        first_row(session, SELECT_ONE, {})
        assert session.in_transaction()
