"""The counter's import results: what a run created, its refused rows named as people know them,
and an ambiguous row created in place with the ward the clerk picks."""

import re

from sqlmodel import Session, select

from delivery.models import Consignment, Ward
from tests.delivery.test_importing import BAD, GOOD, csv_bytes
from tests.web.test_import import upload
from tests.web.test_pages import csrf_of, login

UNSURE = "so 5 duong nguyen trai, phuong dong an, tp di an, binh duong"
AMBIGUOUS = f'000.00.01.H26-250609-0004,Phạm Thị Dung,0912000111,"{UNSURE}",,\n'


def imported(client, *rows):
    login(client, "counter")
    location = upload(client, csv_bytes(*rows)).headers["Location"]
    return location, client.get(location).get_data(as_text=True)


def di_an(app):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Ward).where(Ward.name == "Phường Dĩ An",
                                          Ward.province_code == 79)).one().code


def choose(client, location, row, candidate):
    token = csrf_of(client.get(location).data)
    return client.post(f"{location}/rows/{row}", data={"candidate": candidate,
                                                       "csrf_token": token})


def created_numbers(app):
    with Session(app.extensions["db_engine"]) as db:
        return {c.dossier_code: c.tracking_number for c in db.exec(select(Consignment))}


def test_it_lists_each_item_created_linked_to_its_page(demo, client):
    _, page = imported(client, GOOD[0], BAD)
    number = created_numbers(demo)["000.00.01.H26-250609-0001"]
    created = page.split('id="import-created"')[1].split("</table>")[0]
    assert f'href="/counter/consignments/{number}">{number}</a>' in created
    assert "000.00.01.H26-250609-0001" in created and "Nguyễn Văn An" in created


def test_it_prints_all_the_created_labels_through_the_batch_print(demo, client):
    _, page = imported(client, *GOOD)
    numbers = created_numbers(demo)
    link = re.search(r'id="print-created"[^>]*href="([^"]+)"', page).group(1)
    assert link == ("/print/batch?n=" + numbers["000.00.01.H26-250609-0001"]
                    + "&amp;n=" + numbers["000.00.01.H26-250609-0002"])


def test_it_starts_a_manifest_with_the_created_items_ticked(demo, client):
    _, page = imported(client, GOOD[0], BAD)
    link = re.search(r'id="manifest-created" href="([^"]+)"', page).group(1)
    manifest = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    number = created_numbers(demo)["000.00.01.H26-250609-0001"]
    assert f'name="n" value="{number}" checked' in manifest


def test_it_names_a_refused_row_by_its_dossier_code_and_recipient(demo, client):
    _, page = imported(client, GOOD[0], BAD)
    row = page.split('id="row-3"')[1].split("</tr>")[0]
    assert "000.00.01.H26-250609-0003" in row and "Lê Văn Cường" in row


def test_it_names_the_fields_of_a_refused_row_as_people_do(demo, client):
    _, page = imported(client, BAD)
    assert "<strong>Điện thoại di động</strong>" in page and "recipient.phone" not in page


def test_it_offers_the_candidate_wards_of_an_ambiguous_row(demo, client):
    _, page = imported(client, AMBIGUOUS)
    row = page.split('id="row-2"')[1].split("</tr>")[0]
    assert f'value="{di_an(demo)}:79"' in row and 'name="csrf_token"' in row


def test_it_creates_an_ambiguous_row_with_the_ward_chosen(demo, client, api_headers):
    location, _ = imported(client, AMBIGUOUS)
    choose(client, location, 2, f"{di_an(demo)}:79")
    number = created_numbers(demo)["000.00.01.H26-250609-0004"]
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["address"]["text"] == UNSURE and shown["address"]["ward"]["code"] == di_an(demo)


def test_it_shows_the_fixed_row_as_created(demo, client):
    location, _ = imported(client, GOOD[0], AMBIGUOUS)
    page = client.get(choose(client, location, 3, f"{di_an(demo)}:79").headers["Location"])
    created = page.get_data(as_text=True).split('id="import-created"')[1].split("</table>")[0]
    assert 'id="row-3"' in created and "Phạm Thị Dung" in created
    assert client.get(location + ".json").get_json()["failed"] == 0


def test_it_refuses_a_ward_the_row_was_not_offered(demo, client):
    location, _ = imported(client, AMBIGUOUS)
    page = client.get(choose(client, location, 2, "1:1").headers["Location"])
    assert "chọn một trong các phường/xã" in page.get_data(as_text=True)
    assert "000.00.01.H26-250609-0004" not in created_numbers(demo)


def test_it_refuses_a_row_fix_without_the_form_token(demo, client):
    location, _ = imported(client, AMBIGUOUS)
    response = client.post(f"{location}/rows/2", data={"candidate": f"{di_an(demo)}:79"})
    assert response.status_code in (400, 403) and not created_numbers(demo)


def test_it_shows_the_progress_bar_full_when_done(demo, client):
    _, page = imported(client, GOOD[0], BAD)
    assert re.search(r'<progress id="import-bar" class="import-bar" max="2" value="2">', page)

