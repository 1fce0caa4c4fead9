"""The counter's pages in English, once the clerk chooses it: the catalog's words
(web/translations/en/counter.po), the flashes, the field names and the scripts' words."""

import html
import json
import re

from tests.web.test_counter import FORM, post_form
from tests.web.test_counter_collections import PATH as COLLECTION
from tests.web.test_counter_collections import form as collection_form
from tests.web.test_counter_collections import post as post_collection
from tests.web.test_pages import csrf_of, login


def in_english(client) -> None:
    login(client, "counter")
    token = csrf_of(client.get("/counter").data)
    client.post("/staff/language", data={"language": "en", "csrf_token": token})


def page_words(page: str) -> dict[str, str]:
    """The words the page hands its scripts (templates/words.html)."""
    blocks = re.findall(r'<script type="application/json" class="page-words">(.*?)</script>', page,
                        re.S)
    return {key: word for block in blocks for key, word in json.loads(html.unescape(block)).items()}


def test_it_shows_the_new_item_form_and_its_scripts_words_in_english(demo, client):
    in_english(client)
    page = client.get("/counter/consignments/new").get_data(as_text=True)
    assert "Issuing agency" in page and "Delivery address (as written)" in page
    assert "Cơ quan giải quyết" not in page and "Điện thoại di động" not in page
    assert page_words(page)["checking"] == "Checking…"


def test_it_says_what_it_did_and_names_a_refused_field_in_english(demo, client):
    in_english(client)
    refused = post_form(client, "/counter/consignments/new", {**FORM, "phone": "123"})
    assert "Mobile phone:" in refused.get_data(as_text=True)
    created = client.get(post_form(client, "/counter/consignments/new", FORM).headers["Location"])
    page = created.get_data(as_text=True)
    assert re.search(r"Item \w+ created", page) and "To collect: <strong>22.000 đ</strong>" in page
    assert "Đã tạo bưu gửi" not in page and "Thu hộ" not in page


def test_it_names_the_collection_forms_rows_in_english_for_the_page_and_its_script(demo, client):
    in_english(client)
    page = client.get(COLLECTION).get_data(as_text=True)
    assert 'aria-label="Document, row 1"' in page and "Collection window" in page
    assert page_words(page)["documentRow"] == "Document, row {n}"
    refused = post_collection(client, collection_form(doc_copies=["", "", "99", ""]))
    assert "Documents, row 3:" in refused.get_data(as_text=True)
