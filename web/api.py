"""The HTTP API of CONTRACT.md. Views parse, make one domain call, commit, enqueue, render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from delivery.address import resolve_address
from delivery.errors import AddressNotResolved, Conflict, DomainError, ValidationFailed
from delivery.intake import parse_intake
from delivery.intake_address import ADDRESS_REQUIRED, is_written_address
from delivery.intake_agency import agency_for_staff, agency_of_client
from delivery.legacy_encoding import to_unicode
from delivery.lookup import get_consignment
from delivery.models import Agency
from tracking.batch import MAX_SCANS, record_batch
from tracking.phone_lookup import find_by_number_and_phone
from tracking.rating import rate_delivery
from tracking.scans import ScanResult
from tracking.timeline import find_by_token

from . import labels_http, public
from .auth import Actor, current_actor, current_scope, require
from .citizen_rating import rating_json, rating_limits
from .creating import create_and_notify
from .db import get_session
from .problems import problem, problem_fields, problem_type, status_for
from .public import lookup_throttled, tracking_view
from .request_text import judges_items_itself
from .scanning import record_and_notify, send_notifications
from .serialise import consignment_json, event_json, resolution_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")
STAFF = ("counter", "supervisor", "courier")


def json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed({"body": "cần JSON UTF-8 với Content-Type application/json / "
                                        "a UTF-8 JSON body with Content-Type application/json "
                                        "is required"})
    return body


def agency_for(actor: Actor, body: Any) -> Agency:
    """The agency the caller creates items for: an API key's own (delivery.intake_agency), or for
    a staff session the ``agency_code`` it sends, among those its office serves."""
    session = get_session()
    code = body.get("agency_code") if isinstance(body, dict) else None
    if actor.kind == "api":
        return agency_of_client(session, actor.id, code)
    if not code:
        raise ValidationFailed({"agency_code": "người dùng cần gửi agency_code / "
                                               "a staff session must send agency_code"})
    return agency_for_staff(session, code, current_scope())


@bp.post("/consignments")
@require("intake", roles=("counter",))
def create() -> tuple[Response, int]:
    body = json_body()
    actor = current_actor()
    agency = agency_for(actor, body)
    intake_body = ({k: v for k, v in body.items() if k != "agency_code"}
                   if isinstance(body, dict) else body)
    intake = parse_intake(intake_body, agency_code=agency.code)
    consignment, created = create_and_notify(get_session(), intake, agency)
    answer = consignment_json(get_session(), consignment)
    if intake.converted_from:  # typed in TCVN3 or VNI, stored in Unicode
        answer["converted_from"] = intake.converted_from
    return jsonify(answer), 201 if created else 200


@bp.get("/consignments/<tracking_number>")
@require("read", roles=STAFF)
def show(tracking_number: str) -> Response:
    consignment = get_consignment(get_session(), tracking_number, current_scope())
    return jsonify(consignment_json(get_session(), consignment))


@bp.get("/consignments/<tracking_number>/label.<fmt>")
# printing is the counter's job; couriers only scan
@require("read", roles=("counter", "supervisor"))
def label(tracking_number: str, fmt: str) -> Response:
    consignment = get_consignment(get_session(), tracking_number, current_scope())
    return labels_http.label_response(get_session(), consignment, fmt)


def _scan_response(result: ScanResult) -> dict[str, Any]:
    return {"event": event_json(result.event), "status": result.status}


@bp.post("/scans")
@require("scan", roles=STAFF)
def scan() -> tuple[Response, int]:
    result = record_and_notify(json_body())
    return jsonify(_scan_response(result)), 201 if result.created else 200


@bp.post("/scans/batch")
@judges_items_itself  # a scan holding a control character is refused alone, in its place
@require("scan", roles=STAFF)
def scan_batch() -> Response:
    body = json_body()
    scans = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(scans, list) or not 1 <= len(scans) <= MAX_SCANS:
        raise ValidationFailed({"scans": f"danh sách 1..{MAX_SCANS} lượt quét / "
                                         f"a list of 1 to {MAX_SCANS} scans"})
    outcomes = _record_batch(scans)
    results = []
    for payload, outcome in zip(scans, outcomes, strict=True):
        # deliveries (and their item's other scans) take the one-by-one path, in order
        if outcome is None:
            try:
                outcome = record_and_notify(payload)
            except DomainError as error:
                outcome = error
        if isinstance(outcome, DomainError):
            results.append(_batch_problem(outcome))
        else:
            results.append({"http_status": 201 if outcome.created else 200,
                            **_scan_response(outcome)})
    return jsonify({"results": results})


def _record_batch(scans: list[Any]) -> list[Any]:
    """The set-based pass in one transaction;
    on a concurrent change everything goes one by one instead."""
    actor, session = current_actor(), get_session()
    try:
        outcomes = record_batch(session, scans, actor.ref, scope=current_scope(),
                                office_id=actor.office_id,
                                client_address=request.remote_addr)
        session.commit()
    except (Conflict, IntegrityError):
        session.rollback()
        return [None] * len(scans)
    send_notifications(oid for o in outcomes if isinstance(o, ScanResult) for oid in o.outbox_ids)
    return outcomes


def _batch_problem(error: DomainError) -> dict[str, Any]:
    """A refused scan inside a batch:
    its HTTP status and the problem document a single scan would get."""
    status = status_for(error)
    return {"http_status": status,
            "problem": {"type": problem_type(error.title), "title": error.title,
                        "status": status, "detail": error.detail, **problem_fields(error)}}


@bp.post("/addresses/resolve")
@require("intake", roles=("counter", "supervisor"))
def resolve() -> Response:
    body = json_body()
    text = body.get("text") if isinstance(body, dict) else None
    if not is_written_address(text):
        raise ValidationFailed({"text": ADDRESS_REQUIRED})
    text, converted_from = to_unicode(text)  # typed in TCVN3 or VNI: resolved in Unicode
    converted = {"converted_from": converted_from} if converted_from else {}
    try:
        answer = resolution_json(resolve_address(text))
    except AddressNotResolved as error:
        error.extra.update(converted)  # the 422 says so too
        raise
    return jsonify({**answer, **converted})


@bp.get("/track/<token>")
def track(token: str) -> Response:
    lang = "en" if request.args.get("lang") == "en" else "vi"
    document = public.rendered(
        "json", token, lang,
        lambda c: current_app.json.dumps(public.tracking_view(c, lang)).encode())
    if document is None:
        return problem(404, "Not Found", "Không tìm thấy bưu gửi / no such tracking link")
    return public.conditional(document, public.JSON_TYPE)


@bp.post("/track/<token>/rating")
def rate(token: str) -> Response | tuple[Response, int]:
    """The citizen's rating of a delivered item (no login: the private link is the credential):
    201 when first given, 200 when it replaces the earlier one (tracking.rating has the rules)."""
    session = get_session()
    consignment = find_by_token(session, token)
    if consignment is None:
        return problem(404, "Not Found", "Không tìm thấy bưu gửi / no such tracking link")
    body = json_body()
    if not isinstance(body, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    rating, first = rate_delivery(session, consignment, body.get("stars"), body.get("comment"),
                                  **rating_limits())
    session.commit()
    return jsonify(rating_json(rating)), 201 if first else 200


@bp.get("/track")
def track_lookup() -> Response:
    """The tracking document by number + last 4 phone digits. Rate-limited (429 + Retry-After); an
    unknown number and a wrong pair get the very same 404."""
    number, last4 = request.args.get("tracking_number", ""), request.args.get("phone_last4", "")
    if wait := lookup_throttled(number, last4):
        response = problem(429, "Too Many Requests",
                           "Thử lại sau / too many lookups, try again later")
        response.headers["Retry-After"] = str(wait)
        return response
    consignment = find_by_number_and_phone(get_session(), number, last4)
    if consignment is None:
        return problem(404, "Not Found",
                       "Không tìm thấy bưu gửi với số hiệu và số điện thoại này / no consignment "
                       "with this tracking number and phone")
    lang = "en" if request.args.get("lang") == "en" else "vi"
    return jsonify(tracking_view(consignment, lang))


@bp.get("/openapi.json")
def openapi() -> Response:
    from .openapi import document

    return jsonify(document(current_app.config["PUBLIC_BASE_URL"]))


@bp.route("/<path:_anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_anything: str) -> Response:
    abort(404, description="Không có đường dẫn API này / no such API endpoint")
