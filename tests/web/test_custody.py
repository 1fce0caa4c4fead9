"""The supervisor's chain of custody: every hand-over of a dossier with who gave, who took, where
and when, and the missing hand-over scans flagged (delivery.custody)."""

from datetime import datetime, timedelta

from sqlmodel import Session

from delivery.accounts import create_user
from delivery.models import VIETNAM_TIME
from tests.conftest import PASSWORD
from tests.payloads import collection_body, scan_body
from tests.web.test_counter_dossiers import (
    add_shop_clerk,
    collect,
    manifest_of,
    post_form,
    scan_number,
    send_transfer,
)
from tests.web.test_pages import csrf_of, login
from web.auth import CSRF_HEADER


def custody_page(client, number):
    return client.get(f"/staff/custody/{number}")


def as_supervisor(client):
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    login(client, "supervisor")


def test_it_lists_each_hand_over_from_the_citizen_to_the_agencys_officer(demo, client,
                                                                         api_headers):
    add_shop_clerk(demo)
    [number] = collect(client, api_headers, (1,))
    transfer = send_transfer(client, [number])
    login(client, "counter")
    scan_number(client, transfer)
    to_agency = manifest_of(post_form(client, "/counter/dossier-manifests/new",
                                      {"kind": "to_agency", "n": [number]}))
    scan_number(client, to_agency, agency_signatory="Lê Văn Cường")
    as_supervisor(client)
    html = custody_page(client, number).get_data(as_text=True)
    assert 'id="custody-ok"' in html and "Công dân Trần Thị Bình" in html
    assert transfer in html and to_agency in html and "(Lê Văn Cường)" in html
    assert html.index("counter_hk @ 100100") < html.index("counter @ 100000")
    assert "Đang chuyển 100000" in html and "on the way" not in html


def test_it_flags_a_hand_over_to_the_agency_without_the_transfers_arrival(demo, client,
                                                                          api_headers):
    add_shop_clerk(demo)
    [number] = collect(client, api_headers, (1,))
    send_transfer(client, [number])
    login(client, "counter")
    token = csrf_of(client.get("/counter").data)
    assert client.post("/api/v1/scans", json=scan_body(number, "handed_to_agency"),
                       headers={CSRF_HEADER: token}).status_code == 201
    as_supervisor(client)
    html = custody_page(client, number).get_data(as_text=True)
    assert 'data-rule="no_arrival"' in html and "100000" in html


def test_it_flags_a_dossier_collected_long_ago_and_not_yet_with_the_agency(demo, client,
                                                                           api_headers):
    number = client.post("/api/v1/collections", json=collection_body(),
                         headers=api_headers).get_json()["tracking_number"]
    long_ago = (datetime.now(VIETNAM_TIME) - timedelta(days=8)).isoformat()
    client.post("/api/v1/scans", json=scan_body(number, "picked_up", occurred_at=long_ago),
                headers=api_headers)
    login(client, "supervisor")
    assert 'data-rule="overdue"' in custody_page(client, number).get_data(as_text=True)


def test_it_answers_a_supervisor_of_another_office_as_for_an_unknown_number(demo, client,
                                                                           api_headers):
    [number] = collect(client, api_headers, (1,))
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "supervisor_hcm", PASSWORD, "supervisor", "700000")
        db.commit()
    login(client, "supervisor_hcm")
    assert custody_page(client, number).status_code == 404


def test_it_links_the_custody_page_from_the_counter_item_page(demo, client, api_headers):
    [number] = collect(client, api_headers, (1,))
    login(client, "supervisor")
    html = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert f'href="/staff/custody/{number}"' in html
