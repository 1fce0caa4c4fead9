"""Markup, SQL and printer commands typed into every free-text field of an intake (name, street,
note, procedure, dossier code), a delivery's proxy name and a citizen's instructions: stored
verbatim (or refused with 422), and on the way out escaped on every page and label, never
executed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pypdfium2
import pytest

from tests.payloads import intake_body, scan_body
from tests.web.public_helpers import page_csrf
from tests.web.test_pages import login

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
