"""The served /api/v1/openapi.json is the models of web/api_schema, operation by operation, and it
states the domain's own rules: the constants the parsers check (their agreement, value by value, is
tests/web/test_openapi_rules.py)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs  # schemathesis's JSON Schema validator: the one its checks use
import pytest

from delivery import intake, s10
from delivery.dossier import DOSSIER_CODE_PATTERN
from delivery.intake_address import MAX_ADDRESS
from delivery.printing import MAX_PRINT_REASON
from delivery.recipient import NATIONAL_ID_PATTERN, PHONE_PATTERN
from delivery.status_model import SCAN_EVENTS
from tests.payloads import intake_body, scan_body
from tracking.batch import MAX_SCANS
from tracking.scan_proof import ID_LAST4_PATTERN, ID_SOURCES
from tracking.scans import EVENT_ID_PATTERN
from web.api_schema import MODELS, answers, report_answers, requests
from web.labels_http import DPIS, MIMETYPES, SIZES, TEXT_MODES
from web.openapi import REF
from web.serialise import LABEL_FORMATS

NUMBER = "/api/v1/consignments/{tracking_number}"
TWICE = {"201": answers.Consignment, "200": answers.Consignment}
# Each operation: its request body's model, and the model of each answer that is JSON.
OPERATIONS: dict[tuple[str, str], tuple[type | None, dict[str, type]]] = {
    ("post", "/api/v1/consignments"): (requests.IntakeRequest, TWICE),
    ("post", "/api/v1/collections"): (requests.CollectionRequest, TWICE),
    ("get", NUMBER): (None, {"200": answers.Consignment}),
    ("post", NUMBER + "/agency-receipt"): (requests.AgencyReceiptRequest, TWICE),
    ("get", NUMBER + "/label.{fmt}"): (None, {}),
    ("get", NUMBER + "/label.png"): (None, {}),
    ("get", NUMBER + "/label.zpl"): (None, {}),
    ("get", NUMBER + "/prints"): (None, {"200": answers.Prints}),
    ("post", NUMBER + "/prints"): (requests.PrintRequest, {"201": answers.RecordedPrint}),
    ("post", "/api/v1/scans"): (requests.Scan, {"201": answers.ScanResult,
                                                "200": answers.ScanResult}),
    ("post", "/api/v1/scans/batch"): (requests.ScanBatch, {"200": answers.ScanBatchResults}),
    ("post", "/api/v1/addresses/resolve"): (requests.ResolveRequest,
                                            {"200": answers.AddressResolution}),
    ("post", "/api/v1/labels/batch"): (requests.LabelsBatch, {"202": answers.PrintJob}),
    ("get", "/api/v1/print-jobs/{job_id}"): (None, {"200": answers.PrintJob}),
    ("get", "/api/v1/print-jobs/{job_id}/labels.pdf"): (None, {}),
    ("get", "/api/v1/manifests/{number}/manifest.pdf"): (None, {}),
    ("get", NUMBER + "/pages.pdf"): (None, {}),
    ("get", "/api/v1/track/{token}"): (None, {"200": answers.PublicTracking}),
    ("get", "/api/v1/track"): (None, {"200": answers.PublicTracking}),
    ("post", "/api/v1/track/{token}/rating"): (requests.RatingRequest,
                                               {"201": answers.Rating, "200": answers.Rating}),
    ("get", "/api/v1/reports/quality"): (None, {"200": report_answers.QualityReport}),
    ("get", "/healthz"): (None, {"200": answers.Health}),
    ("get", "/readyz"): (None, {"200": answers.Readiness, "503": answers.Readiness}),
}


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def _ref(model: type) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _parameter(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    return next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_it_serves_each_model_and_the_models_inside_it_as_generated(document):
    schemas = document["components"]["schemas"]
    for model in MODELS:
        schema = model.model_json_schema(ref_template=REF)
        inside = schema.pop("$defs", {})
        assert schemas[model.__name__] == schema
        assert {name: schemas[name] for name in inside} == inside


def test_it_describes_every_operation_and_knows_the_models_of_each(document):
    served = {(method, path) for path, item in document["paths"].items() for method in item}
    assert served == set(OPERATIONS)


def test_it_gives_each_operation_its_models(document):
    for (method, path), (body, answered) in OPERATIONS.items():
        operation = document["paths"][path][method]
        expected_body = {"application/json": {"schema": _ref(body)}} if body else None
        assert operation.get("requestBody", {}).get("content") == expected_body, path
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            assert _is_the_answer(content, answered.get(status)), (path, status)


def _is_the_answer(content: dict[str, Any], model: type | None) -> bool:
    """The answer is JSON of ``model``; without one, a problem document or a file."""
    if model:
        return content == {"application/json": {"schema": _ref(model)}}
    if "application/problem+json" in content:
        return content == {"application/problem+json": {"schema": _ref(answers.Problem)}}
    binary = {"type": "string", "format": "binary"}
    return all(media["schema"] == binary for media in content.values())


def test_it_states_the_intake_rules_of_the_domain(document):
    schemas = document["components"]["schemas"]
    code = schemas["IntakeRequest"]["properties"]["dossier_code"]
    phone, national_id = (schemas["Recipient"]["properties"][k] for k in ("phone", "national_id"))
    payment = schemas["Payment"]["properties"]
    assert (code["pattern"], code["maxLength"]) == (DOSSIER_CODE_PATTERN, intake.MAX_DOSSIER_CODE)
    assert (phone["pattern"], phone["maxLength"]) == (PHONE_PATTERN, intake.MAX_PHONE)
    assert {"pattern": NATIONAL_ID_PATTERN, "type": "string"} in national_id["anyOf"]
    assert payment["payer"]["enum"] == list(intake.PAYERS)
    assert payment["amount_vnd"]["maximum"] == intake.MAX_AMOUNT_VND


def test_it_states_the_address_rules_of_the_domain(document):
    schemas = document["components"]["schemas"]
    written, structured = schemas["IntakeRequest"]["properties"]["address"]["anyOf"]
    assert written == {"type": "string", "maxLength": MAX_ADDRESS, "pattern": r"\S"}
    assert structured == _ref(requests.StructuredAddress)
    assert set(schemas["StructuredAddress"]["required"]) == {"street", "ward_code", "province_code"}
    assert schemas["ResolveRequest"]["properties"]["text"]["maxLength"] == MAX_ADDRESS


def test_it_states_the_scan_rules_of_the_domain(document):
    schemas = document["components"]["schemas"]
    scan, proof = schemas["Scan"]["properties"], schemas["Proof"]["properties"]
    assert scan["event_id"]["pattern"] == EVENT_ID_PATTERN
    assert scan["event"]["enum"] == list(SCAN_EVENTS)
    assert {"type": "string", "pattern": ID_LAST4_PATTERN} in proof["id_last4"]["anyOf"]
    assert {"type": "string", "enum": list(ID_SOURCES)} in proof["id_source"]["anyOf"]
    assert schemas["ScanBatch"]["properties"]["scans"]["maxItems"] == MAX_SCANS


def test_it_states_the_label_formats_sizes_and_resolutions(document):
    formats = _parameter(document, NUMBER + "/label.{fmt}", "fmt")["schema"]["enum"]
    sizes = _parameter(document, NUMBER + "/label.{fmt}", "size")["schema"]["enum"]
    dpis = _parameter(document, NUMBER + "/label.png", "dpi")["schema"]["enum"]
    text_modes = _parameter(document, NUMBER + "/label.zpl", "text")["schema"]["enum"]
    assert formats == list(LABEL_FORMATS) == list(MIMETYPES) and sizes == list(SIZES)
    assert dpis == [str(dpi) for dpi in DPIS] and text_modes == list(TEXT_MODES)
    schemas = document["components"]["schemas"]
    assert schemas["LabelUrls"]["required"] == list(LABEL_FORMATS)
    assert schemas["PrintRequest"]["properties"]["format"]["enum"] == list(MIMETYPES)
    reasons = [schemas[m]["properties"]["reason"]["anyOf"][0]["maxLength"]
               for m in ("PrintRequest", "LabelsBatch")]
    assert reasons == [MAX_PRINT_REASON] * 2
    assert schemas["Consignment"]["properties"]["tracking_number"]["pattern"] == s10.PATTERN


def _conforms(document: dict[str, Any], model: type, body: Any) -> bool:
    root = {**_ref(model), "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root).is_valid(body)


def test_it_answers_in_the_shape_the_document_gives(demo, client, api_headers, document):
    """What the generated requests rarely reach: events, a batch's results, a problem, a job."""
    created = client.post("/api/v1/consignments", json=intake_body(1), headers=api_headers)
    number, tracking_url = created.get_json()["tracking_number"], created.get_json()["tracking_url"]
    scan = scan_body(number, "accepted")
    batch = {"scans": [scan_body(number, "arrived_hub"), scan_body(number, "delivered")]}
    labels = {"tracking_numbers": [number], "background": True}
    answers_of = {
        answers.ScanResult: client.post("/api/v1/scans", json=scan, headers=api_headers),
        answers.ScanBatchResults: client.post("/api/v1/scans/batch", json=batch,
                                              headers=api_headers),
        answers.Consignment: client.get(f"/api/v1/consignments/{number}", headers=api_headers),
        answers.PublicTracking: client.get(tracking_url.replace("/t/", "/api/v1/track/")),
        answers.Problem: client.post("/api/v1/consignments", json={}, headers=api_headers),
        answers.PrintJob: client.post("/api/v1/labels/batch", json=labels, headers=api_headers),
        answers.RecordedPrint: client.post(f"/api/v1/consignments/{number}/prints",
                                           json={"format": "pdf", "reason": "torn"},
                                           headers=api_headers),
        answers.Prints: client.get(f"/api/v1/consignments/{number}/prints", headers=api_headers),
    }
    for model, response in answers_of.items():
        body = response.get_json()
        assert response.status_code < 500 and _conforms(document, model, body), (model, body)
    assert answers_of[answers.Consignment].get_json()["events"]
