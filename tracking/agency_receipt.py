"""The agency's receipt for a collected dossier (giấy tiếp nhận hồ sơ và hẹn trả kết quả): once the
dossier is handed to the agency, its upstream system sends the receipt number and the appointment
date (and the dossier code when the collection was booked without one); the citizen is texted them
with the tracking link (SMS kind ``agency_received``).

Idempotent: the same receipt again changes nothing and texts nobody. A different receipt for an
item that has one, a dossier code other than the item's, or a code another of the agency's
collections carries is a Conflict; an item not yet handed to the agency is a Conflict too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from delivery.bulk import insert_returning_ids
from delivery.collection_models import CollectionOrder
from delivery.dossier import check_unit_code, parse_dossier_code
from delivery.errors import Conflict, ValidationFailed
from delivery.models import VIETNAM_TIME, Agency, Consignment, utcnow
from delivery.status_model import TO_AGENCY

from .models import Outbox
from .notify import outbox_row, sms_payload

MAX_RECEIPT_NUMBER = 40
# Letters, digits and . / - _ as receipt numbers are printed, exactly as sent (ASCII: the SMS
# stays GSM-7 when unaccented). The API's document states this very pattern (web/api_schema).
RECEIPT_NUMBER_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z./_-]{0,39}$"
_RECEIPT = re.compile(RECEIPT_NUMBER_PATTERN)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # as JSON Schema's "date" (RFC 3339) has it
MAX_APPOINTMENT_DAYS = 366  # an appointment further ahead than a year is a typing error


@dataclass(frozen=True)
class AgencyReceipt:
    receipt_number: str
    appointment_date: date
    dossier_code: str | None


def parse_receipt(payload: Any, agency: Agency, today: date) -> AgencyReceipt:
    """The receipt of a request body; ValidationFailed naming every bad field."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    errors: dict[str, str] = {}
    number = payload.get("receipt_number")
    if not isinstance(number, str) or not _RECEIPT.fullmatch(number):
        errors["receipt_number"] = (f"Số biên nhận: 1-{MAX_RECEIPT_NUMBER} chữ, số, . / - _ / "
                                    "receipt number: letters, digits, . / - _")
    appointment = _appointment(payload.get("appointment_date"), today, errors)
    code = payload.get("dossier_code")
    if code is not None:
        code = _dossier_code(code, agency, errors)
    if errors:
        raise ValidationFailed(errors)
    return AgencyReceipt(number, appointment, code)


def _appointment(value: Any, today: date, errors: dict[str, str]) -> date | None:
    try:
        day = (date.fromisoformat(value) if isinstance(value, str) and _DAY.fullmatch(value)
               else None)
    except ValueError:
        day = None
    if day is None or not today <= day <= today + timedelta(days=MAX_APPOINTMENT_DAYS):
        errors["appointment_date"] = ("Ngày hẹn trả: YYYY-MM-DD, từ hôm nay đến một năm sau / "
                                      "appointment date: YYYY-MM-DD, today to a year ahead")
        return None
    return day


def _dossier_code(value: Any, agency: Agency, errors: dict[str, str]) -> str | None:
    try:
        if not isinstance(value, str):
            raise ValidationFailed({"dossier_code": "Mã hồ sơ phải là chuỗi / must be a string"})
        parse_dossier_code(value)
        check_unit_code(value, agency.code)
    except ValidationFailed as error:
        errors.update(error.errors)
        return None
    return value.strip()


def record_receipt(session: Session, item: Consignment, receipt: AgencyReceipt
                   ) -> tuple[CollectionOrder, bool, list[int]]:
    """Store ``receipt`` on the item's collection order and queue the citizen's SMS (no commit).
    Returns the order, whether the receipt is new (False: a repeat) and the outbox ids to push
    after commit."""
    order = session.get(CollectionOrder, item.id) if item.direction == TO_AGENCY else None
    if order is None or item.status != "handed_to_agency":
        raise Conflict("hồ sơ chưa bàn giao cho cơ quan / the dossier is not with the agency yet")
    _check_code(session, item, receipt.dossier_code)
    if order.agency_receipt_number is not None:
        if (order.agency_receipt_number, order.agency_appointment_date) != (
                receipt.receipt_number, receipt.appointment_date):
            raise Conflict("đã có biên nhận khác / another receipt is already recorded")
        return order, False, []
    order.agency_receipt_number = receipt.receipt_number
    order.agency_appointment_date = receipt.appointment_date
    order.agency_received_at = utcnow()
    item.dossier_code = item.dossier_code or receipt.dossier_code
    session.flush()
    return order, True, _queue_sms(session, item, receipt)


def _check_code(session: Session, item: Consignment, code: str | None) -> None:
    if code is None or code == item.dossier_code:
        return
    if item.dossier_code is not None:
        raise Conflict(f"hồ sơ đã có mã {item.dossier_code} / the dossier has another code")
    taken = session.exec(select(Consignment.id).where(
        Consignment.agency_id == item.agency_id, Consignment.dossier_code == code,
        Consignment.direction == TO_AGENCY)).first()
    if taken is not None:
        raise Conflict(f"mã hồ sơ {code} đã dùng cho hồ sơ khác / used by another dossier")


def _queue_sms(session: Session, item: Consignment, receipt: AgencyReceipt) -> list[int]:
    payload = sms_payload(item, "agency_received", receipt_number=receipt.receipt_number,
                          appointment=f"{receipt.appointment_date:%d/%m/%Y}")
    if payload is None:
        return []
    row = outbox_row("sms", item.id, "agency_received", payload)
    return insert_returning_ids(session, Outbox.__table__, [row], key="dedupe_key")


def today_in_vietnam() -> date:
    return utcnow().astimezone(VIETNAM_TIME).date()
