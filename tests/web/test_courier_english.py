"""The courier's pages in the language the courier chose (web/i18n.py): Vietnamese by default,
English once chosen, the scripts' words (in the page, words.js) and the door's answers too."""

import json
import re
import uuid
from datetime import datetime

from tests.payloads import VN
from tests.web.test_courier_offline import send_queued
from tests.web.test_courier_pages import fail_with_photo, jpeg, out_for_delivery
from tests.web.test_pages import csrf_of, login


def choose_english(client) -> None:
    token = csrf_of(client.get("/courier").data)
    client.post("/staff/language", data={"language": "en", "csrf_token": token})


def page_words(html: str) -> dict[str, str]:
    """The words a page gives its scripts (templates/words.html), all blocks merged."""
    words: dict[str, str] = {}
    for block in re.findall(r'<script type="application/json" class="page-words">(.*?)</script>',
                            html, re.S):
        words |= json.loads(block)
    return words


def test_it_shows_the_item_page_in_english_once_the_courier_chooses_it(
        demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    choose_english(client)
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert ">Confirm delivered</button>" in page and "<summary>Report a failed delivery" in page
    assert ">Out for delivery</div>" in page and "Received by" in page
    assert "Xác nhận phát thành công" not in page and "Người nhận" not in page
    assert page_words(page)["card_id"] == "the ID number must have 12 digits"


def test_it_gives_the_scan_pages_scripts_their_words_in_each_language(demo, client):
    login(client, "courier")
    vietnamese = page_words(client.get("/courier/scan").get_data(as_text=True))
    choose_english(client)
    page = client.get("/courier/scan").get_data(as_text=True)
    english = page_words(page)
    assert vietnamese["duplicate"] == "Đã quét rồi: {number}"
    assert english["duplicate"] == "Already scanned: {number}"
    assert english["others_waiting_many"] == ("{n} scans waiting for {name} to log in again on "
                                              "this phone")
    assert english["logout_stay"] == "Stay" and vietnamese["logout_stay"] == "Ở lại"
    assert ">Start camera</button>" in page and "Bật camera</button>" not in page


def test_it_answers_the_door_in_the_couriers_language(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    choose_english(client)
    shown = client.get(
        fail_with_photo(client, number, jpeg()).headers["Location"]).get_data(as_text=True)
    assert "Recorded: Delivery attempt failed → Delivery attempt failed" in shown
    answer = send_queued(client, number, str(uuid.uuid4()), datetime(1999, 12, 31, tzinfo=VN))
    assert answer.get_json()["message"] == "Not recorded: a time from 2000 on"
