"""Reading the citizen's CCCD QR at the door: the domain's parser and the phone's module
(web/static/js/courier/id-card.js) agree on every vector of id_card_vectors.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from delivery.errors import ValidationFailed
from tracking.id_card import MESSAGES, IdCardReading, NotAnIdCard, id_digits_check, read_id_card

VECTORS = json.loads((Path(__file__).parent / "id_card_vectors.json").read_text("utf-8"))
GOOD = [v for v in VECTORS if "reason" not in v]
BAD = [v for v in VECTORS if "reason" in v]
MODULE = Path(__file__).parents[2] / "web" / "static" / "js" / "courier" / "id-card.js"
CARD = "001089012345|123456789|Nguyễn Văn An|15031989|Nam|Số 12 Lý Thái Tổ, Hà Nội|20042021"


@pytest.mark.parametrize("vector", GOOD, ids=[v["name"] for v in GOOD])
def test_it_reads_the_last_4_digits_and_the_name_of_a_card(vector):
    assert read_id_card(vector["text"]) == IdCardReading(vector["id_last4"], vector["person"])


@pytest.mark.parametrize("vector", BAD, ids=[v["name"] for v in BAD])
def test_it_refuses_text_of_the_wrong_shape_naming_the_field(vector):
    with pytest.raises(NotAnIdCard) as refused:
        read_id_card(vector["text"])
    assert refused.value.reason == vector["reason"]


def test_it_refuses_with_a_validation_error_people_can_read():
    with pytest.raises(ValidationFailed) as refused:
        read_id_card(CARD.replace("001089012345", "00108901234"))
    assert refused.value.errors == {"id_card": "số CCCD phải có 12 chữ số / the ID number must "
                                               "have 12 digits"}


def test_it_keeps_no_more_of_the_number_than_its_last_4_digits():
    reading = read_id_card(CARD)
    assert "001089012345" not in repr(reading) and "123456789" not in repr(reading)


def test_it_gives_no_digits_check_when_the_agency_sent_no_digits():
    assert id_digits_check("RR287043775VN", None) is None


def run_module(script: str) -> object:
    node = shutil.which("node")
    if node is None:
        # the phone parses the card itself: CI must check its rules match the server's
        if os.environ.get("CI"):
            pytest.fail("CI must provide node (apt-get install nodejs) for the phone's module")
        pytest.skip("needs node to run the phone's module")
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                          text=True, check=True, timeout=30)
    return json.loads(done.stdout)


def test_it_reads_every_vector_on_the_phone_as_the_domain_does():
    script = f"""
import {{ readIdCard }} from {json.dumps(MODULE.as_uri())};
const vectors = {json.dumps(VECTORS)};
console.log(JSON.stringify(vectors.map((v) => {{
  try {{ return readIdCard(v.text); }}
  catch (e) {{ return {{ reason: e.reason, message: e.message }}; }}
}})));"""
    expected = [{"idLast4": v["id_last4"], "name": v["person"]} if "reason" not in v
                else {"reason": v["reason"], "message": MESSAGES[v["reason"]]} for v in VECTORS]
    assert run_module(script) == expected


def test_it_makes_the_same_digits_check_on_the_phone():
    script = f"""
import {{ digitsCheck }} from {json.dumps(MODULE.as_uri())};
console.log(JSON.stringify(await digitsCheck("RR287043775VN", "2345")));"""
    assert run_module(script) == id_digits_check("RR287043775VN", "2345")
