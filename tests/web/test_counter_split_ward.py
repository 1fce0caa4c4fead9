"""The counter's split-ward chooser: each candidate says which former ward it took parts of, and
the item keeps the former address once one is picked."""

from sqlmodel import Session, select

from delivery.models import Ward
from tests.web.test_counter import FORM
from tests.web.test_pages import csrf_of, login

SPLIT = "45 Kỳ Đồng, P.4, Q.3, TP HCM"  # old Phường 4 of Quận 3 went to two new wards


def test_it_says_which_former_ward_a_split_candidate_took_parts_of(demo, client):
    login(client, "counter")
    token = csrf_of(client.get("/counter/consignments/new").data)
    page = client.post("/counter/consignments/new", data={
        **FORM, "address": SPLIT, "csrf_token": token}).get_data(as_text=True)
    assert "Phường Bàn Cờ, Thành phố Hồ Chí Minh" in page
    assert "(nhận một phần Phường 4, Quận 3)" in page


def test_it_keeps_the_former_ward_when_the_clerk_picks_a_split_candidate(
        demo, client, api_headers):
    with Session(demo.extensions["db_engine"]) as db:
        ward = db.exec(select(Ward).where(Ward.name == "Phường Bàn Cờ")).one().code
    login(client, "counter")
    token = csrf_of(client.get("/counter/consignments/new").data)
    location = client.post("/counter/consignments/new", data={
        **FORM, "address": SPLIT, "ward_code": str(ward), "province_code": "79",
        "csrf_token": token}).headers["Location"]
    shown = client.get(f"/api/v1/consignments/{location.rsplit('/', 1)[1]}",
                       headers=api_headers).get_json()
    assert shown["address"]["text"] == SPLIT and shown["address"]["legacy"] == {
        "province": "Thành phố Hồ Chí Minh", "district": "Quận 3", "ward": "Phường 4"}
