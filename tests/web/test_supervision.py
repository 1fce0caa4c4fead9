"""A supervisor re-routes a missent item and moves an item to another courier's round."""

import re

from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry
from delivery.models import Consignment
from tests.conftest import PASSWORD
from tests.web.public_helpers import create_item, move
from tests.web.test_pages import login

HCMC_WARD = {"street": "Số 8 đường số 10", "ward_code": 25942, "province_code": 1}


def token_of(client, number: str) -> str:
    html = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def reroute(client, number: str, office: str, reason: str = "Chuyển nhầm bưu cục"):
    return client.post(f"/staff/consignments/{number}/reroute", follow_redirects=True,
                       data={"csrf_token": token_of(client, number), "office_code": office,
                             "reason": reason})


def test_it_reroutes_a_missent_item_to_the_office_that_can_deliver_it(demo, client,
                                                                      api_headers):
    number, _ = create_item(client, api_headers, address={
        "street": "Số 1 Hàng Bài", "ward_code": 97, "province_code": 1})  # no office of its own
    move(client, api_headers, number, "accepted")
    login(client, "courier")
    assert client.get(f"/courier/items/{number}").status_code == 404
    login(client, "supervisor")
    page = reroute(client, number, "100100").get_data(as_text=True)
    assert "Đã chuyển tuyến đến 100100" in page and "Chuyển tuyến đến bưu cục phát khác" in page
    login(client, "courier")
    assert client.get(f"/courier/items/{number}").status_code == 200
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(AuditEntry).where(
            AuditEntry.action == "consignment.reroute")).one()


def test_it_keeps_the_route_when_the_reason_is_missing(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "supervisor")
    page = reroute(client, number, "100100", reason="").get_data(as_text=True)
    assert "Chưa chuyển tuyến" in page and "lý do" in page
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(AuditEntry).where(
            AuditEntry.action == "consignment.reroute")).first() is None


def test_it_lets_only_supervisors_reroute(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "counter")
    response = client.post(f"/staff/consignments/{number}/reroute",
                           data={"csrf_token": token_of(client, number), "office_code": "100100",
                                 "reason": "thử"})
    assert response.status_code == 403


def test_it_moves_an_item_to_another_courier_of_its_office(demo, client, api_headers):
    number, _ = create_item(client, api_headers, address={
        "street": "Số 1 Hàng Bài", "ward_code": 70, "province_code": 1})
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "courier-2", PASSWORD, "courier", "100100")
        db.commit()
    login(client, "supervisor")
    client.post(f"/staff/consignments/{number}/courier",
                data={"csrf_token": token_of(client, number), "courier": "courier-2"})
    refused = client.post(f"/staff/consignments/{number}/courier", follow_redirects=True,
                          data={"csrf_token": token_of(client, number), "courier": "counter"})
    assert "Chưa chuyển bưu tá" in refused.get_data(as_text=True)
    with Session(demo.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()
        assert item.courier_id is not None
