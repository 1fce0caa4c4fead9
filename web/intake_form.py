"""The counter's create-consignment form (templates/counter/new.html): its fields as the form
names them, the intake's errors placed next to them, and what was typed shown again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from delivery.errors import DomainError, ValidationFailed
from delivery.typed_text import without_refused

from .request_text import form_refusals

FIELDS = {"agency_code": "Cơ quan giải quyết / Issuing agency",
          "dossier_code": "Mã hồ sơ / Dossier code", "procedure": "Thủ tục / Procedure",
          "name": "Người nhận / Recipient", "phone": "Điện thoại di động / Mobile phone",
          "national_id": "Số CCCD / ID number", "address": "Địa chỉ nhận / Delivery address",
          "payer": "Cước phí / Fee", "amount_vnd": "Số tiền (đồng) / Amount (VND)",
          "note": "Ghi chú cho bưu tá / Note for the courier",
          "appointment_date": "Ngày hẹn trả kết quả / Appointment date"}
# The intake body's fields (delivery.intake.body_from_fields) that have another name on the form.
_FIELD_OF = {"recipient.name": "name", "recipient.phone": "phone",
             "recipient.national_id": "national_id", "address.street": "address",
             "address.text": "address", "payment": "payer", "payment.payer": "payer",
             "payment.amount_vnd": "amount_vnd", "ward_code": "address",
             "province_code": "address"}
REMOVED = ("đã bỏ ký tự đó khỏi ô, xin xem lại rồi gửi / it was taken out of the field: "
           "check it and send again")


def check_typed_text(form: Any) -> None:
    """Raises ValidationFailed naming every field of ``form`` that holds a character no record
    may keep (delivery.typed_text), as the form names it."""
    if refusals := form_refusals(form):
        raise ValidationFailed({field: f"{message}; {REMOVED}"
                                for field, message in refusals.items()})


def typed(form: Any) -> dict[str, str]:
    """What was typed, to show again: without the refused characters, which cannot be seen."""
    return {key: without_refused(value) for key, value in form.items()}


def form_errors(error: DomainError) -> dict[str, str]:
    """``error``'s messages by the form's field names ("" for one about no field)."""
    if not isinstance(error, ValidationFailed):
        return {"": error.detail}
    return merged_messages((_FIELD_OF.get(key, key), message)
                           for key, message in error.errors.items())


def field_names(errors: Mapping[str, str]) -> dict[str, str]:
    """``errors`` (by the intake's field keys, or a spreadsheet's column as written) by the names
    people know the fields by ("Điện thoại di động / Mobile phone"; "" for a message about no
    field), as the form's labels say them."""
    return merged_messages((FIELDS.get(_FIELD_OF.get(key, key), key), message)
                   for key, message in errors.items())


def merged_messages(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Messages by name, those of one name joined."""
    merged: dict[str, str] = {}
    for name, message in pairs:
        merged[name] = f"{merged[name]}; {message}" if name in merged else message
    return merged
