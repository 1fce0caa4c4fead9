"""Intake: a ready dossier result becomes a consignment (from the upstream system's API or the
counter).

Idempotent by dossier code within the agency: the same body again returns the stored consignment; a
different body with the same dossier code is a Conflict. A dossier code belongs to the agency whose
unit code it starts with (Circular 01/2018/TT-VPCP), so an agency can only register its own: another
agency's code is refused (422) before anything is looked up, and a lookup never crosses agencies.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import s10
from .address import ResolvedAddress, destination_office
from .dossier import check_unit_code, parse_dossier_code
from .due_dates import due_at_for, parse_appointment_date
from .errors import AddressNotResolved, Conflict, ValidationFailed
from .intake_address import parse_address
from .legacy_encoding import fields_to_unicode
from .models import Agency, Consignment, utcnow
from .recipient import fold_name, national_id_last4, normalise_phone
from .status_model import TO_CITIZEN
from .typed_text import first_refusal
from .vnd_amount import AMOUNT_FORMS, parse_vnd

PAYERS = ("recipient", "agency", "prepaid")
MAX_AMOUNT_VND = 50_000_000
# Longest text accepted per field, counted as sent (the API's document states the same numbers).
MAX_DOSSIER_CODE, MAX_PROCEDURE, MAX_NOTE = 60, 300, 1000
MAX_NAME, MAX_PHONE = 200, 20
# The fields people type, converted when written in TCVN3 or VNI (delivery.legacy_encoding):
# recipient.name, address (or address.text and address.street), procedure, note.
TYPED_FIELDS = frozenset({"name", "address", "text", "street", "procedure", "note"})


@dataclass(frozen=True)
class IntakeRequest:
    dossier_code: str
    procedure: str | None
    recipient_name: str
    recipient_phone: str
    recipient_id_last4: str | None
    address_text: str
    address: ResolvedAddress
    payer: str | None
    amount_vnd: int | None
    note: str | None
    fingerprint: str
    appointment_date: date | None = None
    converted_from: str | None = None  # "tcvn3" or "vni": the typed text was converted


def fingerprint(payload: dict[str, Any]) -> str:
    """A stable hash of the request body, to tell a repeat from a different request."""
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def text_field(payload: dict[str, Any], key: str, errors: dict[str, str], *, limit: int,
               required: bool) -> str | None:
    """``payload[key]`` stripped, or None (absent, or wrong: then said in ``errors``)."""
    value = payload.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = "bắt buộc / required"
        return None
    if not isinstance(value, str):
        errors[key] = "phải là chuỗi / must be a string"
        return None
    if len(value) > limit:
        errors[key] = f"tối đa {limit} ký tự / at most {limit} characters"
        return None
    return value.strip()


def parse_person(payload: dict[str, Any], errors: dict[str, str], key: str = "recipient"
                 ) -> tuple[str | None, str | None, str | None]:
    """``payload[key]`` as (name, mobile phone, last 4 digits of the national id); what is wrong
    goes into ``errors`` as ``<key>.<field>`` (the recipient of a result, the citizen of a
    collection)."""
    recipient = payload.get(key)
    if not isinstance(recipient, dict):
        errors[key] = "bắt buộc, dạng {name, phone} / required object {name, phone}"
        return None, None, None
    sub: dict[str, str] = {}
    name = text_field(recipient, "name", sub, limit=MAX_NAME, required=True)
    raw_phone = text_field(recipient, "phone", sub, limit=MAX_PHONE, required=True)
    phone = normalise_phone(raw_phone) if raw_phone else None
    if raw_phone and not phone:
        sub["phone"] = "không phải số di động Việt Nam / not a Vietnamese mobile number"
    raw_id = recipient.get("national_id")
    id_last4 = None
    if raw_id not in (None, ""):
        id_last4 = national_id_last4(str(raw_id))
        if id_last4 is None:
            sub["national_id"] = "CCCD 12 chữ số hoặc CMND 9 chữ số / 12-digit CCCD or 9-digit CMND"
    errors.update({f"{key}.{k}": v for k, v in sub.items()})
    return name, phone, id_last4


def _payment(payload: dict[str, Any], errors: dict[str, str]) -> tuple[str | None, int | None]:
    payment = payload.get("payment")
    if payment is None:
        return None, None
    if not isinstance(payment, dict):
        errors["payment"] = "dạng {payer, amount_vnd} / must be an object {payer, amount_vnd}"
        return None, None
    payer, amount = payment.get("payer"), payment.get("amount_vnd", 0)
    if payer not in PAYERS:
        errors["payment.payer"] = f"một trong / one of: {', '.join(PAYERS)}"
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_AMOUNT_VND:
        errors["payment.amount_vnd"] = (AMOUNT_FORMS if isinstance(amount, str) else
                                        f"số nguyên từ 0 đến {MAX_AMOUNT_VND} / "
                                        f"whole number 0..{MAX_AMOUNT_VND}")
    return payer, amount if isinstance(amount, int) else None


def _appointment(payload: dict[str, Any], received: date | None, errors: dict[str, str]
                 ) -> date | None:
    try:
        return parse_appointment_date(payload.get("appointment_date"), received)
    except ValidationFailed as e:
        errors.update(e.errors)
        return None


def body_from_fields(fields: Mapping[str, str], *, from_spreadsheet: bool = False
                     ) -> dict[str, Any]:
    """The API's intake body from flat text fields (the counter's form, a spreadsheet row):
    dossier_code, procedure, name, phone, national_id, address, payer, amount_vnd (as people
    write it: delivery.vnd_amount, with a spreadsheet's zero fraction when ``from_spreadsheet``),
    note, appointment_date (YYYY-MM-DD; empty: none)."""
    body: dict[str, Any] = {
        "dossier_code": fields.get("dossier_code", "").strip(),
        "procedure": fields.get("procedure") or None,
        "recipient": {"name": fields.get("name", ""), "phone": fields.get("phone", ""),
                      "national_id": fields.get("national_id") or None},
        "address": fields.get("address", "").strip(), "note": fields.get("note") or None,
    }
    if (fields.get("appointment_date") or "").strip():
        body["appointment_date"] = fields["appointment_date"].strip()
    if fields.get("payer"):
        written = fields.get("amount_vnd", "").strip()
        amount = parse_vnd(written, from_spreadsheet=from_spreadsheet) if written else 0
        # the written text where it is no amount: _payment refuses it, naming the forms it takes
        body["payment"] = {"payer": fields["payer"],
                           "amount_vnd": written if amount is None else amount}
    return body


def parse_dossier_field(payload: dict[str, Any], errors: dict[str, str], agency_code: str | None,
                        today: date | None, *, required: bool = True
                        ) -> tuple[str | None, date | None]:
    """The body's dossier code and the day it was received (None when unreadable or absent); what
    is wrong goes into ``errors``."""
    code = text_field(payload, "dossier_code", errors, limit=MAX_DOSSIER_CODE, required=required)
    if not code:
        return code, None
    try:
        received = parse_dossier_code(code, today=today)[1]
        if agency_code is not None:
            check_unit_code(code, agency_code)
        return code, received
    except ValidationFailed as e:
        errors.update(e.errors)
        return code, None


def typed_body(payload: Any) -> tuple[dict[str, Any], str | None]:
    """A body of typed fields (intake, a collection's booking) as text to read: a JSON object with
    no field holding what delivery.typed_text refuses (refused first, on its own), its TYPED_FIELDS
    converted when written in TCVN3 or VNI; returns it and the encoding converted from. Raises
    ValidationFailed."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    # control characters, lone surrogates: here for import rows, which no request check sees
    if refusal := first_refusal(payload):
        raise ValidationFailed(dict([refusal]))
    return fields_to_unicode(payload, TYPED_FIELDS)


def parse_intake(payload: Any, *, agency_code: str | None = None,
                 today: date | None = None) -> IntakeRequest:
    """Validate an intake body, reporting every field error at once (ValidationFailed), or the
    address's own failure with its candidates (AddressNotResolved) when everything else is fine.
    With ``agency_code``, a dossier code of another unit is one of those errors (create_consignment
    refuses it anyway). A field holding what delivery.typed_text refuses (a control character) is
    refused first, on its own. Text typed in TCVN3 or VNI is read converted to Unicode
    (TYPED_FIELDS), and the request, or the error, says so (``converted_from``); the fingerprint is
    the converted body's, so the same dossier sent again in Unicode is a repeat."""
    payload, converted_from = typed_body(payload)
    errors: dict[str, str] = {}
    code, received = parse_dossier_field(payload, errors, agency_code, today)
    procedure = text_field(payload, "procedure", errors, limit=MAX_PROCEDURE, required=False)
    note = text_field(payload, "note", errors, limit=MAX_NOTE, required=False)
    name, phone, id_last4 = parse_person(payload, errors)
    payer, amount = _payment(payload, errors)
    appointment = _appointment(payload, received, errors)
    address_failure: AddressNotResolved | None = None
    try:
        address_text, address = parse_address(payload, errors)
    except AddressNotResolved as e:
        address_failure, address_text, address = e, "", None
    converted = {"converted_from": converted_from} if converted_from else {}
    if errors:
        if address_failure:
            errors["address"] = address_failure.detail
        raise ValidationFailed(errors, **converted,
                               candidates=address_failure.candidates if address_failure else [])
    if address_failure:
        address_failure.extra.update(converted)  # the answer says the text was converted
        raise address_failure
    assert code and name and phone and address
    return IntakeRequest(code, procedure, name, phone, id_last4, address_text, address, payer,
                         amount, note, fingerprint(payload), appointment, converted_from)


def create_consignment(session: Session, request: IntakeRequest, agency: Agency, *,
                       indicator: str) -> tuple[Consignment, bool]:
    """Store the consignment for ``request`` (no commit). Returns (consignment, created).

    A dossier code that does not start with ``agency``'s unit code raises ValidationFailed (field
    ``dossier_code``). Within the agency, a repeat of an identical request returns the stored one
    with created=False; the same dossier code with a different body raises Conflict. Safe against
    a concurrent identical request: the loser of the unique-constraint race re-reads the winner's
    row.
    """
    check_unit_code(request.dossier_code, agency.code)
    existing = find_by_dossier_code(session, agency, request.dossier_code)
    if existing:
        return _same_or_conflict(existing, request), False
    try:
        with session.begin_nested():
            consignment = _new_consignment(session, request, agency, indicator)
            session.add(consignment)
    except IntegrityError:
        existing = find_by_dossier_code(session, agency, request.dossier_code)
        if existing is None:
            raise
        return _same_or_conflict(existing, request), False
    return consignment, True


def find_by_dossier_code(session: Session, agency: Agency, dossier_code: str
                         ) -> Consignment | None:
    """``agency``'s consignment for ``dossier_code``, if any; another agency's never."""
    return session.exec(select(Consignment).where(
        Consignment.agency_id == agency.id, Consignment.dossier_code == dossier_code,
        Consignment.direction == TO_CITIZEN)).first()


def _same_or_conflict(existing: Consignment, request: IntakeRequest) -> Consignment:
    if existing.request_fingerprint != request.fingerprint:
        raise Conflict(f"mã hồ sơ {request.dossier_code} đã có bưu gửi "
                       f"{existing.tracking_number} với nội dung khác "
                       f"/ dossier code already used for {existing.tracking_number} "
                       "with a different body",
                       tracking_number=existing.tracking_number)
    return existing


def _new_consignment(session: Session, request: IntakeRequest, agency: Agency, indicator: str
                     ) -> Consignment:
    address, now = request.address, utcnow()
    office = destination_office(session, address.ward_code, address.province_code)
    legacy = address.legacy
    consignment = Consignment(
        tracking_number=s10.allocate(session, indicator),
        # 192 bits: the citizen's link must not be guessable
        tracking_token=secrets.token_urlsafe(24),
        dossier_code=request.dossier_code, request_fingerprint=request.fingerprint,
        procedure=request.procedure, agency_id=agency.id,
        destination_office_id=office.id if office else None,
        recipient_name=request.recipient_name,
        recipient_name_folded=fold_name(request.recipient_name),
        recipient_phone=request.recipient_phone,
        recipient_id_last4=request.recipient_id_last4,
        address_text=request.address_text, street=address.street, ward_code=address.ward_code,
        province_code=address.province_code, address_confidence=address.confidence,
        legacy_province=legacy.province if legacy else None,
        legacy_district=legacy.district if legacy else None,
        legacy_ward=legacy.ward if legacy else None,
        payer=request.payer, amount_vnd=request.amount_vnd, note=request.note,
        created_at=now, updated_at=now, appointment_date=request.appointment_date,
    )
    consignment.due_at = due_at_for(session, agency, consignment)
    return consignment
