"""The message texts as data: every kind rendered with the longest values it can get stays within
its SMS segment budget (accented UCS-2: 70/67 per part; unaccented GSM-7: 160/153) and within Zalo's
parameter lengths; a text naming an unknown variable is refused when loaded."""

import copy
import json

import pytest

from tracking.message_texts import KINDS, TEXTS, TEXTS_FILE, VARIABLES, TemplateError, load_texts
from tracking.sms import SmsSettings, encoding_of, render, segment_count, without_diacritics

BASE_URL = "https://ketqua-tthc.buudien.vn"  # 30 characters: the longest the budgets allow
# accented wherever free text can be: the worst case for UCS-2
WORST = {"tracking_number": "RR123456789VN", "dossier_code": "Đ" * 60, "otp": "999999",
         "link": f"{BASE_URL}/t/{'x' * 32}", "office": "Đ" * 70, "hours": "ữ" * 30,
         "window": "ữ" * 30, "receipt_number": "W" * 40, "appointment": "31/12/2026"}


def payload(kind: str, long_text: str = "Bưu cục Đống Đa ") -> dict:
    office = {"name": long_text * 20, "address": long_text * 20, "hours": long_text * 10}
    return {"to": "+84912345678", "template": kind, "tracking_number": WORST["tracking_number"],
            "dossier_code": long_text * 5, "token": "x" * 32, "otp": WORST["otp"],
            "office": office, "window": long_text * 3, "receipt_number": "W" * 40,
            "appointment": "31/12/2026"}


def test_it_assumes_the_longest_value_of_each_variable():
    assert {name: len(value) for name, value in WORST.items()} == {
        name: variable.max_length for name, variable in VARIABLES.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_it_keeps_each_accented_sms_within_its_segments(kind):
    text = render(payload(kind), SmsSettings(public_base_url=BASE_URL))
    assert segment_count(text) <= TEXTS[kind].sms_max_segments["accented"]
    assert segment_count(TEXTS[kind].sms.format(**WORST)) <= TEXTS[kind].sms_max_segments[
        "accented"]


@pytest.mark.parametrize("kind", KINDS)
def test_it_keeps_each_unaccented_sms_within_its_gsm7_segments(kind):
    text = render(payload(kind), SmsSettings(public_base_url=BASE_URL, ascii_only=True))
    assert encoding_of(text) == "GSM-7"
    assert segment_count(text) <= TEXTS[kind].sms_max_segments["unaccented"]
    plain = without_diacritics(TEXTS[kind].sms.format(**WORST))
    assert segment_count(plain) <= TEXTS[kind].sms_max_segments["unaccented"]


@pytest.mark.parametrize("kind", KINDS)
def test_it_keeps_each_zns_parameter_within_zalos_length(kind):
    for name, parameter in TEXTS[kind].zns.items():
        assert len(parameter.text.format(**WORST)) <= parameter.max_length, name


def test_it_cuts_a_long_office_address_to_its_length():
    text = render(payload("held_for_pickup"), SmsSettings(public_base_url=BASE_URL))
    office = text.split("chờ nhận tại ")[1].split(" (")[0]
    assert office.endswith("...") and len(office) == 70


@pytest.fixture
def data():
    return json.loads(TEXTS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", ["Bưu gửi {tracking_no}", "Mã {otp:>10}", "Mã {otp!r}",
                                  "Bưu gửi {0}", "Mở ngoặc {"])
def test_it_refuses_an_sms_text_with_an_unknown_variable(data, text):
    changed = copy.deepcopy(data)
    changed["kinds"]["created"]["sms"] = text
    with pytest.raises(TemplateError, match="created sms"):
        load_texts(changed)


def test_it_refuses_a_zns_parameter_with_an_unknown_variable(data):
    changed = copy.deepcopy(data)
    changed["kinds"]["delivered"]["zns"]["ma_buu_gui"]["text"] = "{recipient_name}"
    with pytest.raises(TemplateError, match="delivered zns ma_buu_gui: unknown variable"):
        load_texts(changed)


def test_it_refuses_texts_missing_a_kind(data):
    del data["kinds"]["delivered"]
    with pytest.raises(TemplateError, match="exactly the kinds"):
        load_texts(data)
