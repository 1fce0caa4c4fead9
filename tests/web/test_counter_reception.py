"""A dossier handed in at the counter: checked against the booking's checklist, photographed page
by page and received there (event ``accepted``), with the pick-up's own rules."""

import hashlib
import io

from tests.payloads import collection_body, scan_body
from tests.web.door_helpers import item_of, page_jpeg
from tests.web.test_courier_pickup import files, stored_pages
from tests.web.test_pages import csrf_of, login

PHOTOS = [page_jpeg(n) for n in (1, 2)]


def booked(client, headers):
    return client.post("/api/v1/collections", json=collection_body(),
                       headers=headers).get_json()["tracking_number"]


def receive(client, number, present=(1, 2), photos=PHOTOS, page="/counter", **fields):
    page = client.get(page)
    data = {"csrf_token": csrf_of(page.data), "event": "accepted", "document_count": "3",
            "received_by": "Trần Thị Bình", "collected_vnd": "15000", "payment_method": "cash",
            **{f"present_{n}": "1" for n in present}, **fields,
            "pages": [(io.BytesIO(photo), f"page{n}.jpg") for n, photo in enumerate(photos, 1)]}
    return client.post(f"/counter/consignments/{number}/receive", data=data,
                       content_type="multipart/form-data")


def test_it_offers_the_counter_to_receive_a_booked_dossier(demo, client, api_headers):
    number = booked(client, api_headers)
    login(client, "counter")
    html = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert "<h2>Nhận hồ sơ tại quầy</h2>" in html and "Receive the dossier" not in html
    assert html.count('type="checkbox" name="present_') == 3
    assert 'name="event" value="accepted"' in html


def test_it_receives_the_dossier_with_its_pages_and_the_missing_document(
        demo, client, api_headers):
    number = booked(client, api_headers)
    login(client, "counter")
    assert receive(client, number).status_code == 302
    assert item_of(demo, number).status == "accepted"
    rows, order = stored_pages(demo, number)
    assert [r.sha256 for r in rows] == [hashlib.sha256(p).hexdigest() for p in PHOTOS]
    assert order.pages_pdf_sha256 is not None
    pdf = client.get(f"/api/v1/consignments/{number}/pages.pdf", headers=api_headers)
    body = pdf.data
    pdf.close()
    assert pdf.status_code == 200 and hashlib.sha256(body).hexdigest() == order.pages_pdf_sha256
    timeline = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert "Bưu điện nhận hồ sơ tại quầy" in timeline and 'id="pickup-form"' not in timeline


def test_it_refuses_a_page_that_is_not_a_photo_keeping_the_ticks_and_nothing_else(
        demo, client, api_headers):
    number = booked(client, api_headers)
    login(client, "counter")
    response = receive(client, number, present=(2,), photos=[PHOTOS[0], b"not a photo"])
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ảnh trang 2: " in html
    assert 'name="present_2" value="1" checked' in html
    assert item_of(demo, number).status == "created" and files(demo) == []


def test_it_lets_only_counter_staff_receive_at_the_counter(demo, client, api_headers):
    number = booked(client, api_headers)
    login(client, "courier")
    assert receive(client, number, page="/courier").status_code == 403


def test_it_refuses_an_acceptance_of_a_dossier_without_its_checklist(demo, client, api_headers):
    number = booked(client, api_headers)
    response = client.post("/api/v1/scans", json=scan_body(number, "accepted"),
                           headers=api_headers)
    assert response.status_code == 422 and "documents" in response.get_json()["errors"]


def test_it_sends_a_dossier_taken_at_another_shop_on_to_the_agencys_counter(
        demo, client, api_headers):
    """A citizen hands a Hà Nội dossier in at Hồ Chí Minh City's shop (700000): received there,
    it travels by transfer manifest to the counter serving the agency (100000), which takes the
    whole manifest with one scan."""
    from tests.web.test_counter_collections import PATH, form
    from tests.web.test_counter_dossiers import manifest_of, post_form, scan_number

    login(client, "counter2")
    booked_at = post_form(client, PATH, form())
    number = booked_at.headers["Location"].rsplit("/", 1)[1]
    assert receive(client, number, document_count="2").status_code == 302  # the form's two
    created = post_form(client, "/counter/dossier-manifests/new",
                        {"kind": "transfer", "to_office_code": "100000", "n": [number]},
                        page="/counter/dossier-manifests/new?kind=transfer")
    manifest = manifest_of(created)
    post_form(client, f"/counter/manifests/{manifest}/dispatch", {},
              page=f"/counter/manifests/{manifest}")
    assert item_of(demo, number).status == "in_transit"
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    login(client, "counter")
    scan_number(client, manifest)
    assert item_of(demo, number).status == "at_delivery_office"
