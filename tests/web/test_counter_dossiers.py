"""The counter's manifests of collected dossiers: a transfer from the collecting office to the
counter serving the agency, taken with one scan of its number, then handed to the agency the same
way; the printed biên bản; webhooks to the upstream system exactly once per item."""

import re

import pypdfium2
import pytest
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.manifest_models import Manifest
from delivery.models import Agency, Consignment, PostOffice
from delivery.organisation import OfficeAgency
from tests.conftest import PASSWORD
from tests.payloads import collection_body, scan_body
from tests.stand_ins import Receiver
from tests.tracking.test_webhooks import SECRET, point_webhook_at
from tests.web.test_pages import csrf_of, login

SHOP_CLERK = "counter_hk"  # a counter clerk of the collecting office 100100


def add_shop_clerk(app, username=SHOP_CLERK, office_code="100100"):
    with Session(app.extensions["db_engine"]) as db:
        create_user(db, username, PASSWORD, "counter", office_code)
        db.commit()


def collect(client, headers, numbers=(1, 2), **body):
    made = []
    for n in numbers:
        number = client.post("/api/v1/collections", json=collection_body(n, **body),
                             headers=headers).get_json()["tracking_number"]
        assert client.post("/api/v1/scans", json=scan_body(number, "picked_up"),
                           headers=headers).status_code == 201
        made.append(number)
    return made


def post_form(client, path, data, page=None):
    token = csrf_of(client.get(page or path).data)
    return client.post(path, data={**data, "csrf_token": token})


def statuses(app, numbers):
    with Session(app.extensions["db_engine"]) as db:
        return [db.exec(select(Consignment.status).where(
            Consignment.tracking_number == n)).one() for n in numbers]


def manifest_of(response):
    return re.search(r"/counter/manifests/(BK[0-9-]+)", response.headers["Location"]).group(1)


def send_transfer(client, numbers):
    """As the shop's clerk: a transfer to the counter 100000, dispatched; its number."""
    login(client, SHOP_CLERK)
    created = post_form(client, "/counter/dossier-manifests/new",
                        {"kind": "transfer", "to_office_code": "100000", "n": numbers},
                        page="/counter/dossier-manifests/new?kind=transfer")
    number = manifest_of(created)
    post_form(client, f"/counter/manifests/{number}/dispatch", {},
              page=f"/counter/manifests/{number}")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    return number


def scan_number(client, number, **names):
    return post_form(client, "/counter/manifests/scan", {"number": number, **names})


@pytest.fixture
def shop(demo):
    add_shop_clerk(demo)
    return demo


def test_it_lists_the_dossiers_waiting_at_the_clerks_office(shop, client, api_headers):
    numbers = collect(client, api_headers)
    login(client, SHOP_CLERK)
    page = client.get("/counter/dossier-manifests/new?kind=transfer").get_data(as_text=True)
    assert all(n in page for n in numbers) and "100000" in page


def test_it_sends_a_transfer_that_the_receiving_counter_takes_with_one_scan(shop, client,
                                                                            api_headers):
    numbers = collect(client, api_headers)
    number = send_transfer(client, numbers)
    assert statuses(shop, numbers) == ["in_transit", "in_transit"]
    login(client, "counter")
    scan_number(client, number.lower())
    assert statuses(shop, numbers) == ["at_delivery_office", "at_delivery_office"]


def test_it_hands_the_dossiers_to_the_agency_with_one_scan(shop, client, api_headers):
    numbers = collect(client, api_headers)
    transfer = send_transfer(client, numbers)
    login(client, "counter")
    scan_number(client, transfer)
    created = post_form(client, "/counter/dossier-manifests/new",
                        {"kind": "to_agency", "n": numbers})
    scan_number(client, manifest_of(created), agency_signatory="Lê Văn Cường")
    assert statuses(shop, numbers) == ["handed_to_agency", "handed_to_agency"]


def test_it_asks_for_the_agency_officers_name_and_keeps_the_manifest_open(shop, client,
                                                                          api_headers):
    numbers = collect(client, api_headers, (1,))
    transfer = send_transfer(client, numbers)
    login(client, "counter")
    scan_number(client, transfer)
    number = manifest_of(post_form(client, "/counter/dossier-manifests/new",
                                   {"kind": "to_agency", "n": numbers}))
    answer = scan_number(client, number)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "cán bộ cơ quan" in page and statuses(shop, numbers) == ["at_delivery_office"]


def test_it_refuses_a_transfer_scanned_at_another_counter(shop, client, api_headers):
    numbers = collect(client, api_headers, (1,))
    transfer = send_transfer(client, numbers)
    add_shop_clerk(shop, "counter_far", "700000")
    with Session(shop.extensions["db_engine"]) as db:  # the far counter sees it through the agency
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        far = db.exec(select(PostOffice).where(PostOffice.code == "700000")).one()
        db.add(OfficeAgency(office_id=far.id, agency_id=agency.id))
        db.commit()
    login(client, "counter_far")
    scan_number(client, transfer)
    assert statuses(shop, numbers) == ["in_transit"]


def test_it_prints_a_bien_ban_ban_giao_ho_so_naming_both_sides(shop, client, api_headers):
    numbers = collect(client, api_headers, (1,))
    transfer = send_transfer(client, numbers)
    login(client, "counter")
    scan_number(client, transfer)
    number = manifest_of(post_form(client, "/counter/dossier-manifests/new",
                                   {"kind": "to_agency", "n": numbers}))
    scan_number(client, number, agency_signatory="Lê Văn Cường")
    pdf = client.get(f"/api/v1/manifests/{number}/manifest.pdf")
    text = pypdfium2.PdfDocument(pdf.data)[0].get_textpage().get_text_range()
    assert "BIÊN BẢN BÀN GIAO HỒ SƠ" in text and "Lê Văn Cường" in text
    assert text.index("Bưu điện Trung tâm") < text.index("Trung tâm Phục vụ hành chính công")


def test_it_tells_the_upstream_system_of_each_hand_over_exactly_once(shop, client,
                                                                     api_headers):
    numbers = collect(client, api_headers)
    transfer = send_transfer(client, numbers)
    login(client, "counter")
    scan_number(client, transfer)
    number = manifest_of(post_form(client, "/counter/dossier-manifests/new",
                                   {"kind": "to_agency", "n": numbers}))
    with Receiver(SECRET) as receiver:
        point_webhook_at(shop, receiver.url)
        scan_number(client, number, agency_signatory="Lê Văn Cường")
        scan_number(client, number, agency_signatory="Lê Văn Cường")  # scanned twice
        client.post("/api/v1/scans", json=scan_body(numbers[0], "handed_to_agency"),
                    headers=api_headers)  # and one item once more, by itself
    handed = [b["data"]["tracking_number"] for b in receiver.accepted()
              if b["type"] == "dossier.handed_to_agency"]
    changed = [b["data"]["tracking_number"] for b in receiver.accepted()
               if b["type"] == "consignment.status_changed"]
    assert sorted(handed) == sorted(numbers) and sorted(changed) == sorted(numbers)
    assert all(r["signature_ok"] for r in receiver.received)
    with Session(shop.extensions["db_engine"]) as db:
        assert db.exec(select(Manifest).where(Manifest.number == number)).one().state == \
            "handed_over"


def test_it_offers_each_form_only_to_the_office_that_scans_it(shop, client, api_headers):
    transfer = send_transfer(client, collect(client, api_headers, (1,)))
    login(client, SHOP_CLERK)
    sender_view = client.get(f"/counter/manifests/{transfer}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    login(client, "counter")
    receiver_view = client.get(f"/counter/manifests/{transfer}").get_data(as_text=True)
    assert "Xác nhận đã nhận tất cả" not in sender_view
    assert "Xác nhận đã nhận tất cả" in receiver_view
