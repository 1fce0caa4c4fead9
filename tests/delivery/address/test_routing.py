import pytest

from delivery.address import destination_office, planned_route
from delivery.models import OfficeWard, PostOffice


@pytest.fixture
def offices(session):
    made = {code: PostOffice(code=code, name=code, kind=kind, province_code=province)
            for code, kind, province in [
                ("HN-COUNTER", "counter", 1), ("HN-HUB", "hub", 1), ("HN-HK", "delivery_office", 1),
                ("HCM-HUB", "hub", 79), ("HCM-DA", "delivery_office", 79)]}
    session.add_all(made.values())
    session.flush()
    session.add(OfficeWard(ward_code=70, office_id=made["HN-HK"].id))
    session.commit()
    return made


def test_it_routes_a_ward_to_the_office_that_serves_it(session, offices):
    assert destination_office(session, 70, 1).code == "HN-HK"


def test_it_falls_back_to_the_province_hub(session, offices):
    assert destination_office(session, 73, 1).code == "HN-HUB"


def test_it_has_no_office_for_a_province_without_one(session, offices):
    assert destination_office(session, 1, 4) is None  # Cao Bằng has no office in this data


def test_it_plans_through_both_hubs_across_provinces(session, offices):
    route = planned_route(session, offices["HN-COUNTER"], offices["HCM-DA"], 79)
    assert [o.code for o in route] == ["HN-COUNTER", "HN-HUB", "HCM-HUB", "HCM-DA"]


def test_it_plans_through_one_hub_within_a_province(session, offices):
    route = planned_route(session, offices["HN-COUNTER"], offices["HN-HK"], 1)
    assert [o.code for o in route] == ["HN-COUNTER", "HN-HUB", "HN-HK"]


def test_it_plans_from_the_destination_hub_before_the_item_is_handed_over(session, offices):
    assert [o.code for o in planned_route(session, None, offices["HCM-DA"], 79)] == [
        "HCM-HUB", "HCM-DA"]
