"""Money at the door: what a delivery of an item the recipient pays must say, and what it keeps."""

from datetime import datetime

import pytest
from sqlmodel import select

from delivery.access import EVERYTHING
from delivery.errors import ValidationFailed
from delivery.models import VIETNAM_TIME, Agency, TrackingEvent
from tests.payloads import PROOF, scan_body
from tracking.money import Collection, collected_vnd, courier_day, transfer_for
from tracking.scans import record_scan


def _out_for_delivery(session, consignment):
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        record_scan(session, scan_body(consignment.tracking_number, event), "user:7",
                    scope=EVERYTHING)
    session.commit()


def _deliver(session, consignment, **money):
    proof = {k: v for k, v in {**PROOF, **money}.items() if v is not None}
    body = scan_body(consignment.tracking_number, "delivered", proof=proof)
    result = record_scan(session, body, "user:7", scope=EVERYTHING, otp_required=False)
    session.commit()
    return result


@pytest.mark.parametrize(("typed", "amount"), [
    (22000, 22000), ("22000", 22000), ("22.000", 22000), (" 1.250.000 ", 1250000), (0, 0)])
def test_it_reads_a_collected_amount_as_people_write_dong(typed, amount):
    assert collected_vnd(typed) == amount


@pytest.mark.parametrize("typed", ["22.000,5", "22,00", "-22000", -1, 22000.5, 22000.0, True,
                                   "22.00", "", "abc", None, 10**13])
def test_it_refuses_a_collected_amount_that_is_not_whole_dong(typed):
    assert collected_vnd(typed) is None


def test_it_records_the_collection_with_the_delivery(session, consignment):
    _out_for_delivery(session, consignment)
    result = _deliver(session, consignment, collected_vnd="22.000", payment_method="transfer")
    (row,) = session.exec(select(Collection)).all()
    assert (row.event_id, row.consignment_id, row.actor) == (result.event.id, consignment.id,
                                                             "user:7")
    assert (row.amount_vnd, row.method) == (22000, "transfer")


@pytest.mark.parametrize("bad", ["22.000,5", -22000, 22000.5, "hai mươi nghìn"])
def test_it_stores_nothing_for_a_collected_amount_that_is_not_a_vnd_integer(session, consignment,
                                                                            bad):
    _out_for_delivery(session, consignment)
    with pytest.raises(ValidationFailed) as error:
        _deliver(session, consignment, collected_vnd=bad)
    session.rollback()
    assert set(error.value.errors) == {"proof.collected_vnd"}
    assert "Số tiền đã thu" in error.value.detail
    assert session.exec(select(Collection)).all() == []
    assert {e.event for e in session.exec(select(TrackingEvent)).all()} == {
        "accepted", "arrived_delivery_office", "out_for_delivery"}


def test_it_delivers_with_no_collection_when_an_api_client_says_nothing_of_money(
        session, consignment):
    # the contract's delivery proof has no money fields: such a delivery stands, unaccounted
    _out_for_delivery(session, consignment)
    _deliver(session, consignment, collected_vnd=None, payment_method=None)
    assert session.exec(select(Collection)).all() == []


def test_it_needs_the_method_with_the_amount(session, consignment):
    _out_for_delivery(session, consignment)
    with pytest.raises(ValidationFailed) as error:
        _deliver(session, consignment, collected_vnd=22000, payment_method=None)
    assert set(error.value.errors) == {"proof.payment_method"}


def test_it_refuses_a_payment_method_it_does_not_know(session, consignment):
    _out_for_delivery(session, consignment)
    with pytest.raises(ValidationFailed) as error:
        _deliver(session, consignment, payment_method="cheque")
    assert set(error.value.errors) == {"proof.payment_method"}


def test_it_delivers_without_money_when_the_recipient_does_not_pay(session, consignment):
    consignment.payer = "agency"
    session.add(consignment)
    session.commit()
    _out_for_delivery(session, consignment)
    assert _deliver(session, consignment, collected_vnd=None, payment_method=None).created
    assert session.exec(select(Collection)).all() == []


def test_it_sums_a_couriers_day_by_method(session, consignment):
    _out_for_delivery(session, consignment)
    _deliver(session, consignment, collected_vnd=22000, payment_method="cash")
    today = datetime.now(VIETNAM_TIME).date()
    day = courier_day(session, "user:7", today)
    assert (day.totals, day.total, len(day.collections)) == ({"cash": 22000, "transfer": 0},
                                                             22000, 1)
    assert courier_day(session, "user:8", today).total == 0


def test_it_builds_the_transfer_only_to_a_configured_account(agency):
    assert transfer_for(agency, "RR287043775VN", 22000) is None
    agency = Agency(code="x", name="x", payment_bank_bin="970436", payment_account="0011004123456")
    assert transfer_for(agency, "RR287043775VN", 22000).startswith("000201010212")


def test_it_sends_the_money_to_the_delivery_offices_own_account_first(session, consignment):
    from delivery.models import PostOffice
    from tracking.money import door_money

    office = PostOffice(code="100100", name="BC", kind="delivery_office", province_code=1,
                        payment_bank_bin="970415", payment_account="1234567890")
    session.add(office)
    session.commit()
    assert door_money(session, consignment).payload is None  # the agency has no account
    consignment.destination_office_id = office.id
    assert "0006970415" in door_money(session, consignment).payload


def test_it_keeps_no_collection_for_money_said_on_another_event(session, consignment):
    _out_for_delivery(session, consignment)
    body = scan_body(consignment.tracking_number, "delivery_failed",
                     proof={**PROOF, "collected_vnd": 22000, "payment_method": "cash"})
    record_scan(session, body, "user:7", scope=EVERYTHING)
    session.commit()
    assert session.exec(select(Collection)).all() == []


def test_it_keeps_an_amount_past_two_billion_dong(session, consignment):
    _out_for_delivery(session, consignment)
    _deliver(session, consignment, collected_vnd=3_000_000_000)
    assert [c.amount_vnd for c in session.exec(select(Collection)).all()] == [3_000_000_000]
