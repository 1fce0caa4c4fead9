"""The office's cash reconciliation: expected vs collected per courier and day, figures checked by
hand, and the supervisor's sign-off."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from delivery.access import EVERYTHING, Scope
from delivery.accounts import create_user
from delivery.audit import AuditEntry, Who
from delivery.errors import Conflict, ValidationFailed
from delivery.intake import create_consignment, parse_intake
from delivery.models import VIETNAM_TIME, Agency, PostOffice
from tests.payloads import PROOF, intake_body, scan_body
from tracking.reconciliation import (
    DAY_AHEAD,
    reconcile,
    reconciliation_day,
    reconciliation_office,
)
from tracking.reconciliation_signoff import sign_off, signoff_of
from tracking.scans import record_scan

DAY = date(2026, 12, 1)
NOT_RECORDED = object()  # a delivery whose proof says nothing of money (an API client's)


@pytest.fixture
def office(session):
    office = PostOffice(code="100100", name="Bưu cục phát Hoàn Kiếm", kind="delivery_office",
                        province_code=1)
    session.add(office)
    session.add(PostOffice(code="820000", name="Bưu cục phát Dĩ An", kind="delivery_office",
                           province_code=79))
    session.commit()
    return office


@pytest.fixture
def couriers(session, office):
    users = [create_user(session, name, "a-long-password-1", "courier", "100100")
             for name in ("an", "binh")]
    session.commit()
    return [f"user:{u.id}" for u in users]


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM_TIME).isoformat()


def delivered(session, agency, office, actor, n, *, amount=22000, payer="recipient",
              collected=None, method="cash", when=None, office_id="office"):
    """An item of ``amount`` delivered by ``actor`` at ``when`` (default 10:00 on DAY), with
    ``collected`` taken by ``method`` (default: the amount; NOT_RECORDED: no money said)."""
    body = intake_body(n, payment={"payer": payer, "amount_vnd": amount})
    item, _ = create_consignment(session, parse_intake(body), agency, indicator="RR")
    item.destination_office_id = office.id
    session.add(item)
    where = office.id if office_id == "office" else office_id
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        record_scan(session, scan_body(item.tracking_number, event, occurred_at=at(8)), actor,
                    scope=EVERYTHING, office_id=where)
    proof = {k: v for k, v in PROOF.items() if k not in ("collected_vnd", "payment_method")}
    if collected is not NOT_RECORDED:
        proof |= {"collected_vnd": amount if collected is None else collected,
                  "payment_method": method}
    record_scan(session, scan_body(item.tracking_number, "delivered", proof=proof,
                                   occurred_at=when or at(10)),
                actor, scope=EVERYTHING, office_id=where, otp_required=False)
    session.commit()
    return item.tracking_number


def test_it_sums_each_couriers_expected_and_collected_by_method(session, agency, office,
                                                               couriers):
    an, binh = couriers
    delivered(session, agency, office, an, 1, amount=22000)
    delivered(session, agency, office, an, 2, amount=50000, method="transfer")
    delivered(session, agency, office, binh, 3, amount=22000, collected=20000)
    delivered(session, agency, office, binh, 4, amount=30000, collected=NOT_RECORDED)
    first, second = reconcile(session, EVERYTHING, office, DAY).couriers
    assert (first.name, first.expected_vnd, first.collected_by("cash"),
            first.collected_by("transfer"), first.difference_vnd, first.flags) == (
        "an", 72000, 22000, 50000, 0, ())
    assert (second.name, second.expected_vnd, second.collected_vnd, second.difference_vnd) == (
        "binh", 52000, 20000, -32000)
    assert second.flags == ("short", "amount_differs", "not_recorded")


def test_it_flags_each_item_that_is_off(session, agency, office, couriers):
    short = delivered(session, agency, office, couriers[0], 1, collected=20000)
    missing = delivered(session, agency, office, couriers[0], 2, collected=NOT_RECORDED)
    right = delivered(session, agency, office, couriers[0], 3)
    (courier,) = reconcile(session, EVERYTHING, office, DAY).couriers
    assert {i.tracking_number: i.flags for i in courier.items} == {
        short: ("amount_differs",), missing: ("not_recorded",), right: ()}


def test_it_totals_the_office_day(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1, amount=22000, method="transfer")
    delivered(session, agency, office, couriers[1], 2, amount=15000, collected=18000)
    totals = reconcile(session, EVERYTHING, office, DAY).totals
    assert (totals.items, totals.expected_vnd, totals.cash_vnd, totals.transfer_vnd,
            totals.difference_vnd) == (2, 37000, 18000, 22000, 3000)


def test_it_leaves_out_items_the_recipient_does_not_pay(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1, payer="agency", collected=NOT_RECORDED)
    assert reconcile(session, EVERYTHING, office, DAY).couriers == []


def test_it_shows_money_taken_for_an_item_the_recipient_does_not_pay(session, agency, office,
                                                                    couriers):
    delivered(session, agency, office, couriers[0], 1, payer="agency", amount=22000)
    (courier,) = reconcile(session, EVERYTHING, office, DAY).couriers
    assert (courier.expected_vnd, courier.collected_vnd) == (0, 22000)
    assert courier.flags == ("over", "amount_differs")


def test_it_counts_a_delivery_on_its_vietnamese_day(session, agency, office, couriers):
    late = delivered(session, agency, office, couriers[0], 1, when=at(23, 30))
    delivered(session, agency, office, couriers[0], 2, when=at(0, 10, date(2026, 12, 2)))
    (courier,) = reconcile(session, EVERYTHING, office, DAY).couriers
    assert [i.tracking_number for i in courier.items] == [late]


def test_it_counts_an_api_delivery_at_the_items_delivery_office(session, agency, office):
    delivered(session, agency, office, "api:9", 1, collected=NOT_RECORDED, office_id=None)
    (courier,) = reconcile(session, EVERYTHING, office, DAY).couriers
    assert (courier.actor, courier.expected_vnd, courier.flags) == (
        "api:9", 22000, ("short", "not_recorded"))


def test_it_leaves_out_another_offices_deliveries(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1)
    other = session.exec(select(PostOffice).where(PostOffice.code == "820000")).one()
    assert reconcile(session, EVERYTHING, other, DAY).couriers == []


def test_it_shows_no_item_outside_the_callers_scope(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1)
    stranger = Agency(code="000.00.01.H29", name="Trung tâm HCC TP. Hồ Chí Minh")
    session.add(stranger)
    session.commit()
    scope = Scope(agency_ids=frozenset({stranger.id}))
    assert reconcile(session, scope, office, DAY).couriers == []


@pytest.mark.parametrize("typed", ["2026-13-01", "01/12/2026", "2026-12-1", "hôm qua",
                                   "1999-12-31"])
def test_it_refuses_a_malformed_day(typed):
    with pytest.raises(ValidationFailed) as error:
        reconciliation_day(typed, DAY)
    assert "YYYY-MM-DD" in error.value.errors["day"]


def test_it_refuses_a_day_that_has_not_come_yet():
    with pytest.raises(ValidationFailed) as error:
        reconciliation_day("2026-12-02", DAY)
    assert error.value.errors == {"day": DAY_AHEAD}


def test_it_takes_today_when_no_day_is_given():
    assert reconciliation_day("", DAY) == DAY and reconciliation_day("2026-12-01", DAY) == DAY


def test_it_answers_an_office_outside_the_scope_as_an_unknown_one(session, agency, office):
    scope = Scope(agency_ids=frozenset({agency.id}))
    messages = []
    for code in ("820000", "999999"):
        with pytest.raises(ValidationFailed) as error:
            reconciliation_office(session, scope, code)
        messages.append(error.value.errors)
    assert messages[0] == messages[1] and "office" in messages[0]


SUPERVISOR = Who("user:1", "supervisor")


def signed(session, office, user_id, note=None):
    row = sign_off(session, reconcile(session, EVERYTHING, office, DAY), user_id, SUPERVISOR,
                   note)
    session.commit()
    return row


def test_it_keeps_the_signed_figures_and_audits_the_sign_off(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1, collected=20000)
    user_id = int(couriers[1].split(":")[1])
    row = signed(session, office, user_id, "Bưu tá An nộp thiếu 2.000 đ")
    assert (row.items, row.expected_vnd, row.cash_vnd, row.transfer_vnd, row.signed_by) == (
        1, 22000, 20000, 0, user_id)
    (entry,) = session.exec(select(AuditEntry).where(
        AuditEntry.action == "reconciliation.signed")).all()
    assert '"cash_vnd": 20000' in entry.detail and "nộp thiếu" in entry.detail


def test_it_refuses_to_sign_the_same_figures_twice(session, agency, office, couriers):
    delivered(session, agency, office, couriers[0], 1)
    signed(session, office, int(couriers[1].split(":")[1]))
    with pytest.raises(Conflict):
        signed(session, office, int(couriers[1].split(":")[1]))


def test_it_tells_when_the_figures_changed_after_signing_and_signs_again(session, agency, office,
                                                                         couriers):
    delivered(session, agency, office, couriers[0], 1)
    user_id = int(couriers[1].split(":")[1])
    signed(session, office, user_id)
    delivered(session, agency, office, "api:9", 2, collected=NOT_RECORDED, office_id=None)
    now = reconcile(session, EVERYTHING, office, DAY)
    assert not signoff_of(session, office.id, DAY).matches(now)
    row = signed(session, office, user_id)
    assert row.matches(reconcile(session, EVERYTHING, office, DAY)) and row.expected_vnd == 44000


def test_it_refuses_a_note_over_500_characters(session, agency, office, couriers):
    with pytest.raises(ValidationFailed) as error:
        signed(session, office, int(couriers[1].split(":")[1]), "x" * 501)
    assert set(error.value.errors) == {"note"}


def picked_up(session, agency, office, actor, *, collected=15000):
    """A dossier whose citizen pays a 15,000 đ fee, collected by ``actor`` at 9:00 on DAY."""
    from delivery.collections import create_collection, parse_collection
    from delivery.models import OfficeWard
    from tests.payloads import collection_body

    request = parse_collection(collection_body(9), agency_code=agency.code)
    session.add(OfficeWard(ward_code=request.address.ward_code, office_id=office.id))
    session.flush()
    item, _, _ = create_collection(session, request, agency, indicator="RR", booked_by="api:1",
                                   now=datetime(2026, 11, 30, tzinfo=VIETNAM_TIME))
    proof = {"received_by": "Trần Thị Bình", "collected_vnd": collected,
             "payment_method": "cash"}
    record_scan(session, scan_body(item.tracking_number, "picked_up", proof=proof,
                                   occurred_at=at(9)), actor, scope=EVERYTHING,
                office_id=office.id)
    session.commit()


def test_it_counts_the_fee_of_a_dossier_collected_at_the_door(session, agency, office, couriers):
    an, _ = couriers
    delivered(session, agency, office, an, 1, amount=22000)
    picked_up(session, agency, office, an, collected=10000)
    [courier] = reconcile(session, EVERYTHING, office, DAY).couriers
    assert (courier.expected_vnd, courier.collected_vnd, courier.difference_vnd) == (
        37000, 32000, -5000)
    assert "amount_differs" in courier.flags
