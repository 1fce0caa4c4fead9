from delivery.access import EVERYTHING
from delivery.intake import create_consignment, parse_intake
from delivery.models import PostOffice
from delivery.rounds import delivery_round
from tests.payloads import intake_body

OFFICE = (21.0285, 105.8542)


def item(session, agency, office, number, point):
    consignment, _ = create_consignment(session, parse_intake(intake_body(number)), agency,
                                        indicator="RR")
    consignment.status, consignment.destination_office_id = "out_for_delivery", office.id
    consignment.lat, consignment.lon = point if point else (None, None)
    session.add(consignment)
    return consignment


def test_it_visits_placed_items_nearest_first_and_the_others_after(session, agency):
    office = PostOffice(code="HK", name="Bưu cục Hoàn Kiếm", kind="delivery_office",
                        province_code=1, lat=OFFICE[0], lon=OFFICE[1])
    session.add(office)
    session.flush()
    far = item(session, agency, office, 1, (21.0600, 105.8000))
    unplaced = item(session, agency, office, 2, None)
    near = item(session, agency, office, 3, (21.0290, 105.8550))
    middle = item(session, agency, office, 4, (21.0400, 105.8400))
    session.commit()
    order = delivery_round(session, office, EVERYTHING).out_for_delivery
    assert [c.id for c in order] == [near.id, middle.id, far.id, unplaced.id]
