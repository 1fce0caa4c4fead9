"""The document and the validation agree, rule by rule: a value the served /api/v1/openapi.json
refuses gets a 422 naming its field; one it accepts passes that field. Each rule below was missing
from the hand-written document this one replaced."""

from __future__ import annotations

from typing import Any

import jsonschema_rs  # schemathesis's JSON Schema validator: the one its checks use
import pytest

from delivery import intake
from delivery.intake_address import MAX_ADDRESS
from delivery.printing import MAX_PRINT_REASON
from tests.payloads import intake_body, scan_body
from tracking.batch import MAX_SCANS
from tracking.scans import MAX_SCAN_NOTE
from web.openapi import REF

CONSIGNMENT, LABEL = "/api/v1/consignments", "/api/v1/consignments/{tracking_number}/label."


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def _accepts(document: dict[str, Any], schema: dict[str, Any], value: Any) -> bool:
    """Whether ``schema`` (refs into the served document's components allowed) accepts ``value``."""
    root = {**schema, "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root).is_valid(value)


def _body_schema(model: str) -> dict[str, str]:
    return {"$ref": REF.format(model=model)}


def _put(body: dict[str, Any], place: str, value: Any) -> None:
    *outer, last = place.split(".")
    for key in outer:
        body = body[key]
    body[last] = value


def _passes(response, place: str) -> bool:
    """No error on ``place`` or inside it (``address`` covers ``address.text``); never a 5xx."""
    errors = response.get_json().get("errors", {}) if response.status_code == 422 else {}
    return response.status_code < 500 and not any(
        key == place or key.startswith(place + ".") for key in errors)


def _agrees(document, schema, value, response, place: str) -> tuple[bool, bool]:
    return _accepts(document, schema, value), _passes(response, place)


STRUCTURED = {"street": "Số 1 Tràng Tiền", "ward_code": 70, "province_code": 1}
INTAKE = {  # rule: [(where the value goes, the value, whether the document accepts it)]
    "dossier code": [("dossier_code", "000.00.01.H26-250609-0002", True),
                     ("dossier_code", " 000.00.01.H26-250609-0003 ", True),
                     ("dossier_code", "000.00.01.H26-250609-002", False),
                     ("dossier_code", "000.00.01.h26-250609-0002", False),
                     ("dossier_code", "000.00.01.H26-250609-000٢", False)],  # Arabic-Indic digit
    "phone": [("recipient.phone", "+84 912 345 678", True),
              ("recipient.phone", "(091) 234-5678", True),
              ("recipient.phone", "0 9 1 2 3 4 5 6 7 8 ", True),  # 20 characters
              ("recipient.phone", "0 9 1 2 3 4 5 6 7 8  ", False),  # 21
              ("recipient.phone", "02438123456", False),  # a landline
              ("recipient.phone", "+1 415 555 0100", False)],
    "national id": [("recipient.national_id", "001 085 012 345", True),
                    ("recipient.national_id", "123456789", True),
                    ("recipient.national_id", "", True),
                    ("recipient.national_id", "1234567890", False),
                    ("recipient.national_id", "00108501234٥", False)],
    "address": [("address", "Phường Cửa Nam, Hà Nội", True), ("address", "   ", False),
                ("address", "x" * (MAX_ADDRESS + 1), False), ("address", STRUCTURED, True),
                ("address", {**STRUCTURED, "province_code": None}, False),
                ("address", {**STRUCTURED, "text": "x" * (MAX_ADDRESS + 1)}, False)],
    "payment": [("payment.amount_vnd", 0, True), ("payment.payer", "someone", False),
                ("payment.amount_vnd", intake.MAX_AMOUNT_VND + 1, False)],
    "texts": [("recipient.name", " ", False), ("procedure", "   ", True),
              ("procedure", "x" * (intake.MAX_PROCEDURE + 1), False)],
}


@pytest.mark.parametrize("rule", list(INTAKE))
def test_it_refuses_an_intake_value_when_the_document_does(demo, client, api_headers, document,
                                                          rule):
    for number, (place, value, accepted) in enumerate(INTAKE[rule], start=2):
        body = intake_body(number)
        _put(body, place, value)
        response = client.post(CONSIGNMENT, json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("IntakeRequest"), body, response, place)
        assert agreed == (accepted, accepted), (place, value)


SCAN = {
    "event id": [("event_id", "q-0001-abcdef", True), ("event_id", "short", False),
                 ("event_id", "abcdefgh\n", False), ("event_id", "a" * 65, False)],
    "event": [("event", "pickup_expired", False)],  # the system's event, not a scanner's
    "proof": [("proof", {"received_by": "An", "id_last4": "2345"}, True),
              ("proof", {"received_by": "An", "id_last4": "12345"}, False),
              ("proof", {"received_by": "An", "id_last4": "٢٣٤٥"}, False),
              ("proof", {"received_by": "An", "relation": "friend"}, False)],
    "position, note, photo": [("lat", 91, False), ("note", "x" * (MAX_SCAN_NOTE + 1), False),
                              ("photo", "0" * 32 + ".jpg", True), ("photo", "../x.jpg", False)],
}


@pytest.mark.parametrize("rule", list(SCAN))
def test_it_refuses_a_scan_value_when_the_document_does(demo, client, api_headers, document, rule):
    created = client.post(CONSIGNMENT, json=intake_body(1), headers=api_headers).get_json()
    for place, value, accepted in SCAN[rule]:
        body = scan_body(created["tracking_number"], "accepted", lat=21.0285, lon=105.8542)
        _put(body, place, value)
        response = client.post("/api/v1/scans", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("Scan"), body, response, place)
        assert agreed == (accepted, accepted), (place, value)


def test_it_refuses_a_batch_size_when_the_document_does(demo, client, api_headers, document):
    for count, accepted in [(0, False), (1, True), (MAX_SCANS, True), (MAX_SCANS + 1, False)]:
        body = {"scans": [scan_body("RR287043775IN", "accepted")] * count}
        response = client.post("/api/v1/scans/batch", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("ScanBatch"), body, response, "scans")
        assert agreed == (accepted, accepted), count


def test_it_refuses_an_address_to_resolve_when_the_document_does(demo, client, api_headers,
                                                                document):
    for text, accepted in [("Phường Cửa Nam, Hà Nội", True), ("", False), ("  ", False),
                           ("x" * (MAX_ADDRESS + 1), False)]:
        body = {"text": text}
        response = client.post("/api/v1/addresses/resolve", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("ResolveRequest"), body, response, "text")
        assert agreed == (accepted, accepted), text


LABEL_OPTIONS = [("{fmt}", "svg", "size", "a6", True), ("{fmt}", "svg", "size", "a0", False),
                 ("png", "png", "dpi", "300", True), ("png", "png", "dpi", "150", False),
                 ("zpl", "zpl", "text", "graphics", True), ("zpl", "zpl", "text", "bitmap", False)]


def test_it_refuses_a_label_option_when_the_document_does(demo, client, api_headers, document):
    created = client.post(CONSIGNMENT, json=intake_body(1), headers=api_headers).get_json()
    for path, fmt, option, value, accepted in LABEL_OPTIONS:
        parameters = document["paths"][LABEL + path]["get"]["parameters"]
        schema = next(p["schema"] for p in parameters if p["name"] == option)
        url = f"{CONSIGNMENT}/{created['tracking_number']}/label.{fmt}?{option}={value}"
        response = client.get(url, headers=api_headers)
        assert _agrees(document, schema, value, response, option) == (accepted, accepted), url


def test_it_refuses_a_label_sheet_when_the_document_does(demo, client, api_headers, document):
    created = client.post(CONSIGNMENT, json=intake_body(1), headers=api_headers).get_json()
    for sheet, accepted in [("a4", True), ("label", True), ("a3", False)]:
        body = {"tracking_numbers": [created["tracking_number"]], "sheet": sheet}
        response = client.post("/api/v1/labels/batch", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("LabelsBatch"), body, response, "sheet")
        assert agreed == (accepted, accepted), sheet


def test_it_answers_phone_digits_of_another_script_as_a_wrong_pair(demo, client, api_headers,
                                                                  document):
    """The document's pattern refuses them; the lookup took them, and compare_digest raised: 500."""
    created = client.post(CONSIGNMENT, json=intake_body(1), headers=api_headers).get_json()
    parameters = document["paths"]["/api/v1/track"]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == "phone_last4")
    lookup = f"/api/v1/track?tracking_number={created['tracking_number']}&phone_last4="
    assert not _accepts(document, schema, "٥٦٧٨") and client.get(lookup + "٥٦٧٨").status_code == 404
    assert _accepts(document, schema, "5678") and client.get(lookup + "5678").status_code == 200


PRINT_REASONS = [("x" * MAX_PRINT_REASON, True), (" " + "x" * MAX_PRINT_REASON, False),
                 ("x" * (MAX_PRINT_REASON + 1), False), ("", True)]


def test_it_refuses_a_print_reason_when_the_document_does(demo, client, api_headers, document):
    created = client.post(CONSIGNMENT, json=intake_body(1), headers=api_headers).get_json()
    number = created["tracking_number"]
    client.post(f"{CONSIGNMENT}/{number}/prints", json={"format": "pdf"}, headers=api_headers)
    for reason, accepted in PRINT_REASONS[:3]:  # reprints: a blank reason is refused (no rule)
        body = {"format": "svg", "reason": reason}
        response = client.post(f"{CONSIGNMENT}/{number}/prints", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("PrintRequest"), body, response, "reason")
        assert agreed == (accepted, accepted), len(reason)
    for reason, accepted in PRINT_REASONS:
        body = {"tracking_numbers": [number], "reason": reason}
        response = client.post("/api/v1/labels/batch", json=body, headers=api_headers)
        agreed = _agrees(document, _body_schema("LabelsBatch"), body, response, "reason")
        assert agreed == (accepted, accepted), len(reason)
