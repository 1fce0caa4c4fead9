import pytest

from delivery.errors import TransitionNotAllowed, ValidationFailed
from delivery.models import PostOffice
from delivery.rerouting import reroute


@pytest.fixture
def offices(session):
    made = {code: PostOffice(code=code, name=code, kind=kind, province_code=1)
            for code, kind in (("100100", "delivery_office"), ("100200", "delivery_office"),
                               ("100000", "counter"))}
    session.add_all(made.values())
    session.commit()
    return made


def test_it_sends_the_item_to_the_new_office_and_keeps_the_reason(session, new_consignment,
                                                                  offices):
    item = new_consignment()
    event = reroute(session, item, offices["100200"], reason="  Chuyển   nhầm ", actor="user:1")
    assert (item.destination_office_id, item.version) == (offices["100200"].id, 2)
    assert (event.event, event.note, event.status_after) == ("rerouted", "Chuyển nhầm", "created")


def test_it_refuses_a_counter_as_destination(session, new_consignment, offices):
    with pytest.raises(ValidationFailed) as error:
        reroute(session, new_consignment(), offices["100000"], reason="nhầm", actor="user:1")
    assert "office" in error.value.errors


def test_it_refuses_an_item_already_delivered(session, new_consignment, offices):
    item = new_consignment()
    item.status = "delivered"
    with pytest.raises(TransitionNotAllowed):
        reroute(session, item, offices["100200"], reason="nhầm", actor="user:1")
