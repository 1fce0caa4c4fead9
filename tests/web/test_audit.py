"""The audit log: label prints and reprints, exports, outbox redelivery and admin actions recorded
with who, when and from where; a supervisor (or admin) reads a consignment's trail, counter staff
and couriers cannot."""

import re

from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry, Who, record_audit
from delivery.manifests import create_manifest
from delivery.models import Agency, PostOffice
from tests.conftest import PASSWORD
from tests.web.public_helpers import create_item, move
from tests.web.test_pages import csrf_of, login
from tracking.models import Outbox


def entries(app, action_prefix=""):
    with Session(app.extensions["db_engine"]) as db:
        rows = db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    return [r for r in rows if r.action.startswith(action_prefix)]


def add_admin(app):
    with Session(app.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()


def test_it_records_a_label_print_then_a_reprint_with_who_when_and_from_where(
    demo, client, api_headers
):
    number, _ = create_item(client, api_headers)
    prints = f"/api/v1/consignments/{number}/prints"
    client.post(prints, json={"format": "svg"}, headers=api_headers)
    client.post(prints, json={"format": "zpl", "reason": "torn"}, headers=api_headers,
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    first, second = entries(demo, "label.")
    assert (first.action, first.actor, first.client_address) == (
        "label.print", "api:1", "127.0.0.1")
    assert (second.action, second.client_address) == ("label.reprint", "10.1.2.3")
    assert '"reason": "torn"' in second.detail and first.consignment_id == second.consignment_id


def test_it_records_labels_printed_from_the_counters_batch_form(demo, client, api_headers):
    numbers = [create_item(client, api_headers, n)[0] for n in (1, 2)]
    login(client, "counter")
    token = csrf_of(client.get("/print/batch").data)
    client.post("/print/batch", data={"numbers": "\n".join(numbers), "sheet": "label",
                                      "csrf_token": token})
    client.get("/print/labels", query_string={"n": numbers})  # showing them records nothing more
    rows = entries(demo, "label.")
    assert len(rows) == 2 and all(r.actor_name == "counter" and r.office_id for r in rows)


def test_it_records_a_manifest_export(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        agency, office = db.exec(select(Agency)).first(), db.exec(select(PostOffice)).first()
        manifest_number = create_manifest(db, agency, office, [number], "user:1").number
        db.commit()
    client.get(f"/api/v1/manifests/{manifest_number}/manifest.pdf", headers=api_headers)
    (row,) = entries(demo, "export.")
    assert (row.action, row.subject, row.actor) == (
        "export.manifest", f"manifest:{manifest_number}", "api:1")


def test_it_records_an_outbox_redelivery(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        row = db.exec(select(Outbox)).first()
        row.state = "dead"
        db.commit()
        outbox_id, consignment_id = row.id, row.consignment_id
    login(client, "supervisor")
    page = client.get("/staff/outbox")
    client.post(f"/staff/outbox/{outbox_id}/redeliver", data={"csrf_token": csrf_of(page.data)})
    (entry,) = entries(demo, "outbox.")
    assert entry.subject == f"outbox:{outbox_id}" and entry.consignment_id == consignment_id
    assert entry.actor_name == "supervisor"


def test_it_shows_a_supervisor_the_consignments_trail(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted")
    client.post(f"/api/v1/consignments/{number}/prints", json={"format": "svg"},
                headers=api_headers, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    login(client, "supervisor")
    html = client.get(f"/staff/consignments/{number}/audit").get_data(as_text=True)
    assert "event.accepted" in html and "created → accepted" in html
    assert "label.print" in html and "10.9.8.7" in html and "api:1" in html


def test_it_links_the_trail_from_the_consignment_page_for_supervisors_only(
    demo, client, api_headers
):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    assert "/audit" not in client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    login(client, "supervisor")
    assert f"/staff/consignments/{number}/audit" in client.get(
        f"/counter/consignments/{number}").get_data(as_text=True)


def test_it_keeps_counter_staff_and_couriers_out_of_the_audit_log(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    for username in ("counter", "courier"):
        login(client, username)
        assert client.get(f"/staff/consignments/{number}/audit").status_code == 403
        assert client.get("/staff/audit").status_code == 403


def test_it_lists_logins_of_the_supervisors_office_only(demo, client):
    login(client, "counter")
    login(client, "courier")
    login(client, "courier", "wrong-password")
    login(client, "supervisor")
    html = client.get("/staff/audit?action=login.").get_data(as_text=True)
    rows = html[html.index("</header>"):]  # the navigation bar links the courier's round
    assert "login.success" in rows and "counter" in rows
    assert "courier" not in rows and "login.failure" not in rows


def test_it_lists_every_login_for_admins(demo, client):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "root", "admin-password-1", "admin")
        db.commit()
    login(client, "courier", "wrong-password")
    login(client, "root", "admin-password-1")
    html = client.get("/staff/audit?action=login.").get_data(as_text=True)
    assert "login.failure" in html and "courier" in html


def test_it_lets_an_admin_revoke_an_api_client_from_the_page(demo, client, api_headers):
    add_admin(demo)
    # trusted now
    assert client.get("/api/v1/consignments/RR000000000VN", headers=api_headers).status_code == 404
    login(client, "admin")
    page = client.get("/staff/api-clients")
    assert "demo-upstream" in page.get_data(as_text=True)
    client_id = re.search(rb"/staff/api-clients/(\d+)/revoke", page.data).group(1).decode()
    client.post(f"/staff/api-clients/{client_id}/revoke", data={"csrf_token": csrf_of(page.data)})
    assert client.get("/api/v1/consignments/RR000000000VN", headers=api_headers).status_code == 401
    (row,) = entries(demo, "api_client.")
    assert row.actor_name == "admin" and row.client_address == "127.0.0.1"


def test_it_keeps_supervisors_away_from_api_keys(demo, client):
    login(client, "supervisor")
    assert client.get("/staff/api-clients").status_code == 403


def test_it_refuses_an_unknown_action():
    import pytest

    with pytest.raises(ValueError):
        record_audit(None, "login.sucess", Who("cli"))


def event_addresses(app):
    from delivery.models import TrackingEvent

    with Session(app.extensions["db_engine"]) as db:
        return [(e.event, e.client_address)
                for e in db.exec(select(TrackingEvent).order_by(TrackingEvent.id))]


def test_it_records_where_each_status_change_came_from(demo, client, api_headers):
    from tests.payloads import scan_body

    number, _ = create_item(client, api_headers)
    client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=api_headers,
                environ_base={"REMOTE_ADDR": "10.0.0.5"})
    client.post("/api/v1/scans/batch",
                json={"scans": [scan_body(number, "arrived_delivery_office")]},
                headers=api_headers, environ_base={"REMOTE_ADDR": "10.0.0.6"})
    assert event_addresses(demo) == [
        ("accepted", "10.0.0.5"), ("arrived_delivery_office", "10.0.0.6")]


def test_it_shows_where_a_status_change_came_from_in_the_trail(demo, client, api_headers):
    from tests.payloads import scan_body

    number, _ = create_item(client, api_headers)
    client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=api_headers,
                environ_base={"REMOTE_ADDR": "10.0.0.7"})
    login(client, "supervisor")
    assert "10.0.0.7" in client.get(f"/staff/consignments/{number}/audit").get_data(as_text=True)
