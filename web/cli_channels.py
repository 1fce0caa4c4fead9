"""``agency-channels CODE [zns,sms]``: the channels an agency's citizens are told on, in order
(tracking.channels); without the list, shows them. Parses, makes one domain call, audits, commits
and reports."""

from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from delivery.audit import Who, record_audit
from delivery.errors import DomainError
from delivery.lookup import get_agency
from tracking.channel_models import AgencyChannels
from tracking.channels import set_agency_channels

from .config_channels import ChannelConfigError, channel_order, zns_enabled
from .db import get_session


@click.command("agency-channels")
@with_appcontext
@click.argument("code")
@click.argument("channels", required=False)
def agency_channels_command(code: str, channels: str | None) -> None:
    """Set (or show) agency CODE's channels, e.g. ``zns,sms``: ZNS first, SMS when the number has
    no Zalo. ``zns`` needs the Zalo settings (README, "Message providers")."""
    session = get_session()
    try:
        agency = get_agency(session, code.strip().upper())
    except DomainError as error:
        click.echo(f"Error: {error.detail}", err=True)
        sys.exit(1)
    if channels is None:
        row = session.get(AgencyChannels, agency.id)
        shown = row.channels if row else ",".join(current_app.config["NOTIFY_CHANNELS"])
        click.echo(f"{agency.code}: {shown}{'' if row else ' (NOTIFY_CHANNELS)'}")
        return
    try:
        order = channel_order(channels, "the channels")
    except ChannelConfigError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    if "zns" in order and not zns_enabled(current_app.config):
        click.echo("Warning: Zalo is not configured here; ZNS is skipped until it is", err=True)
    set_agency_channels(session, agency.id, order)
    record_audit(session, "agency.channels_saved", Who("cli", os.environ.get("USER", "")),
                 subject=f"agency:{agency.code}", detail={"channels": ",".join(order)})
    session.commit()
    click.echo(f"{agency.code}: {','.join(order)}")


COMMANDS = (agency_channels_command,)
