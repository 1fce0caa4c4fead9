from datetime import datetime

import pytest

from delivery.models import VIETNAM_TIME
from tracking.sms import (
    SmsSettings,
    encoding_of,
    quiet_until,
    render,
    segment_count,
    without_diacritics,
)

PAYLOAD = {"to": "+84912345678", "template": "out_for_delivery", "tracking_number": "RR000000015VN",
           "token": "x" * 32, "otp": "123456"}


def at(hour, minute=0):
    return datetime(2026, 11, 28, hour, minute, tzinfo=VIETNAM_TIME)


def test_it_writes_vietnamese_with_diacritics_by_default():
    text = render(PAYLOAD, SmsSettings())
    assert "Bưu tá" in text and "123456" in text and encoding_of(text) == "UCS-2"


def test_it_fits_one_gsm7_segment_without_diacritics():
    text = render({**PAYLOAD, "template": "created"},
                  SmsSettings(ascii_only=True, public_base_url="https://bd.vn"))
    assert encoding_of(text) == "GSM-7" and segment_count(text) == 1 and "https://bd.vn/t/" in text


@pytest.mark.parametrize("base_url", ["https://bd.vn", "https://ketqua-tthc.buudien.vn"])
def test_it_invites_the_rating_in_one_gsm7_or_two_ucs2_segments(base_url):
    payload = {**PAYLOAD, "template": "delivered"}
    plain = render(payload, SmsSettings(ascii_only=True, public_base_url=base_url))
    written = render(payload, SmsSettings(public_base_url=base_url))
    assert f"{base_url}/t/" in plain and "danh gia" in plain and "đánh giá" in written
    assert (encoding_of(plain), segment_count(plain)) == ("GSM-7", 1)
    assert (encoding_of(written), segment_count(written)) == ("UCS-2", 2)


def test_it_counts_segments_by_encoding():
    assert (segment_count("a" * 160) == 1 and segment_count("a" * 161) == 2
            and segment_count("a" * 307) == 3)
    assert segment_count("ư" * 70) == 1 and segment_count("ư" * 71) == 2
    # extended characters take two septets
    assert segment_count("{" * 80) == 1 and segment_count("{" * 81) == 2


def test_it_folds_every_vietnamese_letter():
    assert without_diacritics("Đường Nguyễn Trãi, Phường Bến Thành") == (
        "Duong Nguyen Trai, Phuong Ben Thanh")


def test_it_holds_messages_in_quiet_hours_until_seven():
    assert quiet_until("created", at(22, 30), (21, 7)) == at(7).replace(day=29)
    assert quiet_until("created", at(6, 10), (21, 7)) == at(7)
    assert quiet_until("created", at(12), (21, 7)) is None


def test_it_sends_the_otp_at_any_hour():
    assert quiet_until("out_for_delivery", at(23), (21, 7)) is None


def test_it_tells_where_to_collect_an_item():
    office = {"name": "Bưu cục phát Hoàn Kiếm", "address": "75 Đinh Tiên Hoàng",
              "hours": "7:30-18:00"}
    text = render({**PAYLOAD, "template": "held_for_pickup", "office": office}, SmsSettings())
    assert "75 Đinh Tiên Hoàng" in text and "7:30-18:00" in text
