"""A citizen's pending booking and the code that confirms it (tracking.booking_codes)."""

import json
from datetime import timedelta

import pytest
from sqlmodel import delete, select

from delivery.errors import LimitReached
from delivery.models import utcnow
from tests.payloads import collection_body
from tracking.booking_codes import (
    MAX_WRONG_TRIES,
    SENDS_PER_BOOKING,
    BookingCode,
    CodeRefused,
    confirm_code,
    find_booking,
    forget_expired,
    send_new_code,
    start_booking,
)
from tracking.models import Outbox
from tracking.sms import SmsSettings, render


def start(session, agency, fingerprint="f" * 64, now=None):
    booking, ids = start_booking(session, collection_body(None), agency.id, fingerprint, now)
    session.commit()
    return booking, ids


def code_of(session, outbox_id):
    return json.loads(session.get(Outbox, outbox_id).payload)["otp"]


def wrong(code):
    return "000000" if code != "000000" else "111111"


def test_it_texts_six_digits_and_keeps_only_a_salted_hash(session, agency):
    booking, [outbox_id] = start(session, agency)
    code = code_of(session, outbox_id)
    assert len(code) == 6 and code.isdigit() and code not in booking.code_hash + booking.body


def test_it_texts_the_code_without_a_number_or_a_link(session, agency):
    _, [outbox_id] = start(session, agency)
    payload = json.loads(session.get(Outbox, outbox_id).payload)
    text = render(payload, SmsSettings())
    assert payload["otp"] in text and "/t/" not in text and payload["to"] == "+84987654321"


def test_it_gives_back_the_body_and_deletes_the_pending_booking_on_the_right_code(session,
                                                                                  agency):
    booking, [outbox_id] = start(session, agency)
    body = confirm_code(session, booking, code_of(session, outbox_id))
    session.commit()
    assert body == collection_body(None) and session.exec(select(BookingCode)).all() == []


def test_it_counts_a_wrong_code_and_says_how_many_tries_are_left(session, agency):
    booking, [outbox_id] = start(session, agency)
    with pytest.raises(CodeRefused) as refused:
        confirm_code(session, booking, wrong(code_of(session, outbox_id)))
    assert refused.value.reason == "wrong" and refused.value.tries_left == MAX_WRONG_TRIES - 1


def test_it_refuses_even_the_right_code_after_the_last_wrong_try(session, agency):
    booking, [outbox_id] = start(session, agency)
    code = code_of(session, outbox_id)
    for _ in range(MAX_WRONG_TRIES):
        with pytest.raises(CodeRefused):
            confirm_code(session, booking, wrong(code))
        session.commit()
    with pytest.raises(CodeRefused) as refused:
        confirm_code(session, booking, code)
    assert refused.value.reason == "spent"


def test_it_refuses_an_expired_code(session, agency):
    booking, [outbox_id] = start(session, agency)
    with pytest.raises(CodeRefused) as refused:
        confirm_code(session, booking, code_of(session, outbox_id),
                     utcnow() + timedelta(minutes=11))
    assert refused.value.reason == "expired"


def test_it_gives_the_tries_back_with_a_new_code(session, agency):
    booking, [first] = start(session, agency)
    with pytest.raises(CodeRefused):
        confirm_code(session, booking, wrong(code_of(session, first)))
    [second] = send_new_code(session, booking)
    assert booking.failed_tries == 0 and booking.sends == 2
    assert confirm_code(session, booking, code_of(session, second)) is not None


def test_it_sends_at_most_three_codes_per_booking(session, agency):
    booking, _ = start(session, agency)
    for _ in range(SENDS_PER_BOOKING - 1):
        send_new_code(session, booking)
    with pytest.raises(LimitReached):
        send_new_code(session, booking)


def test_it_keeps_one_pending_booking_for_a_double_submit(session, agency):
    first, ids = start(session, agency)
    again, none = start(session, agency)
    assert again.id == first.id and len(ids) == 1 and none == []


def test_it_forgets_a_pending_booking_past_its_time(session, agency):
    booking, _ = start(session, agency)
    later = utcnow() + timedelta(hours=2)
    assert find_booking(session, booking.token, later) is None
    start(session, agency, "e" * 64)
    assert forget_expired(session, later) == 1


def test_it_masks_the_phone_of_a_code_message_sent_long_ago(session, agency):
    _, [outbox_id] = start(session, agency)
    row = session.get(Outbox, outbox_id)
    row.state = "sent"
    session.add(row)
    session.commit()
    forget_expired(session, utcnow() + timedelta(hours=2))
    session.commit()
    session.refresh(row)
    assert json.loads(row.payload)["to"] == "+8498*****21"


def test_it_answers_none_when_a_concurrent_request_used_the_booking(session, agency):
    booking, [outbox_id] = start(session, agency)
    code = code_of(session, outbox_id)
    session.exec(delete(BookingCode))
    assert confirm_code(session, booking, code) is None
