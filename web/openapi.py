"""The OpenAPI 3.1 document of the HTTP API (GET /api/v1/openapi.json).

Every body's schema is generated from its model in web/api_schema; this module adds what belongs to
the operations: paths, parameters, security, and which model answers with which status.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from delivery.models import MAX_ROW_ID
from tracking.phone_lookup import PHONE_LAST4_PATTERN

from .api_schema import MODELS
from .api_schema.answers import (
    AddressResolution,
    Consignment,
    Health,
    PrintJob,
    Prints,
    Problem,
    PublicTracking,
    Rating,
    Readiness,
    RecordedPrint,
    ScanBatchResults,
    ScanResult,
)
from .api_schema.report_answers import QualityReport
from .api_schema.requests import (
    AgencyReceiptRequest,
    CollectionRequest,
    IntakeRequest,
    LabelsBatch,
    PrintRequest,
    RatingRequest,
    ResolveRequest,
    Scan,
    ScanBatch,
)
from .labels_http import DPIS, MIMETYPES, SIZES, TEXT_MODES
from .serialise import LABEL_FORMATS

REF = "#/components/schemas/{model}"


@cache  # the models do not change while the process runs; generating them takes ~15 ms
def schemas() -> dict[str, Any]:
    """components/schemas: the models of web/api_schema and those inside them, by class name."""
    _, generated = models_json_schema([(model, "validation") for model in MODELS], ref_template=REF)
    return generated["$defs"]


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _answer(description: str, model: type[BaseModel]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _problem(description: str) -> dict[str, Any]:
    content = {"application/problem+json": {"schema": _ref(Problem)}}
    return {"description": description, "content": content}


def _file(description: str, *media_types: str) -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"description": description, "content": dict.fromkeys(media_types, binary)}


# Any operation: a control character or lone surrogate anywhere in the request, or JSON nested too
# deep (web/request_text.py); the database down.
COMMON = {
    "422": _problem("invalid input (errors: field -> message), e.g. a control character (NUL "
                    "included) or a lone surrogate anywhere, or JSON nested over 32 levels"),
    "503": _problem("the database is unavailable; try again after Retry-After seconds")}
ERRORS = {"401": _problem("no or invalid credentials"),
          "403": _problem("role or scope not allowed"),
          "422": _problem("invalid fields (errors: field -> message)")}
TOO_LARGE = {"413": _problem("body larger than MAX_CONTENT_LENGTH (5 MB by default)")}
UNKNOWN = {"404": _problem("unknown (or outside the caller's scope)")}


def _op(summary: str, scopes: list[str] | None, responses: dict[str, Any],
        body: type[BaseModel] | None = None, parameters: list[dict[str, Any]] | None = None
        ) -> dict[str, Any]:
    """One operation: public when ``scopes`` is None, else for API keys with one of ``scopes`` (or a
    staff session), answering 401/403/422 too."""
    op: dict[str, Any] = {"summary": summary,
                          "responses": {**COMMON, **(ERRORS if scopes else {}), **responses},
                          "security": [{"bearer": []}, {"session": []}] if scopes else []}
    if scopes:
        op["x-scopes"] = scopes
    if body:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": _ref(body)}}}
        op["responses"] |= TOO_LARGE
    if parameters:
        op["parameters"] = parameters
    return op


def _param(name: str, where: str = "path", schema: dict[str, Any] | None = None,
           description: str | None = None, required: bool | None = None) -> dict[str, Any]:
    param = {"name": name, "in": where, "schema": schema or {"type": "string"},
             "required": where == "path" if required is None else required}
    return param | ({"description": description} if description else {})


NUMBER = _param("tracking_number", description="S10; spaces and case forgiven")
LANG = _param("lang", "query", description="en for English; Vietnamese otherwise")
JOB = _param("job_id", schema={"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID})
FORMAT = _param("fmt", schema={"enum": list(LABEL_FORMATS)})
# Every format takes a size; png and zpl a dpi too, zpl a text mode. The other formats ignore dpi
# and text, so those two are on the paths of png and zpl only. Showing a label records no print
# (POST .../prints does).
LABEL_OPTIONS = [_param("size", "query", {"enum": list(SIZES)})]
DPI = _param("dpi", "query", {"enum": [str(dpi) for dpi in DPIS]})
TEXT = _param("text", "query", {"enum": list(TEXT_MODES)},
              "`graphics` sends every text field as a ^GFA bitmap (no printer font needed)")


def _label(fmt: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    media_types = MIMETYPES.values() if fmt == "{fmt}" else [MIMETYPES[fmt]]
    return {"get": _op(f"The label ({fmt}); records no print", ["read"],
                       {"200": _file("the label", *media_types), **UNKNOWN},
                       parameters=[NUMBER, *parameters, *LABEL_OPTIONS])}


def _consignment_paths() -> dict[str, Any]:
    number = "/api/v1/consignments/{tracking_number}"
    return {
        "/api/v1/consignments": {"post": _op(
            "Create a consignment from a ready dossier result", ["intake"],
            {"201": _answer("created", Consignment),
             "200": _answer("identical repeat", Consignment),
             "409": _problem("dossier code used with a different body")}, body=IntakeRequest)},
        number: {"get": _op("A consignment with its events", ["read"],
                            {"200": _answer("found", Consignment), **UNKNOWN},
                            parameters=[NUMBER])},
        number + "/label.{fmt}": _label("{fmt}", [FORMAT]),
        number + "/label.png": _label("png", [DPI]),
        number + "/label.zpl": _label("zpl", [DPI, TEXT]),
        number + "/prints": {
            "get": _op("Every label print and reprint", ["read"],
                       {"200": _answer("prints", Prints), **UNKNOWN}, parameters=[NUMBER]),
            "post": _op("Record a label print now (a reprint needs a reason); not idempotent",
                        ["read"], {"201": _answer("recorded", RecordedPrint), **UNKNOWN},
                        body=PrintRequest, parameters=[NUMBER])},
        "/api/v1/collections": {"post": _op(
            "Book the collection of a dossier at the citizen's address", ["intake"],
            {"201": _answer("booked", Consignment),
             "200": _answer("identical repeat", Consignment),
             "409": _problem("dossier code booked with other details")},
            body=CollectionRequest)},
        number + "/agency-receipt": {"post": _op(
            "Record the agency's receipt for a collected dossier handed to it; the citizen is "
            "texted the receipt number and the appointment date", ["intake"],
            {"201": _answer("recorded (agency_receipt, dossier_code)", Consignment),
             "200": _answer("the same receipt again", Consignment), **UNKNOWN,
             "409": _problem("not handed to the agency yet, another receipt recorded, or "
                             "another dossier code")},
            body=AgencyReceiptRequest, parameters=[NUMBER])},
        "/api/v1/addresses/resolve": {"post": _op(
            "Resolve an address to a post-2025 ward", ["intake"],
            {"200": _answer("resolved", AddressResolution)}, body=ResolveRequest)},
    }


def _scan_paths() -> dict[str, Any]:
    return {
        "/api/v1/scans": {"post": _op(
            "Record a scan (idempotent by event_id)", ["scan"],
            {"201": _answer("recorded", ScanResult),
             "200": _answer("repeat of a recorded scan", ScanResult),
             "404": _problem("unknown tracking number"), "409": _problem("transition not allowed"),
             "422": _problem("invalid fields (errors: field -> message), e.g. a delivery the "
                             "recipient pays without proof.collected_vnd as a whole number of dong "
                             "and proof.payment_method")},
            body=Scan)},
        "/api/v1/scans/batch": {"post": _op(
            "Record up to 500 scans, one result each, in order", ["scan"],
            {"200": _answer("one result per scan, in order", ScanBatchResults)}, body=ScanBatch)},
    }


def _printing_paths() -> dict[str, Any]:
    pdf = "application/pdf"
    return {
        "/api/v1/labels/batch": {"post": _op(
            "One PDF of many labels, in the given order (or a background job)", ["read"],
            {"200": _file("the labels, streamed", pdf), "202": _answer("job started", PrintJob),
             "404": _problem("unknown manifest")}, body=LabelsBatch)},
        "/api/v1/print-jobs/{job_id}": {"get": _op(
            "Progress of a background label job", ["read"],
            {"200": _answer("progress", PrintJob), **UNKNOWN}, parameters=[JOB])},
        "/api/v1/print-jobs/{job_id}/labels.pdf": {"get": _op(
            "The finished batch PDF", ["read"],
            {"200": _file("the labels", pdf), **UNKNOWN, "409": _problem("not finished yet")},
            parameters=[JOB])},
        "/api/v1/manifests/{number}/manifest.pdf": {"get": _op(
            "Handover manifest (biên bản giao nhận) PDF", ["read"],
            {"200": _file("the manifest", pdf), **UNKNOWN}, parameters=[_param("number")])},
        "/api/v1/consignments/{tracking_number}/pages.pdf": {"get": _op(
            "The digitised dossier of a collection: one page per sheet photographed at the door "
            "(the agency's own key, or postal staff who see the item; never public)", ["read"],
            {"200": _file("the dossier's pages", pdf),
             "404": _problem("unknown, outside the caller's scope, or not digitised yet")},
            parameters=[NUMBER])},
    }


def _public_paths() -> dict[str, Any]:
    last4 = {"type": "string", "pattern": PHONE_LAST4_PATTERN}
    return {
        "/api/v1/track/{token}": {"get": _op(
            "Public tracking by private token", None,
            {"200": _answer("found", PublicTracking), **UNKNOWN},
            parameters=[_param("token"), LANG])},
        "/api/v1/track/{token}/rating": {"post": _op(
            "The citizen's rating of a delivered item (the private link is the credential)", None,
            {"201": _answer("first rating recorded", Rating),
             "200": _answer("replaced the earlier rating (within 7 days of it)", Rating),
             **UNKNOWN,
             "409": _problem("not delivered yet, too long after delivery, or the rating was "
                             "given more than 7 days ago (nothing stored)"),
             "422": _problem("stars not a whole number from 1 to 5, or a comment over 1,000 "
                             "characters or holding a control character (errors: field -> "
                             "message)"),
             "429": _problem("the item's rating was changed CITIZEN_REQUESTS_PER_DAY times "
                             "today")},
            body=RatingRequest, parameters=[_param("token")])},
        "/api/v1/track": {"get": _op(
            "Public tracking by number and the phone's last 4 digits (rate-limited)", None,
            {"200": _answer("found", PublicTracking),
             "404": _problem("unknown number or wrong pair (indistinguishable)"),
             "429": _problem("too many lookups; see Retry-After")},
            parameters=[_param("tracking_number", "query", required=True),
                        _param("phone_last4", "query", last4, required=True), LANG])},
        "/healthz": {"get": _op("Process is up", None, {"200": _answer("up", Health)})},
        "/readyz": {"get": _op("Database (and Redis) reachable", None,
                               {"200": _answer("ready", Readiness),
                                "503": _answer("not ready", Readiness)})},
    }


DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _report_paths() -> dict[str, Any]:
    narrowing = [_param(name, "query", description=text) for name, text in (
        ("office", "a delivery office's code"), ("agency", "an agency's code"),
        ("province", "a province's GSO code"), ("ward", "a ward's GSO code"),
        ("courier", "a courier's username"))]
    return {"/api/v1/reports/quality": {"get": _op(
        "Service quality of a period (at most 13 months) within the caller's scope; a scope "
        "value unknown or outside it is a 422 on that field", ["read"],
        {"200": _answer("the figures (definitions: docs/quality.md)", QualityReport)},
        parameters=[_param("from", "query", DAY, "first day (Vietnam time)", True),
                    _param("to", "query", DAY, "last day, included", True), *narrowing])}}


def document(server: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bưu gửi kết quả TTHC API", "version": "1"},
        "servers": [{"url": server}],
        "paths": {**_consignment_paths(), **_scan_paths(), **_printing_paths(), **_public_paths(),
                  **_report_paths()},
        "components": {"schemas": schemas(), "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }
