"""For which agency a caller may create items: an API key for its own, counter staff for the
agencies their office serves, an admin for any."""

import pytest
from sqlmodel import select

from delivery.access import Caller, scope_of
from delivery.accounts import create_api_client, hash_api_key
from delivery.errors import ValidationFailed
from delivery.intake_agency import agencies_for_staff, agency_for_staff, agency_of_client
from delivery.models import Agency, ApiClient, PostOffice
from delivery.organisation import OfficeAgency

HANOI, HCM = "000.00.01.H26", "000.00.01.H29"


def staff(role, office_id, session):
    """The scope of a staff user (delivery.access), as the web layer computes it."""
    return scope_of(session, Caller(role=role, office_id=office_id))


@pytest.fixture
def counter_office(session, agency):
    """A counter office serving the Hà Nội agency, and a second agency it does not serve."""
    office = PostOffice(code="100000", name="Bưu điện HCC Hà Nội", kind="counter", province_code=1)
    session.add_all([office, Agency(code=HCM, name="Trung tâm HCC TP. Hồ Chí Minh")])
    session.flush()
    session.add(OfficeAgency(office_id=office.id, agency_id=agency.id))
    session.commit()
    return office


def key_of(session, agency_code=None, postal=False):
    """A key of the agency; without one, a row as keys made before keys had to be bound to an
    agency or the postal network (create_api_client refuses those now) may still be."""
    agency = session.exec(select(Agency).where(Agency.code == agency_code)).first()
    if agency and not postal:
        client, _ = create_api_client(session, f"client-{agency_code}", "intake read", agency.id)
    else:
        client = ApiClient(name=f"legacy-{postal}", key_hash=hash_api_key(f"k-{postal}"),
                           scopes="intake read", postal=postal,
                           agency_id=agency.id if agency else None)
        session.add(client)
    session.commit()
    return client.id


def refused_field(call):
    with pytest.raises(ValidationFailed) as error:
        call()
    return set(error.value.errors), error.value.detail


def test_it_gives_an_agency_key_its_own_agency(session, counter_office):
    assert agency_of_client(session, key_of(session, HANOI)).code == HANOI


def test_it_lets_an_agency_key_repeat_its_own_code(session, counter_office):
    assert agency_of_client(session, key_of(session, HANOI), HANOI).code == HANOI


def test_it_refuses_an_agency_key_sending_for_another_agency(session, counter_office):
    fields, _ = refused_field(lambda: agency_of_client(session, key_of(session, HANOI), HCM))
    assert fields == {"agency_code"}


def test_it_refuses_a_key_of_no_agency(session, counter_office):
    fields, detail = refused_field(lambda: agency_of_client(session, key_of(session), HANOI))
    assert fields == {"agency_code"} and "belongs to no agency" in detail


def test_it_refuses_a_postal_network_key(session, counter_office):
    fields, _ = refused_field(lambda: agency_of_client(session, key_of(session, HANOI, True)))
    assert fields == {"agency_code"}


def test_it_offers_counter_staff_only_the_agencies_their_office_serves(session, counter_office):
    offered = agencies_for_staff(session, staff("counter", counter_office.id, session))
    assert [a.code for a in offered] == [HANOI]


def test_it_offers_staff_without_an_office_no_agency(session, counter_office):
    assert agencies_for_staff(session, staff("counter", None, session)) == []


def test_it_offers_an_admin_every_agency(session, counter_office):
    assert {a.code for a in agencies_for_staff(session, staff("admin", None, session))} == {
        HANOI, HCM}


def test_it_takes_an_agency_the_office_serves(session, counter_office):
    chosen = agency_for_staff(session, HANOI, staff("counter", counter_office.id, session))
    assert chosen.code == HANOI


def test_it_refuses_an_agency_the_office_does_not_serve_readably(session, counter_office):
    fields, detail = refused_field(lambda: agency_for_staff(
        session, HCM, staff("counter", counter_office.id, session)))
    assert fields == {"agency_code"} and detail.startswith("Cơ quan giải quyết / Issuing agency")


def test_it_answers_an_unknown_agency_as_one_not_served(session, counter_office):
    def answer(code):
        scope = staff("counter", counter_office.id, session)
        return refused_field(lambda: agency_for_staff(session, code, scope))

    assert answer("000.00.99.H99") == answer(HCM)


def test_it_lets_an_admin_choose_any_agency(session, counter_office):
    assert agency_for_staff(session, HCM, staff("admin", None, session)).code == HCM
