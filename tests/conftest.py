"""Fixtures on real parts: SQLite (default) or PostgreSQL (DATABASE_URL), and a real Redis.

The schema is migrated and the reference data loaded once per run; each test then starts from empty
business tables. DATABASE_URL must name a database whose name contains "test": the run drops its
tables.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import make_url, text
from sqlmodel import Session

from delivery.models import Agency
from web import create_app
from web.db import make_engine
from web.tables import metadata

REFERENCE_TABLES = {"province", "ward"}
API_KEY = "bk_test-key-for-the-demo-upstream-client"
PASSWORD = "test-password-123"


def _prepare_database(url: str) -> None:
    """Drop everything, then migrate and load reference data through the real `setup` path."""
    engine = make_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "REDIS_URL": None})
    with app.app_context():
        from web.cli import run_setup

        run_setup()
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        name = make_url(url).database or ""
        if "test" not in name:
            pytest.exit(f"refusing to run tests on database {name!r}: "
                        "its name must contain 'test'", 2)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    _prepare_database(url)
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """REDIS_URL's server (a dedicated DB index), or a private redis-server when one is
    installed."""
    if url := os.environ.get("REDIS_URL"):
        yield url.rsplit("/", 1)[0] + "/15" if url.count("/") > 2 else url + "/15"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide Redis (REDIS_URL or redis-server on PATH)")
        pytest.skip("needs Redis: set REDIS_URL or install redis-server")
    port = _free_port()
    workdir = tempfile.mkdtemp()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/15"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:  # not listening yet
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, which it may stop and start again
    (tests.services.PrivateRedis)."""
    from tests.services import PrivateRedis  # it imports this module

    server = PrivateRedis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def _empty_business_tables(app: Flask) -> None:
    engine = app.extensions["db_engine"]
    tables = [t for t in reversed(metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(connection.dialect.identifier_preparer.quote(t.name) for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {"TESTING": True, "DATABASE_URL": database_url, "REDIS_URL": None,
              "SECRET_KEY": "test-secret", "PUBLIC_BASE_URL": "http://localhost",
              "PROOF_PHOTO_DIR": tempfile.mkdtemp(prefix="proofs-"),
              # never the checkout's instance folder; a test may name one in the environment
              "PRINT_FOLDER": os.environ.get("PRINT_FOLDER") or tempfile.mkdtemp(prefix="prints-"),
              # Most tests deliver with the recipient's matching CCCD digits (still a verifying
              # factor, tracking.door_check); the OTP tests turn the product's default back on.
              "DELIVERY_OTP_REQUIRED": False,
              # No quiet hours unless a test sets them: otherwise what is texted at once depends on
              # the hour the suite runs (21:00-7:00 in Vietnam holds most SMS back).
              "SMS_QUIET_HOURS": (0, 0), **overrides}
    return create_app(config)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    _empty_business_tables(app)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def redis(redis_server_url: str) -> Iterator[Redis]:
    client = Redis.from_url(redis_server_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def queued_app(database_url: str, redis_server_url: str, redis: Redis) -> Iterator[Flask]:
    """The app with jobs going to the real Redis (run them with `run_jobs`)."""
    app = make_app(database_url, REDIS_URL=redis_server_url)
    _empty_business_tables(app)
    yield app
    app.extensions["db_engine"].dispose()
    if "redis" in app.extensions:
        app.extensions["redis"].close()


def run_jobs(app: Flask) -> None:
    """Run every queued job with a real RQ worker in burst mode, inside the app context."""
    from rq import SimpleWorker

    from web.jobs import QUEUES, queue, redis_connection

    # rows requests handed to the pusher thread, not yet enqueued
    app.extensions["outbox_pusher"].flush()
    with app.app_context():
        SimpleWorker([queue(n) for n in QUEUES], connection=redis_connection()).work(burst=True)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def agency(session: Session) -> Agency:
    """One issuing agency, for domain tests that make consignments without the demo data."""
    agency = Agency(code="000.00.01.H26", name="Trung tâm Phục vụ hành chính công Hà Nội")
    session.add(agency)
    session.commit()
    return agency


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def demo(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The demo agency, offices, users and API client (key API_KEY, password PASSWORD)."""
    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    from web.demo import seed_demo

    with app.app_context(), Session(app.extensions["db_engine"]) as db:
        seed_demo(db)
    return app


@pytest.fixture
def api_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
