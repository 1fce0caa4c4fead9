"""Each accepted send's price (SMS: segments x tariff; ZNS: per message), summed per month, agency
and channel on the quality dashboard and in its export."""

from datetime import datetime

from delivery.models import VIETNAM_TIME
from tests.payloads import intake_body
from tests.tracking.channel_fixtures import SMS_TARIFF, ZNS_TARIFF, providers, sends
from tests.web.public_helpers import create_item
from tests.web.test_pages import login


def two_messages(demo, client, api_headers) -> int:
    """One item texted on ZNS, one (no Zalo) by SMS; returns the SMS's segments."""
    other = {**intake_body(2)["recipient"], "phone": "0987654321"}
    with providers(demo, without_zalo=("84987654321",)):
        create_item(client, api_headers, 1)
        create_item(client, api_headers, 2, recipient=other)
    return next(s.segments for s in sends(demo) if s.channel == "sms")


def this_month() -> str:
    return datetime.now(VIETNAM_TIME).strftime("%Y-%m")


def test_it_prices_each_accepted_send_by_its_channel(demo, client, api_headers):
    segments = two_messages(demo, client, api_headers)
    assert sorted((s.channel, s.outcome, s.price_vnd) for s in sends(demo)) == [
        ("sms", "accepted", segments * SMS_TARIFF), ("zns", "accepted", ZNS_TARIFF),
        ("zns", "no_account", 0)]


def test_it_shows_the_months_cost_per_agency_and_channel(demo, client, api_headers):
    segments = two_messages(demo, client, api_headers)
    login(client, "supervisor")
    page = client.get("/staff/quality").get_data(as_text=True)
    assert "Chi phí tin nhắn theo tháng" in page and "Monthly message cost" not in page
    csv = client.get("/staff/quality/export/message_costs.csv").get_data(as_text=True)
    lines = [line for line in csv.splitlines() if line.startswith(this_month())]
    assert len(lines) == 2
    assert lines[0].endswith(f",SMS,1,{segments},{segments * SMS_TARIFF}")
    assert lines[1].endswith(f",Zalo ZNS,1,—,{ZNS_TARIFF}")
