"""``flask --app web flag-at-risk``: the at-risk job (web.tasks.flag_at_risk_items) run once by
hand, as the worker and the demo's thread run it every few minutes."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("flag-at-risk")
@with_appcontext
def flag_at_risk_command() -> None:
    """Flag the items that will miss their due date and clear those no longer at risk (what the
    worker does every 5 minutes); webhooks go to the agencies' systems."""
    from .tasks import flag_at_risk_items

    counts = flag_at_risk_items()
    click.echo(f"At risk: {counts['flagged']} newly flagged, {counts['changed']} with a new "
               f"reason, {counts['cleared']} cleared; {counts['webhooks']} webhook(s) written.")


COMMANDS = (flag_at_risk_command,)
