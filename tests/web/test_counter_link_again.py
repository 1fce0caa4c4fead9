"""Counter staff text the recipient's tracking link again: through the outbox with a key of its
own, at most three times per item and day, audited."""

from sqlmodel import Session, select

from delivery.audit import AuditEntry
from tests.tracking.channel_fixtures import providers, sms_rows
from tests.web.public_helpers import create_item
from tests.web.test_pages import csrf_of, login


def resend(client, number: str):
    page = client.get(f"/counter/consignments/{number}").data
    return client.post(f"/counter/consignments/{number}/tracking-link",
                       data={"csrf_token": csrf_of(page)})


def test_it_texts_the_same_link_again_as_a_message_of_its_own(demo, client, api_headers):
    with providers(demo) as (_, zns):
        number, token = create_item(client, api_headers)
        login(client, "counter")
        assert resend(client, number).status_code == 302
    first, again = sms_rows(demo)
    assert again.dedupe_key.startswith(f"sms:{again.consignment_id}:link-")
    assert again.state == "sent" and again.payload.count(token) == 1
    assert [m["template_data"]["duong_dan"][-len(token):] for m in zns.delivered] == [token] * 2


def test_it_audits_who_sent_the_link_again(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    resend(client, number)
    with Session(demo.extensions["db_engine"]) as db:
        entry = db.exec(select(AuditEntry).where(AuditEntry.action == "sms.link_resent")).one()
    assert entry.actor_name == "counter" and entry.consignment_id is not None


def test_it_sends_the_link_at_most_three_times_a_day(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    for _ in range(4):
        response = resend(client, number)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(sms_rows(demo)) == 4 and "Chưa gửi lại: đã gửi lại 3 lần hôm nay" in page


def test_it_shows_the_button_next_to_the_link(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    page = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert 'id="resend-link"' in page and "Nhắn lại đường dẫn" in page


def test_it_refuses_a_resend_without_the_csrf_token(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    assert client.post(f"/counter/consignments/{number}/tracking-link").status_code == 400
    assert len(sms_rows(demo)) == 1


def test_it_refuses_a_courier(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "courier")
    assert client.post(f"/counter/consignments/{number}/tracking-link").status_code == 403
    assert len(sms_rows(demo)) == 1
