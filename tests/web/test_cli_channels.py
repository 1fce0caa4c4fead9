"""``agency-channels``: an agency's channel order, set from the command line and audited."""

from sqlmodel import Session, select

from delivery.audit import AuditEntry
from tracking.channel_models import AgencyChannels

CODE = "000.00.01.H26"


def test_it_sets_and_shows_an_agencys_channels(demo):
    runner = demo.test_cli_runner()
    shown = runner.invoke(args=["agency-channels", CODE]).output
    assert shown == f"{CODE}: sms (NOTIFY_CHANNELS)\n"
    result = runner.invoke(args=["agency-channels", CODE, "zns,sms"])
    assert result.exit_code == 0 and "Zalo is not configured" in result.output
    assert runner.invoke(args=["agency-channels", CODE]).output == f"{CODE}: zns,sms\n"
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(AgencyChannels)).one().channels == "zns,sms"
        assert db.exec(select(AuditEntry).where(
            AuditEntry.action == "agency.channels_saved")).one().subject == f"agency:{CODE}"


def test_it_refuses_an_unknown_channel_or_agency(demo):
    runner = demo.test_cli_runner()
    bad = runner.invoke(args=["agency-channels", CODE, "pigeon"])
    assert bad.exit_code == 1 and "the channels must list channels among zns, sms" in bad.output
    assert runner.invoke(args=["agency-channels", "NO.SUCH", "sms"]).exit_code == 1
