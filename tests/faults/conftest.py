"""Fixtures of the fault tests: a PostgreSQL cluster of the run's own (to restart) and both database
kinds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlmodel import Session

from tests.conftest import API_KEY, PASSWORD, _empty_business_tables, _prepare_database, make_app
from tests.services import PrivatePostgres


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def private_postgres_url(private_postgres: PrivatePostgres) -> str:
    url = private_postgres.create_database("buudien_faults_test")
    _prepare_database(url)
    return url


@pytest.fixture(scope="session")
def private_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'faults.sqlite3'}"
    _prepare_database(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def backend_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on SQLite and on PostgreSQL, whatever DATABASE_URL says."""
    return request.getfixturevalue(f"private_{request.param}_url")


def demo_app(url: str, monkeypatch: pytest.MonkeyPatch, **overrides: object) -> Flask:
    """The app on ``url`` with empty business tables and the demo data (API key API_KEY)."""
    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    app = make_app(url, **overrides)
    _empty_business_tables(app)
    from web.demo import seed_demo

    with app.app_context(), Session(app.extensions["db_engine"]) as db:
        seed_demo(db)
    return app


@pytest.fixture
def backend_app(backend_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    app = demo_app(backend_url, monkeypatch)
    yield app
    app.extensions["db_engine"].dispose()
