"""Collections: a dossier going from the citizen to the agency (Decision 45/2016/QĐ-TTg lets a
citizen send a dossier by post). Booked by the agency's upstream system, a counter or the citizen;
collected at the door in a window, checked against the procedure's checklist, carried to the agency.

The item is a Consignment with ``direction = "to_agency"`` (see delivery.status_model for its
statuses); its booking is a CollectionOrder. Idempotent as intake is: the same dossier code with
the same body returns the stored item, with a different body is a Conflict; a booking without a
dossier code is recognised by its body. Nothing here commits.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import s10
from .address import ResolvedAddress
from .collection_models import CollectionOrder
from .collection_window import Window, check_window, office_hours, parse_window
from .dossier import check_unit_code
from .errors import AddressNotResolved, Conflict, ValidationFailed
from .intake import (
    MAX_AMOUNT_VND,
    MAX_NOTE,
    MAX_PROCEDURE,
    fingerprint,
    parse_dossier_field,
    parse_person,
    text_field,
    typed_body,
)
from .intake_address import parse_address
from .models import VIETNAM_TIME, Agency, Consignment, OfficeWard, PostOffice, utcnow
from .recipient import fold_name
from .status_model import TO_AGENCY

MAX_DOCUMENTS, MAX_DOCUMENT_NAME, MAX_COPIES = 50, 200, 20
FEE_PAYERS = ("citizen", "agency", "prepaid")
NO_OFFICE = ("không bưu cục nào phục vụ phường/xã này, chưa thể thu gom tại địa chỉ / no post "
             "office serves this ward yet, so nothing can be collected there")


@dataclass(frozen=True)
class CollectionRequest:
    dossier_code: str | None
    procedure: str
    citizen_name: str
    citizen_phone: str
    citizen_id_last4: str | None
    address_text: str
    address: ResolvedAddress
    window: Window
    checklist: list[dict[str, Any]]
    fee_payer: str | None
    fee_vnd: int | None
    note: str | None
    fingerprint: str
    converted_from: str | None = None


def parse_checklist(value: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """``[{"name", "copies"}]``: 1 to MAX_DOCUMENTS documents, each named, 1 to MAX_COPIES copies
    (1 when not said)."""
    if not isinstance(value, list) or not value:
        errors["documents"] = "cần danh mục giấy tờ / a list of documents is required"
        return []
    if len(value) > MAX_DOCUMENTS:
        errors["documents"] = (f"tối đa {MAX_DOCUMENTS} giấy tờ / "
                               f"at most {MAX_DOCUMENTS} documents")
        return []
    checklist = []
    for number, entry in enumerate(value, start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        copies = entry.get("copies", 1) if isinstance(entry, dict) else None
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_DOCUMENT_NAME:
            errors[f"documents.{number}.name"] = (f"tên giấy tờ, tối đa {MAX_DOCUMENT_NAME} ký tự"
                                                  f" / the document's name, at most "
                                                  f"{MAX_DOCUMENT_NAME} characters")
        elif (not isinstance(copies, int) or isinstance(copies, bool)
              or not 1 <= copies <= MAX_COPIES):
            errors[f"documents.{number}.copies"] = (f"số bản từ 1 đến {MAX_COPIES} / "
                                                    f"copies from 1 to {MAX_COPIES}")
        else:
            checklist.append({"name": name.strip(), "copies": copies})
    return checklist


def _fee(payload: dict[str, Any], errors: dict[str, str]) -> tuple[str | None, int | None]:
    fee = payload.get("fee")
    if fee is None:
        return None, None
    payer = fee.get("payer", "citizen") if isinstance(fee, dict) else None
    amount = fee.get("amount_vnd") if isinstance(fee, dict) else None
    if payer not in FEE_PAYERS:
        errors["fee.payer"] = f"một trong / one of: {', '.join(FEE_PAYERS)}"
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_AMOUNT_VND:
        errors["fee.amount_vnd"] = (f"số nguyên đồng từ 0 đến {MAX_AMOUNT_VND} / "
                                    f"whole VND from 0 to {MAX_AMOUNT_VND}")
        return payer, None
    return payer, amount


def parse_collection(payload: Any, *, agency_code: str) -> CollectionRequest:
    """Validate a booking body (CONTRACT.md "Collections"), reporting every field error at once
    (ValidationFailed), or the address's failure with its candidates (AddressNotResolved). The
    window is checked here for its shape only (see ``create_collection``)."""
    payload, converted_from = typed_body(payload)
    errors: dict[str, str] = {}
    code, _ = parse_dossier_field(payload, errors, agency_code, None, required=False)
    procedure = text_field(payload, "procedure", errors, limit=MAX_PROCEDURE, required=True)
    note = text_field(payload, "note", errors, limit=MAX_NOTE, required=False)
    name, phone, id_last4 = parse_person(payload, errors, "citizen")
    window = parse_window(payload.get("window"), errors)
    checklist = parse_checklist(payload.get("documents"), errors)
    payer, amount = _fee(payload, errors)
    try:
        address_text, address = parse_address(payload, errors)
    except AddressNotResolved as failure:
        if not errors:
            raise
        errors["address"] = failure.detail
        address_text, address = "", None
    if errors:
        raise ValidationFailed(errors)
    assert procedure and name and phone and address and window
    return CollectionRequest(code, procedure, name, phone, id_last4, address_text, address, window,
                             checklist, payer, amount, note, fingerprint(payload), converted_from)


def collecting_office(session: Session, ward_code: int) -> PostOffice | None:
    """The delivery office serving ``ward_code``: its couriers collect there (no fallback to the
    province's hub, as results have: a hub has no couriers at doors)."""
    return session.exec(select(PostOffice).join(OfficeWard, OfficeWard.office_id == PostOffice.id)
                        .where(OfficeWard.ward_code == ward_code)).first()


def create_collection(session: Session, request: CollectionRequest, agency: Agency, *,
                      indicator: str, booked_by: str, now: datetime | None = None,
                      taken_at: int | None = None) -> tuple[Consignment, CollectionOrder, bool]:
    """Store the booking (no commit); returns (item, order, created). ``taken_at``: the office of
    the counter that took the booking, where the dossier's route starts (any one-stop shop takes any
    agency's dossiers, regardless of boundary: its staff keep seeing it, delivery.access). Raises
    ValidationFailed (a window past, too far or outside the collecting office's hours; no office
    serving the ward; a dossier code of another unit), Conflict (the dossier code booked with a
    different body)."""
    if request.dossier_code:
        check_unit_code(request.dossier_code, agency.code)
    if existing := find_collection(session, agency, request):
        return existing + (False,)
    office = check_collectable(session, request, now)
    try:
        with session.begin_nested():
            item, order = _new_collection(session, request, agency, office, indicator, booked_by)
            item.origin_office_id = taken_at
    except IntegrityError:
        if existing := find_collection(session, agency, request):
            return existing + (False,)
        raise
    return item, order, True


def check_collectable(session: Session, request: CollectionRequest,
                      now: datetime | None = None) -> PostOffice:
    """The office whose couriers would collect ``request``; raises ValidationFailed when no office
    serves its ward or its window is past, too far ahead or outside that office's hours. Called
    before booking, and by the citizen's form before a code is texted."""
    office = collecting_office(session, request.address.ward_code)
    errors: dict[str, str] = {}
    if office is None:
        errors["address"] = NO_OFFICE
    check_window(request.window, office_hours(office.opening_hours if office else None),
                 now or utcnow(), errors)
    if errors or office is None:
        raise ValidationFailed(errors)
    return office


def find_collection(session: Session, agency: Agency, request: CollectionRequest
                    ) -> tuple[Consignment, CollectionOrder] | None:
    """The agency's stored booking this request repeats (by dossier code, else by body); Conflict
    when its dossier code was booked with a different body."""
    query = select(Consignment, CollectionOrder).join(
        CollectionOrder, CollectionOrder.consignment_id == Consignment.id).where(
        Consignment.agency_id == agency.id, Consignment.direction == TO_AGENCY)
    if request.dossier_code:
        query = query.where(Consignment.dossier_code == request.dossier_code)
    else:
        query = query.where(CollectionOrder.request_fingerprint == request.fingerprint)
    row = session.exec(query).first()
    if row is None:
        return None
    if row[1].request_fingerprint != request.fingerprint:
        raise Conflict(f"mã hồ sơ {request.dossier_code} đã được đặt thu gom "
                       f"({row[0].tracking_number}) với nội dung khác / dossier code already "
                       f"booked for collection as {row[0].tracking_number} with other details",
                       tracking_number=row[0].tracking_number)
    return row[0], row[1]


def _new_collection(session: Session, request: CollectionRequest, agency: Agency,
                    office: PostOffice, indicator: str, booked_by: str
                    ) -> tuple[Consignment, CollectionOrder]:
    address, now = request.address, utcnow()
    legacy = address.legacy
    item = Consignment(
        tracking_number=s10.allocate(session, indicator),
        tracking_token=secrets.token_urlsafe(24),  # 192 bits: the citizen's link
        dossier_code=request.dossier_code, direction=TO_AGENCY,
        request_fingerprint=request.fingerprint, procedure=request.procedure,
        agency_id=agency.id, destination_office_id=office.id,
        recipient_name=request.citizen_name, recipient_name_folded=fold_name(request.citizen_name),
        recipient_phone=request.citizen_phone, recipient_id_last4=request.citizen_id_last4,
        address_text=request.address_text, street=address.street, ward_code=address.ward_code,
        province_code=address.province_code, address_confidence=address.confidence,
        legacy_province=legacy.province if legacy else None,
        legacy_district=legacy.district if legacy else None,
        legacy_ward=legacy.ward if legacy else None,
        payer=request.fee_payer, amount_vnd=request.fee_vnd, note=request.note,
        created_at=now, updated_at=now,
        # due when the window closes: a booking is kept when the dossier is collected in it
        due_at=datetime.combine(request.window.day, request.window.end, VIETNAM_TIME),
    )
    session.add(item)
    session.flush()
    order = CollectionOrder(
        consignment_id=item.id, agency_id=agency.id, request_fingerprint=request.fingerprint,
        window_date=request.window.day, window_from=f"{request.window.start:%H:%M}",
        window_to=f"{request.window.end:%H:%M}",
        checklist=json.dumps(request.checklist, ensure_ascii=False), booked_by=booked_by)
    session.add(order)
    session.flush()
    return item, order


def window_of(order: CollectionOrder) -> dict[str, str]:
    return {"date": order.window_date.isoformat(), "from": order.window_from,
            "to": order.window_to}


def checklist_of(order: CollectionOrder) -> list[dict[str, Any]]:
    return json.loads(order.checklist)
