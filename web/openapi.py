"""The OpenAPI 3.1 description of the HTTP API (GET /api/v1/openapi.json). Keep it in step with web/api.py."""

from __future__ import annotations

from typing import Any

from delivery.status_model import EVENTS, NON_DELIVERY_REASONS, SCAN_EVENTS, STATUSES

from .serialise import LABEL_FORMATS

PROBLEM = {"$ref": "#/components/schemas/Problem"}
S10 = {"type": "string", "pattern": "^[A-Z]{2}[0-9]{9}[A-Z]{2}$"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


def _op(summary: str, security: list[str] | None, responses: dict[str, Any], body: dict | None = None,
        parameters: list | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {**COMMON, **responses}}
    if body:
        op["responses"].setdefault("413", _problem("body larger than MAX_CONTENT_LENGTH (5 MB by default)"))
    op["security"] = [{"bearer": []}, {"session": []}] if security else []
    if security:
        op["x-scopes"] = security
    if body:
        op["requestBody"] = {"required": True, **_json(body)}
    if parameters:
        op["parameters"] = parameters
    return op


LABEL_OPTIONS = [
    {"name": "size", "in": "query", "required": False, "schema": {"enum": ["100x150", "a6"]}},
    {"name": "dpi", "in": "query", "required": False, "schema": {"enum": ["203", "300"]},
     "description": "png and zpl"},
    {"name": "text", "in": "query", "required": False, "schema": {"enum": ["font", "graphics"]},
     "description": "zpl: `graphics` sends every text field as a ^GFA bitmap (no printer font needed)"},
]


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


# Any operation: a NUL character anywhere in the request (web/request_text.py), the database unreachable.
COMMON = {"422": _problem("invalid input (errors: field -> message), e.g. a NUL character anywhere"),
          "503": _problem("the database is unavailable; try again after Retry-After seconds")}
ERRORS = {"401": _problem("no or invalid credentials"), "403": _problem("role or scope not allowed"),
          "422": _problem("invalid fields (errors: field -> message)")}


def _schemas() -> dict[str, Any]:
    unit = {"type": "object", "properties": {"code": {"type": "integer"}, "name": {"type": ["string", "null"]}}}
    return {
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "errors": {"type": "object", "additionalProperties": {"type": "string"}},
            "candidates": {"type": "array"}}},
        "IntakeRequest": {"type": "object", "required": ["dossier_code", "recipient", "address"], "properties": {
            "dossier_code": {"type": "string", "example": "000.00.01.H26-250609-0001"},
            "procedure": {"type": "string"}, "note": {"type": "string"},
            "recipient": {"type": "object", "required": ["name", "phone"], "properties": {
                "name": {"type": "string"}, "phone": {"type": "string"}, "national_id": {"type": "string"}}},
            "address": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {
                "street": {"type": "string"}, "ward_code": {"type": "integer"},
                "province_code": {"type": "integer"}}}]},
            "payment": {"type": "object", "properties": {"payer": {"enum": ["recipient", "agency", "prepaid"]},
                                                         "amount_vnd": {"type": "integer", "minimum": 0}}}}},
        "Consignment": {"type": "object", "required": [
            "tracking_number", "dossier_code", "status", "tracking_url", "label_urls", "recipient", "address",
            "created_at", "events"], "properties": {
            "tracking_number": S10, "dossier_code": {"type": "string"},
            "status": {"enum": list(STATUSES)}, "tracking_url": {"type": "string"},
            "label_urls": {"type": "object", "required": list(LABEL_FORMATS),
                           "properties": {f: {"type": "string"} for f in LABEL_FORMATS}},
            "recipient": {"type": "object", "required": ["name", "phone"], "properties": {
                "name": {"type": "string"}, "phone": {"type": "string"}}},
            "address": {"type": "object", "properties": {"street": {"type": "string"}, "ward": unit,
                                                         "province": unit, "legacy": {}, "text": {"type": "string"}}},
            "destination_office": {}, "created_at": {"type": "string", "format": "date-time"},
            "due_at": {"type": ["string", "null"]},
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}},
        "Event": {"type": "object", "required": ["event_id", "event", "status", "occurred_at"], "properties": {
            "event_id": {"type": "string"}, "event": {"enum": list(EVENTS)}, "status": {"enum": list(STATUSES)},
            "occurred_at": {"type": "string", "format": "date-time"}}},
        "Scan": {"type": "object", "required": ["event_id", "tracking_number", "event", "occurred_at"], "properties": {
            "event_id": {"type": "string"}, "tracking_number": {"type": "string"}, "event": {"enum": list(SCAN_EVENTS)},
            "occurred_at": {"type": "string", "format": "date-time"}, "lat": {"type": "number"},
            "lon": {"type": "number"}, "reason": {"enum": list(NON_DELIVERY_REASONS)}, "note": {"type": "string"},
            "proof": {"type": "object", "properties": {"received_by": {"type": "string"},
                                                       "relation": {"enum": ["self", "proxy"]},
                                                       "id_last4": {"type": "string"},
                                                       "authorisation_ref": {"type": "string"}}}}},
        "ScanResult": {"type": "object", "required": ["event", "status"], "properties": {
            "event": {"$ref": "#/components/schemas/Event"}, "status": {"enum": list(STATUSES)}}},
        "PublicTracking": {"type": "object", "required": [
            "tracking_number", "status", "status_label", "recipient", "destination", "events"], "properties": {
            "tracking_number": S10, "status": {"enum": list(STATUSES)}, "status_label": {"type": "string"},
            "recipient": {"type": "string"}, "destination": {"type": "object"}, "eta": {},
            "events": {"type": "array"}}},
        "AddressResolution": {"type": "object", "required": ["province", "ward", "street", "confidence"],
                              "properties": {"province": unit, "ward": unit, "street": {"type": "string"},
                                             "legacy": {}, "confidence": {"type": "number", "minimum": 0,
                                                                          "maximum": 1},
                                             "candidates": {"type": "array"}}},
    }


def _paths() -> dict[str, Any]:
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    number = [_path_param("tracking_number")]
    return {
        "/api/v1/consignments": {"post": _op("Create a consignment from a ready dossier result", ["intake"], {
            "201": {"description": "created", **_json(ref("Consignment"))},
            "200": {"description": "identical repeat", **_json(ref("Consignment"))},
            "409": _problem("dossier code used with a different body"), **ERRORS}, body=ref("IntakeRequest"))},
        "/api/v1/consignments/{tracking_number}": {"get": _op("A consignment with its events", ["read"], {
            "200": {"description": "found", **_json(ref("Consignment"))}, "404": _problem("unknown"), **ERRORS},
            parameters=number)},
        "/api/v1/consignments/{tracking_number}/label.{fmt}": {"get": _op("The label (pdf, svg, png, zpl)", ["read"], {
            "200": {"description": "the label"}, "404": _problem("unknown"), **ERRORS},
            parameters=[*number, _path_param("fmt"), *LABEL_OPTIONS])},
        "/api/v1/scans": {"post": _op("Record a scan (idempotent by event_id)", ["scan"], {
            "201": {"description": "recorded", **_json(ref("ScanResult"))},
            "200": {"description": "repeat of a recorded scan", **_json(ref("ScanResult"))},
            "404": _problem("unknown tracking number"), "409": _problem("transition not allowed"), **ERRORS},
            body=ref("Scan"))},
        "/api/v1/scans/batch": {"post": _op("Record up to 500 scans, one result each, in order", ["scan"], {
            "200": {"description": "results", **_json({"type": "object"})}, **ERRORS},
            body={"type": "object", "properties": {"scans": {"type": "array", "items": ref("Scan")}}})},
        "/api/v1/addresses/resolve": {"post": _op("Resolve an address to a post-2025 ward", ["intake"], {
            "200": {"description": "resolved", **_json(ref("AddressResolution"))}, **ERRORS},
            body={"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}})},
        "/api/v1/track/{token}": {"get": _op("Public tracking by private token", None, {
            "200": {"description": "found", **_json(ref("PublicTracking"))}, "404": _problem("unknown")},
            parameters=[_path_param("token")])},
        "/api/v1/labels/batch": {"post": _op("One PDF of many labels, in the given order (or a background job)",
                                             ["read"], {"200": {"description": "application/pdf, streamed"},
                                                        "202": {"description": "background job started"},
                                                        "404": _problem("unknown tracking number or manifest"),
                                                        **ERRORS},
                                             body={"type": "object", "properties": {
                                                 "tracking_numbers": {"type": "array", "items": {"type": "string"}},
                                                 "manifest": {"type": "string"}, "size": {"enum": ["100x150", "a6"]},
                                                 "sheet": {"enum": ["a4"]}, "background": {"type": "boolean"},
                                                 "reason": {"type": "string"}}})},
        "/api/v1/print-jobs/{job_id}": {"get": _op("Progress of a background label job", ["read"], {
            "200": {"description": "progress"}, "404": _problem("unknown"), **ERRORS},
            parameters=[_path_param("job_id")])},
        "/api/v1/print-jobs/{job_id}/labels.pdf": {"get": _op("The finished batch PDF", ["read"], {
            "200": {"description": "application/pdf"}, "404": _problem("unknown or not ready"), **ERRORS},
            parameters=[_path_param("job_id")])},
        "/api/v1/consignments/{tracking_number}/prints": {"get": _op("Every label print and reprint", ["read"], {
            "200": {"description": "prints"}, "404": _problem("unknown"), **ERRORS}, parameters=number)},
        "/api/v1/manifests/{number}/manifest.pdf": {"get": _op("Handover manifest (biên bản giao nhận) PDF",
                                                               ["read"], {"200": {"description": "application/pdf"},
                                                                          "404": _problem("unknown"), **ERRORS},
                                                               parameters=[_path_param("number")])},
        "/api/v1/track": {"get": _op("Public tracking by number and the phone's last 4 digits (rate-limited)", None, {
            "200": {"description": "found", **_json(ref("PublicTracking"))},
            "404": _problem("unknown number or wrong pair (indistinguishable)"),
            "429": _problem("too many lookups; see Retry-After")},
            parameters=[{"name": "tracking_number", "in": "query", "required": True, "schema": {"type": "string"}},
                        {"name": "phone_last4", "in": "query", "required": True,
                         "schema": {"type": "string", "pattern": "^[0-9]{4}$"}}])},
        "/healthz": {"get": _op("Process is up", None, {"200": {"description": "up"}})},
        "/readyz": {"get": _op("Database (and Redis) reachable", None, {"200": {"description": "ready"},
                                                                         "503": {"description": "not ready"}})},
    }


def document(server: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bưu gửi kết quả TTHC API", "version": "1"},
        "servers": [{"url": server}],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }
