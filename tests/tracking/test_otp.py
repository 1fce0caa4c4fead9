import pytest
from sqlmodel import select

from delivery.access import EVERYTHING
from delivery.errors import ValidationFailed
from delivery.intake import create_consignment, parse_intake
from delivery.models import TrackingEvent
from tests.payloads import intake_body, scan_body, with_otp
from tests.tracking.otp_codes import texted_otp
from tracking.models import DeliveryOtp
from tracking.otp import MAX_WRONG_TRIES, WrongTry, issue_otp
from tracking.scans import record_scan


def scan(session, consignment, event, **extra):
    result = record_scan(session, scan_body(consignment.tracking_number, event, **extra), "user:1",
                         scope=EVERYTHING)
    session.commit()
    return result


def out_for_delivery(session, consignment):
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        scan(session, consignment, event)
    return texted_otp(session, consignment.id)


def deliver(session, consignment, code, otp_required=True):
    body = scan_body(consignment.tracking_number, "delivered")
    result = record_scan(session, with_otp(body, code) if code else body, "user:1",
                         scope=EVERYTHING,
                         otp_required=otp_required)
    session.commit()
    return result


def refused_and_rolled_back(session, consignment, code, **proof):
    """A wrong answer refused as web.scanning refuses it: the try it spent is committed, nothing
    else was written."""
    body = with_otp(scan_body(consignment.tracking_number, "delivered"), code)
    body["proof"].update(proof)
    with pytest.raises(WrongTry):
        record_scan(session, body, "user:1", scope=EVERYTHING)
    session.commit()


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_it_issues_six_digits_and_stores_only_a_hash(session, consignment):
    code = issue_otp(session, consignment)
    stored = session.exec(select(DeliveryOtp)).one()
    assert len(code) == 6 and code.isdigit() and code not in (stored.code_hash, stored.salt)


def test_it_texts_a_fresh_code_when_the_item_goes_out(session, consignment):
    code = out_for_delivery(session, consignment)
    assert len(code) == 6 and session.exec(select(DeliveryOtp)).one().round == 1


def test_it_delivers_with_the_texted_code(session, consignment):
    code = out_for_delivery(session, consignment)
    assert deliver(session, consignment, code).status == "delivered"


def test_it_refuses_a_delivery_without_the_code(session, consignment):
    out_for_delivery(session, consignment)
    with pytest.raises(ValidationFailed) as error:
        deliver(session, consignment, None)
    assert error.value.errors == {"proof.otp": "Mã OTP không đúng / wrong OTP"}


def test_it_refuses_a_wrong_code(session, consignment):
    code = out_for_delivery(session, consignment)
    with pytest.raises(ValidationFailed, match="wrong OTP"):
        deliver(session, consignment, wrong(code))


def test_it_counts_a_wrong_try_and_writes_nothing_else(session, consignment):
    code = out_for_delivery(session, consignment)
    refused_and_rolled_back(session, consignment, wrong(code))
    assert session.exec(select(DeliveryOtp)).one().failed_tries == 1
    assert session.exec(select(TrackingEvent).where(
        TrackingEvent.event == "delivered")).first() is None


def test_it_counts_wrong_id_digits_like_a_wrong_code(session, consignment):
    code = out_for_delivery(session, consignment)
    for _ in range(MAX_WRONG_TRIES):
        refused_and_rolled_back(session, consignment, code, id_last4="9999")
    with pytest.raises(ValidationFailed, match="too many"):
        deliver(session, consignment, code)


def test_it_gives_a_right_answer_its_try_back(session, consignment):
    code = out_for_delivery(session, consignment)
    refused_and_rolled_back(session, consignment, wrong(code))
    deliver(session, consignment, code)
    assert session.exec(select(DeliveryOtp)).one().failed_tries == 1


def test_it_locks_the_round_after_too_many_wrong_tries(session, consignment):
    code = out_for_delivery(session, consignment)
    for _ in range(MAX_WRONG_TRIES):
        refused_and_rolled_back(session, consignment, wrong(code))
    with pytest.raises(ValidationFailed, match="too many"):
        deliver(session, consignment, code)


def test_it_accepts_only_the_newest_rounds_code(session, consignment):
    first = out_for_delivery(session, consignment)
    scan(session, consignment, "delivery_failed")
    scan(session, consignment, "out_for_delivery")
    second = texted_otp(session, consignment.id)
    if first != second:
        with pytest.raises(ValidationFailed):
            deliver(session, consignment, first)
        session.rollback()
    assert deliver(session, consignment, second).status == "delivered"


def test_it_never_stores_the_code_in_the_event(session, consignment):
    code = out_for_delivery(session, consignment)
    deliver(session, consignment, code)
    proof = session.exec(
        select(TrackingEvent).where(TrackingEvent.event == "delivered")
    ).one().proof
    assert code not in proof and "otp" not in proof


def held_for_pickup(session, consignment):
    for event in ("accepted", "arrived_delivery_office", "held_for_pickup"):
        scan(session, consignment, event)
    return texted_otp(session, consignment.id, "held_for_pickup")


def test_it_texts_a_pickup_code_and_asks_for_it_at_the_office(session, consignment):
    code = held_for_pickup(session, consignment)
    with pytest.raises(ValidationFailed, match="wrong OTP"):
        deliver(session, consignment, None)
    session.rollback()
    assert deliver(session, consignment, code).status == "delivered"


def test_it_refuses_a_proxy_with_any_letter_but_no_code_at_the_office(session, consignment):
    held_for_pickup(session, consignment)
    body = scan_body(consignment.tracking_number, "delivered", proof={
        "received_by": "Trần Thị B", "relation": "proxy", "authorisation_ref": "anything"})
    with pytest.raises(ValidationFailed):
        record_scan(session, body, "user:1", scope=EVERYTHING)


def test_it_takes_the_matching_id_digits_when_the_setting_is_off(session, consignment):
    out_for_delivery(session, consignment)
    assert deliver(session, consignment, None, otp_required=False).status == "delivered"


def test_it_wants_some_factor_when_the_setting_is_off(session, agency):
    item, _ = create_consignment(session, parse_intake(intake_body(
        2, recipient={"name": "Nguyễn Văn An", "phone": "0912345678"})), agency, indicator="RR")
    session.commit()
    out_for_delivery(session, item)
    with pytest.raises(ValidationFailed, match="OTP"):
        deliver(session, item, None, otp_required=False)
