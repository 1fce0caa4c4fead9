"""Commands of CONTRACT.md (``flask --app web ...``): setup, seed-demo, create-user,
create-api-client, worker; the directory's commands are in web.cli_directory."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import with_appcontext

from delivery.accounts import ROLES, create_api_client, create_user, revoke_api_client
from delivery.address import load_reference_data
from delivery.audit import Who, record_audit
from delivery.errors import DomainError
from delivery.lookup import get_agency

from .cli_at_risk import COMMANDS as AT_RISK_COMMANDS
from .cli_calendar import COMMANDS as CALENDAR_COMMANDS
from .cli_channels import COMMANDS as CHANNEL_COMMANDS
from .cli_directory import COMMANDS as DIRECTORY_COMMANDS
from .db import engine, get_session


def _cli() -> Who:
    """Who ran a command, for the audit log: the shell's user on the machine itself."""
    return Who("cli", os.environ.get("USER", ""))


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrate() -> None:
    """Bring the schema to the newest Alembic revision on the app's database."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def run_setup() -> tuple[int, int]:
    migrate()
    session = get_session()
    counts = load_reference_data(session)
    session.commit()
    return counts


def _fail(error: DomainError) -> None:
    click.echo(f"Error: {error.detail}", err=True)
    sys.exit(1)


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create or upgrade the schema and load the 34 provinces and 3,321 wards (idempotent)."""
    provinces, wards = run_setup()
    click.echo(f"Schema up to date; reference data: {provinces} provinces, {wards} wards.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Demo agency, offices, users and API client (idempotent;
    honours DEMO_API_KEY and DEMO_PASSWORD)."""
    from .demo import print_summary, seed_demo

    if current_app.config["APP_ENV"] == "production" and not os.environ.get("DEMO_PASSWORD"):
        # The default demo password is in the README: users with it would be open to anyone.
        raise click.ClickException("seed-demo in production needs DEMO_PASSWORD (the demo users' "
                                   "password); the default one is public")
    print_summary(seed_demo(get_session()))


@click.command("demo")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--items/--no-items", default=True, show_default=True,
              help="ten demo items, one at each status, and two collections")
def demo_command(host: str, port: int, items: bool) -> None:
    """setup + seed-demo (+ demo items at every status), print the URLs and logins, then serve
    the app (the README's first command)."""
    from werkzeug.serving import run_simple

    from .demo import print_summary, seed_demo
    from .demo_collections import seed_demo_collections
    from .demo_items import seed_demo_items

    # links printed and put in labels must reach this server
    if not os.environ.get("PUBLIC_BASE_URL"):
        current_app.config["PUBLIC_BASE_URL"] = f"http://{host}:{port}"
    run_setup()
    summary = seed_demo(get_session())
    if items:
        seed_demo_items(get_session())
        seed_demo_collections(get_session())
    print_summary(summary)
    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        _sweep_in_background(app)
    run_simple(host, port, app, use_reloader=False, threaded=True)


def _sweep_in_background(app: Flask, every: float = 60.0) -> threading.Event:
    """Without Redis there is no worker: this thread runs web.tasks.PERIODIC_JOBS (retries, SMS
    held over the quiet hours, retention) until the returned event is set. ``every`` seconds stand
    for the most frequent job's period (the sweep's minute); the others run in proportion."""
    from .tasks import PERIODIC_JOBS

    shortest = min(periodic.every for periodic in PERIODIC_JOBS)
    ticks = {periodic: max(1, int(periodic.every / shortest)) for periodic in PERIODIC_JOBS}

    def loop() -> None:
        runs = 0
        while not stop.wait(every):
            with app.app_context():
                for periodic in PERIODIC_JOBS:
                    if runs % ticks[periodic] == 0:
                        _run_periodic(app, periodic.job)
            runs += 1

    stop = threading.Event()
    threading.Thread(target=loop, name="outbox-sweep", daemon=True).start()
    return stop


def _run_periodic(app: Flask, job: Callable[[], object]) -> None:
    try:
        job()
    except Exception:  # noqa: BLE001 (a failed run must not end the loop; the next one retries)
        app.logger.exception("periodic job %s failed", job.__name__)


@click.command("create-user")
@with_appcontext
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--office", "office_code", default=None, help="post office code")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def create_user_command(name: str, role: str, office_code: str | None,
                        password_stdin: bool) -> None:
    """Add a staff user; the password comes from a prompt or --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(get_session(), name, password, role, office_code)
        record_audit(get_session(), "user.created", _cli(), subject=f"user:{user.username}",
                     detail={"role": role})
        get_session().commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"Created user {user.username} ({user.role}).")


@click.command("create-api-client")
@with_appcontext
@click.argument("name")
@click.option("--scopes", required=True, help='e.g. "intake scan read"')
@click.option("--agency", "agency_code", default=None, help="agency code the client acts for")
@click.option("--postal", is_flag=True, help="a postal-network client (scopes scan, read)")
@click.option("--office", "office_codes", multiple=True,
              help="with --postal: an office it acts for (repeat it; none: every office)")
def create_api_client_command(name: str, scopes: str, agency_code: str | None, postal: bool,
                              office_codes: tuple[str, ...]) -> None:
    """Add an API client for an agency (--agency) or the postal network (--postal) and print its
    key once (only a hash is stored)."""
    if bool(agency_code) == postal:
        raise click.UsageError("give exactly one of --agency CODE or --postal: a key that "
                               "belongs to neither would see nothing")
    offices = tuple(code.strip() for codes in office_codes for code in codes.split(",") if code)
    try:
        agency_id = get_agency(get_session(), agency_code).id if agency_code else None
        client, key = create_api_client(get_session(), name, scopes, agency_id, postal=postal,
                                        office_codes=offices)
        record_audit(get_session(), "api_client.created", _cli(),
                     subject=f"api_client:{client.name}",
                     detail={"scopes": client.scopes, "agency": agency_code, "postal": postal,
                             "offices": list(offices)})
        get_session().commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"API client {client.name} ({client.scopes}). Key, shown only now:\n{key}")


@click.command("revoke-api-client")
@with_appcontext
@click.argument("name")
def revoke_api_client_command(name: str) -> None:
    """Revoke an API client: its key is refused (401) from the next request on."""
    try:
        client = revoke_api_client(get_session(), name)
        record_audit(get_session(), "api_client.revoked", _cli(),
                     subject=f"api_client:{client.name}")
        get_session().commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"API client {name} revoked.")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="stop when the queues are empty")
def worker_command(burst: bool) -> None:
    """An RQ worker on all the app's queues, running jobs inside the app context. It sweeps the
    outbox, imports and print jobs at start and (unless --burst) runs the periodic jobs while it
    works, through Redis outages and flushes (web.worker)."""
    from .jobs import redis_connection
    from .tasks import PERIODIC_JOBS, anonymise_expired, sweep_outbox, sweep_runs
    from .worker import run_worker

    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: without it jobs run in-process "
                                   "and no worker is needed")
    swept = sweep_outbox()
    click.echo(f"Re-queued {swept} pending outbox row(s).")
    click.echo(f"Re-queued {sweep_runs()} import(s) and print job(s) whose job was lost.")
    click.echo(f"Anonymised {anonymise_expired()} consignment(s) past the retention period.")
    run_worker(connection, burst=burst, periodic=() if burst else PERIODIC_JOBS)


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message: str) -> None:
    """Write a new Alembic revision from the difference between the models and the migrations (for
    developers; read and adjust the file it writes)."""
    import re
    import tempfile

    from sqlalchemy import create_engine

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with (tempfile.TemporaryDirectory() as folder,
          create_engine(f"sqlite:///{folder}/gen.sqlite3").begin() as conn):
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        script = command.revision(config, message=message, autogenerate=True)
    path = Path(script.path)
    # Migrations stay independent of our models module:
    # our UTC type is a plain timezone-aware DateTime there.
    path.write_text(re.sub(r"delivery\.models\.UTCDateTime\(", "sa.DateTime(", path.read_text()))
    click.echo(f"Wrote {path}")


@click.command("anonymise-expired")
@with_appcontext
def anonymise_command() -> None:
    """Erase recipients' personal data RETENTION_DAYS after the final status
    (what the worker does hourly)."""
    from .tasks import anonymise_expired

    click.echo(f"Anonymised {anonymise_expired()} consignment(s) past the retention period.")


@click.command("sweep-photos")
@with_appcontext
def sweep_photos_command() -> None:
    """Delete door photos that no tracking event names, written over an hour ago
    (what the worker does hourly)."""
    from .tasks import sweep_unreferenced_photos

    click.echo(f"Deleted {len(sweep_unreferenced_photos())} door photo(s) no event names.")


@click.command("sweep-outbox")
@with_appcontext
def sweep_outbox_command() -> None:
    """Re-enqueue outbox rows that never reached the queue or whose retry is due."""
    from .tasks import sweep_outbox

    click.echo(f"Re-queued {sweep_outbox()} pending outbox row(s).")


def register(app: Flask) -> None:
    for cmd in (setup_command, seed_demo_command, demo_command, create_user_command,
                create_api_client_command, worker_command, sweep_outbox_command,
                db_revision_command, revoke_api_client_command, anonymise_command,
                sweep_photos_command, *DIRECTORY_COMMANDS, *CALENDAR_COMMANDS,
                *AT_RISK_COMMANDS, *CHANNEL_COMMANDS):
        app.cli.add_command(cmd)
