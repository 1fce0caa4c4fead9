"""What a pick-up produces, each for its own reader: the digitised dossier (pages.pdf) for the
agency and its postal staff only, the receipt (biên nhận) behind the citizen's private link."""

import hashlib

import pypdfium2
import pytest
from sqlmodel import Session

from delivery.accounts import create_api_client
from delivery.collection_models import CollectionOrder, DossierPage
from delivery.models import Agency
from tests.web.door_helpers import book_for_today, item_of, page_jpeg, pick_up
from tests.web.test_pages import login

PHOTOS = [page_jpeg(n) for n in (1, 2, 3)]


@pytest.fixture
def collected(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    assert pick_up(client, number, present=(1, 2), photos=PHOTOS).status_code == 302
    return number


def pdf_pages(data: bytes) -> int:
    return len(pypdfium2.PdfDocument(data))


def fetch(client, number, **kwargs):
    """The dossier PDF's answer, its file closed (send_file streams it)."""
    with client.get(f"/api/v1/consignments/{number}/pages.pdf", **kwargs) as response:
        response.get_data()
    return response


def test_it_gives_the_agency_the_dossier_as_one_pdf_a_page_per_photo(
        demo, api_headers, collected):
    response = fetch(demo.test_client(), collected, headers=api_headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert pdf_pages(response.data) == 3
    assert "no-store" in response.headers["Cache-Control"]
    item = item_of(demo, collected)
    with Session(demo.extensions["db_engine"]) as db:
        order = db.get(CollectionOrder, item.id)
        hashes = [db.get(DossierPage, (item.id, n)).sha256 for n in (1, 2, 3)]
    assert order.pages_pdf_sha256 == hashlib.sha256(response.data).hexdigest()
    assert hashes == [hashlib.sha256(p).hexdigest() for p in PHOTOS]


def test_it_gives_the_dossier_to_the_collecting_courier(demo, client, collected):
    response = fetch(client, collected)  # the courier who collected it is still logged in
    assert response.status_code == 200 and pdf_pages(response.data) == 3


def test_it_answers_404_before_the_dossier_is_digitised(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    assert client.get(f"/api/v1/consignments/{number}/pages.pdf",
                      headers=api_headers).status_code == 404


def test_it_hides_the_dossier_from_another_agencys_key(demo, client, collected):
    with Session(demo.extensions["db_engine"]) as db:
        other = Agency(code="000.00.02.H26", name="Sở Tư pháp")
        db.add(other)
        db.commit()
        create_api_client(db, "other", "read", other.id, key="bk_other-agency-read")
        db.commit()
    response = fetch(demo.test_client(), collected,
                     headers={"Authorization": "Bearer bk_other-agency-read"})
    assert response.status_code == 404


def test_it_never_serves_the_dossier_publicly(demo, collected):
    assert fetch(demo.test_client(), collected).status_code == 401


def test_it_shows_the_receipt_on_the_citizens_tracking_page(demo, client, collected):
    token = item_of(demo, collected).tracking_token
    html = client.get(f"/t/{token}").get_data(as_text=True)
    receipt = html.split('id="receipt"')[1].split("</section>")[0]
    assert "Tờ khai đăng ký khai sinh" in receipt and receipt.count("Thiếu") == 1
    assert 'id="receipt-pages">3<' in receipt and "15.000" in receipt
    assert f"/t/{token}/receipt.pdf" in receipt
    assert "0987654321" not in html and "Số 12 Lý Thái Tổ" not in html


def test_it_prints_the_receipt_as_a_pdf_behind_the_private_link(demo, client, collected):
    token = item_of(demo, collected).tracking_token
    response = client.get(f"/t/{token}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pypdfium2.PdfDocument(response.data)[0].get_textpage().get_text_range()
    assert "BIÊN NHẬN HỒ SƠ" in text and "Giấy chứng nhận kết hôn" in text
    assert "0987654321" not in text and "001190012345" not in text
    assert client.get("/t/not-the-token/receipt.pdf").status_code == 404


def test_it_has_no_receipt_before_the_pick_up(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    token = item_of(demo, number).tracking_token
    assert client.get(f"/t/{token}/receipt.pdf").status_code == 404
    assert 'id="receipt"' not in client.get(f"/t/{token}").get_data(as_text=True)


def test_it_adds_nothing_personal_to_the_public_json(demo, client, collected):
    token = item_of(demo, collected).tracking_token
    body = client.get(f"/api/v1/track/{token}").get_data(as_text=True)
    for personal in ("Trần Thị Bình", "0987654321", "Lý Thái Tổ", "001190012345", "receipt"):
        assert personal not in body
