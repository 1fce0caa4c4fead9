from delivery.access import EVERYTHING
from delivery.accounts import create_user
from delivery.intake import create_consignment, parse_intake
from delivery.models import PostOffice
from delivery.organisation import Beat, BeatWard
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


def test_it_puts_the_couriers_own_items_first_then_the_rest_of_the_office(session, agency):
    office = PostOffice(code="HK", name="Bưu cục Hoàn Kiếm", kind="delivery_office",
                        province_code=1, lat=OFFICE[0], lon=OFFICE[1])
    session.add(office)
    session.flush()
    me = create_user(session, "an", "password-123456", "courier", "HK")
    other = create_user(session, "binh", "password-123456", "courier", "HK")
    beat = Beat(office_id=office.id, code="T1", courier_id=me.id)
    session.add(beat)
    session.flush()
    near = item(session, agency, office, 1, (21.0290, 105.8550))
    in_my_beat = item(session, agency, office, 2, (21.0600, 105.8000))
    given_to_me = item(session, agency, office, 3, (21.0700, 105.7000))
    given_to_other = item(session, agency, office, 4, (21.0600, 105.8000))
    session.add(BeatWard(beat_id=beat.id, ward_code=in_my_beat.ward_code))
    given_to_me.courier_id, given_to_other.courier_id = me.id, other.id
    near.ward_code = 73  # another ward, in nobody's beat
    session.commit()
    order = delivery_round(session, office, EVERYTHING, courier_id=me.id).out_for_delivery
    assert [c.id for c in order] == [given_to_me.id, in_my_beat.id, near.id, given_to_other.id]


def test_it_puts_items_at_risk_of_being_late_first_in_each_list(session, agency):
    from datetime import timedelta

    from delivery.at_risk import flag_at_risk
    from delivery.models import utcnow

    office = PostOffice(code="HK", name="Bưu cục Hoàn Kiếm", kind="delivery_office",
                        province_code=1, lat=OFFICE[0], lon=OFFICE[1])
    session.add(office)
    session.flush()
    calm = item(session, agency, office, 1, None)
    risky = item(session, agency, office, 2, None)
    calm.status, risky.status = "at_delivery_office", "at_delivery_office"
    calm.due_at, risky.due_at = utcnow() + timedelta(days=5), utcnow() - timedelta(hours=1)
    calm.street, risky.street = "A", "B"  # street order alone would put calm first
    session.commit()
    flag_at_risk(session, utcnow())
    session.commit()
    session.expire_all()
    assert [c.id for c in delivery_round(session, office, EVERYTHING).waiting] == [risky.id,
                                                                                  calm.id]


def test_it_keeps_an_item_off_the_round_until_the_day_the_citizen_asked_for(session, agency):
    from datetime import date

    office = PostOffice(code="HK", name="Bưu cục Hoàn Kiếm", kind="delivery_office",
                        province_code=1)
    session.add(office)
    session.flush()
    today, later = item(session, agency, office, 1, None), item(session, agency, office, 2, None)
    waiting = item(session, agency, office, 3, None)
    later.requested_date, waiting.requested_date = date(2026, 12, 14), date(2026, 12, 10)
    waiting.status = "at_delivery_office"
    session.commit()
    before = delivery_round(session, office, EVERYTHING, today=date(2026, 12, 7))
    assert ([c.id for c in before.out_for_delivery], before.waiting) == ([today.id], [])
    assert [c.id for c in before.later] == [waiting.id, later.id]  # soonest day first
    on_the_day = delivery_round(session, office, EVERYTHING, today=date(2026, 12, 14))
    assert {c.id for c in on_the_day.out_for_delivery} == {today.id, later.id}
    assert [c.id for c in on_the_day.waiting] == [waiting.id] and on_the_day.later == []
