"""Markup, SQL and printer commands typed into every free-text field of an intake (name, street,
note, procedure, dossier code), a delivery's proxy name and a citizen's instructions: stored
verbatim (or refused with 422), and on the way out escaped on every page and label, never
executed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pypdfium2
import pytest

from delivery.errors import ValidationFailed
from delivery.printing import print_reason
from tests.payloads import intake_body, scan_body
from tests.web.public_helpers import page_csrf
from tests.web.test_pages import csrf_of, login

HOSTILE = ("<script>alert(1)</script>\"'><img src=x onerror=alert(2)>'; DROP TABLE consignment;--"
           "^XA^FO50,50^FDpwned^FS^XZ~JR\u202eevil")
EXECUTABLE = ("<script>alert(1)", "<img src=x onerror", "^XA^FO50,50", "~JR")
WARD = {"ward_code": 70, "province_code": 1}  # Phường Hoàn Kiếm, Hà Nội (the demo courier's)


def hostile_intake(number: int = 1, text: str = HOSTILE) -> dict:
    return intake_body(number, procedure=text, note=text, address={"street": text, **WARD},
                       recipient={"name": f"Nguyễn {text}", "phone": "0912345678"})


@pytest.fixture
def item(demo, client, api_headers) -> dict:
    """A consignment made of hostile text, out for delivery, with the citizen's hostile
    instructions."""
    created = client.post("/api/v1/consignments", json=hostile_intake(), headers=api_headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        client.post("/api/v1/scans", json=scan_body(body["tracking_number"], event),
                    headers=api_headers)
    token = body["tracking_url"].rsplit("/", 1)[1]
    said = client.post(f"/t/{token}/requests", data={"csrf_token": page_csrf(client, token),
                                                     "kind": "instructions",
                                                     "instructions": HOSTILE[:200]})
    assert said.status_code in (200, 302)
    return {**body, "token": token}


def assert_inert(page: str) -> None:
    for markup in EXECUTABLE[:2]:
        assert markup not in page


def test_it_stores_hostile_text_verbatim(item, client, api_headers):
    stored = client.get(f"/api/v1/consignments/{item['tracking_number']}",
                        headers=api_headers).get_json()
    assert (stored["recipient"]["name"] == f"Nguyễn {HOSTILE}"
            and stored["address"]["street"] == HOSTILE)


@pytest.mark.parametrize("user, path", [("counter", "/counter/consignments/{n}"),
                                        ("courier", "/courier/items/{n}"),
                                        ("supervisor", "/staff/requests")])
def test_it_escapes_hostile_text_on_staff_pages(item, client, user, path):
    login(client, user)
    page = client.get(path.format(n=item["tracking_number"])).get_data(as_text=True)
    assert_inert(page)
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in page
            and "&lt;img src=x onerror=alert(2)&gt;" in page)


def test_it_shows_the_citizen_only_a_masked_inert_name(item, client):
    page = client.get(f"/t/{item['token']}").get_data(as_text=True)
    assert_inert(page)
    # the masked name; nothing of the street or the note
    assert "DROP TABLE" not in page and "N***" in page


def test_it_escapes_hostile_text_in_the_svg_label(item, client, api_headers):
    svg = client.get(f"/api/v1/consignments/{item['tracking_number']}/label.svg",
                     headers=api_headers).data
    root = ET.fromstring(svg)  # well-formed: nothing broke out of its text element
    assert not [e for e in root.iter()
                if e.tag.rsplit("}", 1)[-1] in ("script", "img", "foreignObject")]
    assert "<script>alert(1)</script>" in "".join(root.itertext())  # shown as the text it is


def test_it_keeps_printer_commands_out_of_the_zpl_label(item, client, api_headers):
    zpl = client.get(f"/api/v1/consignments/{item['tracking_number']}/label.zpl",
                     headers=api_headers).data.decode()
    assert zpl.count("^XA") == zpl.count("^XZ") == 1 and "~JR" not in zpl and "^FDpwned" not in zpl
    # control and bidi-override characters are dropped from printed fields
    assert "\u202e" not in zpl


def test_it_prints_hostile_text_as_text_in_the_pdf_label(item, client, api_headers):
    pdf = pypdfium2.PdfDocument(client.get(
        f"/api/v1/consignments/{item['tracking_number']}/label.pdf", headers=api_headers).data)
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "<script>alert(1)</script>" in text


def test_it_records_a_hostile_proxy_name_verbatim_and_shows_it_escaped(item, client, api_headers):
    proof = {"received_by": HOSTILE[:100], "relation": "proxy", "authorisation_ref": HOSTILE[:50],
             "id_last4": "2345"}
    delivered = client.post("/api/v1/scans",
                            json=scan_body(item["tracking_number"], "delivered", proof=proof),
                            headers=api_headers)
    assert delivered.status_code in (201, 422), delivered.get_json()
    login(client, "counter")
    assert_inert(client.get(
        f"/counter/consignments/{item['tracking_number']}").get_data(as_text=True))


@pytest.mark.parametrize("field", ["name", "street", "note", "procedure", "dossier_code"])
def test_it_stores_or_refuses_a_nul_in_every_intake_field_never_fails(
    demo, client, api_headers, field
):
    body = intake_body(7)
    text = "Nguyễn\x00 An\u202e"
    if field == "name":
        body["recipient"]["name"] = text
    elif field == "street":
        body["address"] = {"street": text, **WARD}
    else:
        body[field] = text
    response = client.post("/api/v1/consignments", json=body, headers=api_headers)
    assert response.status_code in (201, 422), response.get_json()
    if response.status_code == 422:
        assert response.mimetype == "application/problem+json" and response.get_json()["errors"]


def test_it_refuses_a_hostile_dossier_code(demo, client, api_headers):
    response = client.post("/api/v1/consignments", json=intake_body(1, dossier_code=HOSTILE),
                           headers=api_headers)
    assert response.status_code == 422 and "dossier_code" in response.get_json()["errors"]


CONTROLS = ["\x07", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe"]


@pytest.mark.parametrize("control", CONTROLS)
def test_it_refuses_a_control_character_in_a_name_naming_the_field(demo, client, api_headers,
                                                                   control):
    body = intake_body(8, recipient={"name": f"Nguyễn{control}An", "phone": "0912345678"})
    response = client.post("/api/v1/consignments", json=body, headers=api_headers)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["recipient.name"]


def test_it_refuses_a_control_character_typed_in_the_counter_form(demo, client):
    login(client, "counter")
    form = {"agency_code": "000.00.01.H26", "dossier_code": "000.00.01.H26-250609-0009",
            "name": "Trần\x1b[31m Bình", "phone": "0987654321",
            "address": "Số 3 Đinh Tiên Hoàng, Phường Hoàn Kiếm, Hà Nội"}
    token = csrf_of(client.get("/counter/consignments/new").data)
    page = client.post("/counter/consignments/new", data={**form, "csrf_token": token})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "name" in text and "U+001B" in text
    assert "000.00.01.H26-250609-0009" not in client.get("/counter").get_data(as_text=True)


def test_it_refuses_an_import_row_with_a_control_character_and_imports_the_others(demo, client):
    from tests.delivery.test_importing import GOOD, csv_bytes
    from tests.web.test_import import upload

    login(client, "counter")
    bad = ('000.00.01.H26-250609-0003,Lê\x07 Văn Cường,0912345679,'
           '"Số 3 Hàng Gai, Phường Hoàn Kiếm, Hà Nội",,\n')
    location = upload(client, csv_bytes(GOOD[0], bad)).headers["Location"]
    progress = client.get(location + ".json").get_json()
    assert (progress["created"], progress["failed"]) == (1, 1)


def test_it_keeps_the_svg_label_well_formed_for_every_name_it_accepts(demo, client, api_headers):
    # tab, line feed and carriage return are the controls XML carries
    body = intake_body(10, recipient={"name": "Nguyễn\tVăn\r\nAn", "phone": "0912345678"})
    number = client.post("/api/v1/consignments", json=body,
                         headers=api_headers).get_json()["tracking_number"]
    ET.fromstring(client.get(f"/api/v1/consignments/{number}/label.svg",
                             headers=api_headers).data)


def test_it_refuses_a_100000_character_street(demo, client, api_headers):
    body = intake_body(11, address={"street": "x" * 100_000, **WARD})
    response = client.post("/api/v1/consignments", json=body, headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["address.street"]


def test_it_refuses_a_written_address_whose_street_part_overflows_its_column(demo, client,
                                                                             api_headers):
    address = "Số " + "x" * 440 + ", Phường Hoàn Kiếm, Hà Nội"  # 470 of the 500 allowed
    response = client.post("/api/v1/consignments", json=intake_body(12, address=address),
                           headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["address"]


def test_it_refuses_a_proof_of_control_characters_that_would_overflow_its_column(
    item, client, api_headers
):
    proof = {"received_by": "\x01" * 200, "relation": "proxy", "id_last4": "9876",
             "authorisation_ref": "\x01" * 200}
    response = client.post("/api/v1/scans", json=scan_body(item["tracking_number"], "delivered",
                                                            proof=proof), headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == [
        "proof.received_by"]


def test_it_keeps_the_longest_proof_within_its_column(item, client, api_headers):
    proof = {"received_by": '"' * 200, "relation": "proxy", "id_last4": "9876",
             "authorisation_ref": "\\" * 200}  # each written as 2 characters in JSON
    response = client.post("/api/v1/scans", json=scan_body(item["tracking_number"], "delivered",
                                                            proof=proof), headers=api_headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["event"]["proof"]["authorisation_ref"] == "\\" * 200


@pytest.mark.parametrize("background", [False, True])
def test_it_refuses_a_print_reason_over_300_characters(item, client, api_headers, background):
    response = client.post("/api/v1/labels/batch", json={
        "tracking_numbers": [item["tracking_number"]], "reason": "r" * 301,
        "background": background}, headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["reason"]
    prints = client.get(f"/api/v1/consignments/{item['tracking_number']}/prints",
                        headers=api_headers).get_json()["prints"]
    assert prints == []


def test_it_refuses_a_print_reason_over_300_characters_on_the_counter_page(item, client):
    login(client, "counter")
    token = csrf_of(client.get("/print/batch").data)
    page = client.post("/print/batch", data={"csrf_token": token, "reason": "r" * 301,
                                             "numbers": item["tracking_number"]})
    assert "300" in page.get_data(as_text=True) and "r" * 301 in page.get_data(as_text=True)


@pytest.mark.parametrize("reason", ["r" * 301, ["torn"], 42])
def test_it_refuses_to_record_a_print_with_a_reason_over_its_column(reason):
    # every print record and print job takes its reason through this one rule
    with pytest.raises(ValidationFailed) as refused:
        print_reason(reason)
    assert list(refused.value.errors) == ["reason"] and print_reason(" " + "r" * 299) == "r" * 299
