"""delivery.access against an oracle written from the rule itself: for every kind of caller and
every kind of item (agency x origin x destination x province), the SQL condition, the in-memory
check and the rule as the tenancy docs state it (via the planned route) give the same answer."""

from itertools import product

import pytest
from sqlmodel import Session, select

from delivery.access import (
    EVERYTHING,
    NOTHING,
    Caller,
    WrongOffice,
    check_office,
    scope_of,
    visible,
)
from delivery.accounts import create_api_client
from delivery.address.routing import planned_route
from delivery.models import Agency, Consignment, PostOffice
from delivery.organisation import OfficeAgency

HANOI, HCMC = 1, 79
WARD_OF = {HANOI: 70, HCMC: 25942}


@pytest.fixture
def org(session: Session) -> dict:
    """Two agencies, a counter serving each, two hubs in Hà Nội (only the first is the
    province's), one in TP.HCM, a delivery office in each province."""
    agencies = {code: Agency(code=code, name=code, province_code=province)
                for code, province in (("000.00.01.H26", HANOI), ("000.00.01.H29", HCMC))}
    offices = {code: PostOffice(code=code, name=code, kind=kind, province_code=province)
               for code, kind, province in (
                   ("100000", "counter", HANOI), ("700000", "counter", HCMC),
                   ("100900", "hub", HANOI), ("100901", "hub", HANOI), ("700900", "hub", HCMC),
                   ("100100", "delivery_office", HANOI), ("820000", "delivery_office", HCMC))}
    session.add_all([*agencies.values(), *offices.values()])
    session.flush()
    session.add_all([
        OfficeAgency(office_id=offices["100000"].id, agency_id=agencies["000.00.01.H26"].id),
        OfficeAgency(office_id=offices["700000"].id, agency_id=agencies["000.00.01.H29"].id)])
    session.commit()
    return {"agencies": agencies, "offices": offices}


@pytest.fixture
def items(session: Session, org: dict) -> list[Consignment]:
    """One item of every combination that matters to the rule."""
    offices = org["offices"]
    made = []
    combos = product(org["agencies"].values(), (None, "100000", "700000", "100100"),
                     (None, "100100", "820000", "100900"), (HANOI, HCMC))
    for n, (agency, origin, destination, province) in enumerate(combos):
        made.append(Consignment(
            tracking_number=f"RR{n:08d}0VN", tracking_token=f"token-{n}",
            dossier_code=f"{agency.code}-250609-{n:04d}", request_fingerprint="x",
            agency_id=agency.id, recipient_name="Nguyễn Văn An", recipient_phone="0912345678",
            address_text="Số 1", street="Số 1", ward_code=WARD_OF[province],
            province_code=province,
            origin_office_id=offices[origin].id if origin else None,
            destination_office_id=offices[destination].id if destination else None))
    session.add_all(made)
    session.commit()
    return made


def on_route(session: Session, item: Consignment, office: PostOffice) -> bool:
    """The rule as written: the office is on the item's planned route, or it is a counter
    serving the item's agency."""
    origin = session.get(PostOffice, item.origin_office_id) if item.origin_office_id else None
    destination = (session.get(PostOffice, item.destination_office_id)
                   if item.destination_office_id else None)
    route = planned_route(session, origin, destination, item.province_code)
    served = session.exec(select(OfficeAgency).where(
        OfficeAgency.office_id == office.id, OfficeAgency.agency_id == item.agency_id)).first()
    return office.id in {o.id for o in route} or served is not None


def in_province(session: Session, item: Consignment, province: int) -> bool:
    origin = session.get(PostOffice, item.origin_office_id) if item.origin_office_id else None
    return item.province_code == province or (origin is not None
                                              and origin.province_code == province)


def assert_rule(session: Session, caller: Caller, expected: set[str],
                items: list[Consignment]) -> None:
    scope = scope_of(session, caller)
    queried = set(session.exec(select(Consignment.tracking_number).where(visible(scope))).all())
    admitted = {c.tracking_number for c in items if scope.admits(c)}
    assert queried == admitted == expected


def test_it_lets_staff_see_items_whose_route_passes_their_office(session, org, items):
    for office in org["offices"].values():
        expected = {c.tracking_number for c in items if on_route(session, c, office)}
        assert_rule(session, Caller(role="courier", office_id=office.id), expected, items)


def test_it_gives_the_second_hub_of_a_province_only_what_is_routed_to_it(session, org, items):
    second = org["offices"]["100901"]
    assert_rule(session, Caller(role="courier", office_id=second.id), set(), items)


def test_it_lets_an_agency_key_see_only_its_agency(session, org, items):
    for agency in org["agencies"].values():
        expected = {c.tracking_number for c in items if c.agency_id == agency.id}
        assert_rule(session, Caller(agency_id=agency.id), expected, items)


def test_it_lets_a_province_supervisor_see_the_province(session, org, items):
    for province in (HANOI, HCMC):
        expected = {c.tracking_number for c in items if in_province(session, c, province)}
        assert_rule(session, Caller(role="supervisor", province_code=province), expected, items)


def test_it_binds_a_postal_key_to_its_offices(session, org, items):
    client, _ = create_api_client(session, "vnpost", "scan read", postal=True,
                                  office_codes=("700900", "100100"))
    session.commit()
    hub, delivery = org["offices"]["700900"], org["offices"]["100100"]
    expected = {c.tracking_number for c in items
                if on_route(session, c, hub) or on_route(session, c, delivery)}
    assert_rule(session, Caller(postal_client_id=client.id), expected, items)


def test_it_gives_an_unbound_postal_key_everything(session, org, items):
    client, _ = create_api_client(session, "vnpost-all", "scan read", postal=True)
    assert scope_of(session, Caller(postal_client_id=client.id)) == EVERYTHING


@pytest.mark.parametrize("caller", [Caller(), Caller(role="counter"),
                                    Caller(role="courier", province_code=HANOI)])
def test_it_gives_callers_bound_to_nothing_nothing(session, org, items, caller):
    assert scope_of(session, caller) == NOTHING
    assert_rule(session, caller, set(), items)


def test_it_gives_admins_everything(session, org, items):
    assert_rule(session, Caller(role="admin"), {c.tracking_number for c in items}, items)


def test_it_refuses_a_delivery_away_from_the_items_delivery_office(session, org, items):
    hub = org["offices"]["100900"]
    item = next(c for c in items if c.destination_office_id == org["offices"]["100100"].id)
    scope = scope_of(session, Caller(role="courier", office_id=hub.id))
    with pytest.raises(WrongOffice, match="100100"):
        check_office(session, scope, item, "out_for_delivery")
    check_office(session, scope, item, "arrived_hub")  # passing through is the hub's job


def test_it_lets_the_delivery_office_and_unbound_callers_deliver(session, org, items):
    office = org["offices"]["100100"]
    item = next(c for c in items if c.destination_office_id == office.id)
    for caller in (Caller(role="courier", office_id=office.id), Caller(agency_id=item.agency_id),
                   Caller(role="admin")):
        check_office(session, scope_of(session, caller), item, "delivered")
