"""The organisation directory's commands (CONTRACT.md): create-agency, create-office,
import-directory, export-directory, coverage-report. Each parses its arguments, makes one domain
call (delivery.directory, delivery.directory_file, delivery.coverage), commits and reports.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from delivery.audit import Who, record_audit
from delivery.coverage import ProvinceCoverage, coverage_report
from delivery.directory import (
    AgencyEntry,
    OfficeEntry,
    agency_entry,
    find_agency,
    find_office,
    office_entry,
    save_agency,
    save_office,
)
from delivery.directory_fields import FIELD_LABELS, parse_agency_codes, parse_ward_codes
from delivery.directory_file import (
    DirectoryImport,
    export_directory,
    import_directory,
    read_directory,
)
from delivery.errors import DomainError, ValidationFailed
from delivery.organisation import OFFICE_KINDS

from .db import get_session

SHOWN_WARDS = 5  # wards named per province in the coverage report; the rest are counted


def _cli() -> Who:
    """Who ran a command, for the audit log: the shell's user, as web.cli records it."""
    return Who("cli", os.environ.get("USER", ""))


def _fail(error: DomainError) -> NoReturn:
    """Print what is wrong, each field named as people name it, and stop with status 1."""
    if isinstance(error, ValidationFailed):
        for field, message in error.errors.items():
            click.echo(f"Error: {FIELD_LABELS.get(field, field)}: {message}", err=True)
    else:
        click.echo(f"Error: {error.detail}", err=True)
    sys.exit(1)


def _outcome(created: bool, changed: bool) -> str:
    return "created" if created else "updated" if changed else "unchanged (nothing to change)"


@click.command("create-agency")
@with_appcontext
@click.argument("code")
@click.argument("name")
@click.option("--province", type=int, default=None, help="GSO code of its province, e.g. 1")
@click.option("--webhook-url", default=None, help='http(s) address of its status webhook; ""'
                                                  " removes it")
def create_agency_command(code: str, name: str, province: int | None,
                          webhook_url: str | None) -> None:
    """Add the agency CODE (its electronic unit code, e.g. 000.00.01.H26), or update it; options
    left out keep what is stored. Prints its webhook secret once, when it is given one."""
    session = get_session()
    current = find_agency(session, code)
    entry = replace(agency_entry(current), name=name) if current else AgencyEntry(code, name)
    if province is not None:
        entry = replace(entry, province_code=province)
    if webhook_url is not None:
        entry = replace(entry, webhook_url=webhook_url)
    try:
        saved = save_agency(session, entry)
        if saved.changed:
            record_audit(session, "agency.saved", _cli(), subject=f"agency:{saved.record.code}",
                         detail={"created": saved.created})
        session.commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"Agency {saved.record.code} {_outcome(saved.created, saved.changed)}.")
    if saved.webhook_secret:
        click.echo(f"Webhook secret, shown only now:\n{saved.webhook_secret}")


@click.command("create-office")
@with_appcontext
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice(tuple(OFFICE_KINDS)), required=True)
@click.option("--province", type=int, required=True, help="GSO code of its province, e.g. 79")
@click.option("--wards", default=None, help='a delivery office: GSO codes of the wards it serves, '
                                            '"00070,00073"')
@click.option("--serves", default=None, help='a counter office: codes of the agencies it serves, '
                                             '"000.00.01.H26,..."')
@click.option("--address", default=None)
@click.option("--hours", default=None, help='opening hours, e.g. "7:30-17:00, thứ Hai - thứ Bảy"')
def create_office_command(code: str, name: str, kind: str, province: int, wards: str | None,
                          serves: str | None, address: str | None, hours: str | None) -> None:
    """Add the postal office CODE (5 or 6 digits), or update it; options left out keep what is
    stored, and --wards or --serves given replace the whole list."""
    session = get_session()
    try:
        entry = _office_entry(code, name, kind, province, wards, serves, address, hours)
        saved = save_office(session, entry)
        if saved.changed:
            record_audit(session, "office.saved", _cli(), subject=f"office:{saved.record.code}",
                         detail={"created": saved.created})
        session.commit()
    except DomainError as error:
        _fail(error)
    click.echo(f"Office {saved.record.code} {_outcome(saved.created, saved.changed)}.")


def _office_entry(code: str, name: str, kind: str, province: int, wards: str | None,
                  serves: str | None, address: str | None, hours: str | None) -> OfficeEntry:
    current = find_office(get_session(), code)
    entry = (replace(office_entry(get_session(), current), name=name, kind=kind,
                     province_code=province)
             if current else OfficeEntry(code, name, kind, province))
    changes: dict[str, object] = {"address": address, "hours": hours}
    if wards is not None:
        changes["wards"] = parse_ward_codes(wards)
    if serves is not None:
        changes["serves"] = parse_agency_codes(serves)
    return replace(entry, **{k: v for k, v in changes.items() if v is not None})


@click.command("import-directory")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_directory_command(file: Path) -> None:
    """Import agencies, offices (wards, agencies served) and beats from a .csv or .xlsx FILE
    (docs/directory.md). Idempotent; a bad row is reported and skipped, the others are
    imported. Exits with status 1 when a row was refused."""
    session = get_session()
    try:
        rows = read_directory(file.name, file.read_bytes())
    except DomainError as error:
        _fail(error)
    report = import_directory(session, rows)
    record_audit(session, "directory.imported", _cli(), subject=f"file:{file.name}",
                 detail={"created": report.created, "updated": report.updated,
                         "unchanged": report.unchanged, "refused": len(report.errors)})
    session.commit()
    _print_import(file, report)
    if report.errors:
        sys.exit(1)


def _print_import(file: Path, report: DirectoryImport) -> None:
    click.echo(f"{file.name}: {report.created} created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {len(report.errors)} row(s) refused.")
    for number, errors in report.errors.items():
        for field, message in errors.items():
            click.echo(f"  dòng / row {number}: {FIELD_LABELS.get(field, field)}: {message}",
                       err=True)
    for code, secret in report.webhook_secrets.items():
        click.echo(f"Webhook secret of agency {code}, shown only now: {secret}")


@click.command("export-directory")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_directory_command(file: Path) -> None:
    """Write every agency, office and beat to FILE (.csv or .xlsx), in the format
    import-directory reads."""
    session = get_session()
    try:
        content = export_directory(session, file.name)
    except DomainError as error:
        _fail(error)
    file.write_bytes(content)
    record_audit(session, "export.directory", _cli(), subject=f"file:{file.name}")
    session.commit()
    click.echo(f"Wrote {file}.")


@click.command("coverage-report")
@with_appcontext
@click.option("--province", type=int, default=None, help="only this province (GSO code)")
def coverage_report_command(province: int | None) -> None:
    """Per province: wards no delivery office serves, delivery offices without an active courier,
    agencies no counter office serves."""
    report = coverage_report(get_session(), province)
    for entry in report:
        _print_coverage(entry)
    click.echo("Tổng / total: "
               f"{sum(len(e.wards_without_office) for e in report)} ward(s) without a delivery "
               f"office, {sum(len(e.offices_without_couriers) for e in report)} delivery "
               f"office(s) without couriers, "
               f"{sum(len(e.agencies_without_counter) for e in report)} agency(ies) without a "
               "counter.")


def _print_coverage(entry: ProvinceCoverage) -> None:
    code = "--" if entry.code is None else f"{entry.code:02d}"
    if entry.complete:
        click.echo(f"{code} {entry.name}: đủ / complete")
        return
    click.echo(f"{code} {entry.name}:")
    if entry.wards_without_office:
        shown = ", ".join(entry.wards_without_office[:SHOWN_WARDS])
        more = len(entry.wards_without_office) - SHOWN_WARDS
        click.echo(f"  phường xã chưa có bưu cục phát / wards without a delivery office: "
                   f"{len(entry.wards_without_office)} of {entry.ward_count} ({shown}"
                   f"{f', +{more}' if more > 0 else ''})")
    if entry.offices_without_couriers:
        click.echo("  bưu cục phát chưa có bưu tá / delivery offices without couriers: "
                   + ", ".join(entry.offices_without_couriers))
    if entry.agencies_without_counter:
        click.echo("  cơ quan chưa có quầy phục vụ / agencies without a counter: "
                   + ", ".join(entry.agencies_without_counter))


COMMANDS = (create_agency_command, create_office_command, import_directory_command,
            export_directory_command, coverage_report_command)
