"""The tenancy rule over the whole HTTP surface, generated: two agencies, offices of every kind,
every role and kind of key, every route that names an item.

For each caller and route the answer for an item outside the caller's scope must be exactly the
answer for a number that does not exist (403 when the role may not use the route at all, 404
otherwise), and for an item inside it something else. Who sees what is the table SEES, written
from the rule in docs/access.md, not from the code.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from delivery.accounts import create_api_client, create_user
from delivery.models import Agency
from tests.conftest import PASSWORD
from tests.payloads import intake_body, scan_body
from tests.web.test_pages import login

UNKNOWN = "RR287043775IN"  # a valid S10 number nobody has
AGENCY_A, AGENCY_B = "000.00.01.H26", "000.00.01.H29"  # the demo's two agencies
KEYS = {"key-a": "key-of-agency-a-0123456789", "key-b": "key-of-agency-b-0123456789",
        "postal-820000": "key-of-postal-820000-0123", "postal-all": "key-of-postal-all-012345"}
# caller -> which of the two items (A: agency A, to Hà Nội 100100; B: agency B, to Dĩ An 820000)
SEES = {
    "key-a": {"A"}, "key-b": {"B"}, "postal-820000": {"B"}, "postal-all": {"A", "B"},
    "counter": {"A"}, "counter-b": {"B"}, "courier": {"A"}, "courier-b": {"B"},
    "hub-hanoi": {"A"}, "supervisor": {"A"}, "supervisor-hcm": {"B"}, "root": {"A", "B"},
}
READS = ["/api/v1/consignments/{n}", "/api/v1/consignments/{n}/label.pdf",
         "/api/v1/consignments/{n}/label.zpl", "/api/v1/consignments/{n}/prints",
         "/counter/consignments/{n}", "/courier/items/{n}", "/staff/consignments/{n}/audit"]


@pytest.fixture
def world(demo, client) -> dict[str, str]:
    """The demo's two agencies and counters, staff of every kind and keys; one item of each."""
    with Session(demo.extensions["db_engine"]) as db:
        agency_a, agency_b = (db.exec(select(Agency).where(Agency.code == code)).one()
                              for code in (AGENCY_A, AGENCY_B))
        for name, role, code in (("counter-b", "counter", "700000"),
                                 ("courier-b", "courier", "820000"),
                                 ("hub-hanoi", "courier", "100900"), ("root", "admin", None)):
            create_user(db, name, PASSWORD, role, code)
        create_user(db, "supervisor-hcm", PASSWORD, "supervisor", None).province_code = 79
        create_api_client(db, "a", "intake scan read", agency_a.id, key=KEYS["key-a"])
        create_api_client(db, "b", "intake scan read", agency_b.id, key=KEYS["key-b"])
        for name, offices in (("postal-820000", ("820000",)), ("postal-all", ())):
            create_api_client(db, name, "scan read", key=KEYS[name], postal=True,
                              office_codes=offices)
        db.commit()
    item_a = client.post("/api/v1/consignments", json=intake_body(1, address={
        "street": "Số 1 Hàng Bài", "ward_code": 70, "province_code": 1}),
        headers=bearer("key-a")).get_json()
    item_b = client.post("/api/v1/consignments", json=intake_body(
        1, dossier_code=f"{AGENCY_B}-250609-0001",
        address={"street": "Số 8 đường số 10", "ward_code": 25942, "province_code": 79}),
        headers=bearer("key-b")).get_json()
    return {"A": item_a["tracking_number"], "B": item_b["tracking_number"]}


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[name]}"}


def as_caller(client, name: str) -> dict[str, str]:
    """Headers for a key, or a logged-in session for a user (and no headers)."""
    if name in KEYS:
        return bearer(name)
    assert login(client, name).status_code == 302
    return {}


def csrf(client) -> str:
    html = client.get("/courier/scan").get_data(as_text=True)
    found = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


@pytest.mark.parametrize("caller", sorted(SEES))
def test_it_answers_items_outside_the_scope_as_unknown_numbers(world, app, caller):
    client = app.test_client()
    headers = as_caller(client, caller)
    for route in READS:
        unknown = client.get(route.format(n=UNKNOWN), headers=headers).status_code
        for item, number in world.items():
            status = client.get(route.format(n=number), headers=headers).status_code
            if item in SEES[caller] and unknown != 403:
                assert status == 200, (caller, route, item, status)
            else:
                assert status == unknown, (caller, route, item, status, unknown)


@pytest.mark.parametrize("caller", sorted(SEES))
def test_it_scans_only_items_in_the_scope(world, app, caller):
    """A delivery of an item still at the agency: 409 (or 403 for a key without the scan scope)
    when the caller sees it, the unknown number's answer when it does not; single and batch."""
    client = app.test_client()
    headers = as_caller(client, caller)
    if not headers:
        headers = {"X-CSRF-Token": csrf(client)}
    unknown = client.post("/api/v1/scans", json=scan_body(UNKNOWN, "delivered"),
                          headers=headers).status_code
    for item, number in world.items():
        single = client.post("/api/v1/scans", json=scan_body(number, "delivered"), headers=headers)
        batch = client.post("/api/v1/scans/batch", headers=headers,
                            json={"scans": [scan_body(number, "cancelled", reason="x" * 50),
                                            scan_body(number, "arrived_hub")]})
        if unknown == 403:
            assert single.status_code == batch.status_code == 403
        elif item in SEES[caller]:
            assert single.status_code == 409, (caller, item, single.get_json())
            assert batch.get_json()["results"][1]["http_status"] in (201, 409)
        else:
            assert single.status_code == unknown == 404, (caller, item)
            assert [r["http_status"] for r in batch.get_json()["results"]][1] == 404


@pytest.mark.parametrize("caller", ["counter", "counter-b", "supervisor", "root", "key-a"])
def test_it_lists_and_prints_only_items_in_the_scope(world, app, caller):
    client = app.test_client()
    headers = as_caller(client, caller)
    if not headers:
        headers = {"X-CSRF-Token": csrf(client)}
        listed = client.get("/counter").get_data(as_text=True)
        found = client.get(f"/counter?q={world['B']}").get_data(as_text=True)
        assert {i for i, n in world.items() if f"/consignments/{n}" in listed} == SEES[caller]
        assert (f"/consignments/{world['B']}" in found) == ("B" in SEES[caller])
    for item, number in world.items():
        printed = client.post("/api/v1/labels/batch", json={"tracking_numbers": [number]},
                              headers=headers)
        assert (printed.status_code == 200) == (item in SEES[caller]), (item, printed.status_code)
        recorded = client.post(f"/api/v1/consignments/{number}/prints", headers=headers,
                               json={"format": "pdf", "reason": "scope check"})
        assert recorded.status_code == (201 if item in SEES[caller] else 404), item
