"""The counter's create-consignment form (templates/counter/new.html): its fields as the form
names them, the intake's errors placed next to them, and what was typed shown again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from delivery.errors import DomainError, ValidationFailed
from delivery.typed_text import without_refused

from .i18n import gettext as _
from .i18n import lazy_gettext, one_language
from .request_text import form_refusals

FIELDS = {"agency_code": lazy_gettext("Cơ quan giải quyết"),
          "dossier_code": lazy_gettext("Mã hồ sơ"), "procedure": lazy_gettext("Thủ tục"),
          "name": lazy_gettext("Người nhận"), "phone": lazy_gettext("Điện thoại di động"),
          "national_id": lazy_gettext("Số CCCD"), "address": lazy_gettext("Địa chỉ nhận"),
          "payer": lazy_gettext("Cước phí"), "amount_vnd": lazy_gettext("Số tiền (đồng)"),
          "note": lazy_gettext("Ghi chú cho bưu tá"),
          "appointment_date": lazy_gettext("Ngày hẹn trả kết quả")}
# The intake body's fields (delivery.intake.body_from_fields) that have another name on the form.
_FIELD_OF = {"recipient.name": "name", "recipient.phone": "phone",
             "recipient.national_id": "national_id", "address.street": "address",
             "address.text": "address", "payment": "payer", "payment.payer": "payer",
             "payment.amount_vnd": "amount_vnd", "ward_code": "address",
             "province_code": "address"}


def check_typed_text(form: Any) -> None:
    """Raises ValidationFailed naming every field of ``form`` that holds a character no record
    may keep (delivery.typed_text), as the form names it."""
    if refusals := form_refusals(form):
        raise ValidationFailed({field: _("%(why)s; đã bỏ ký tự đó khỏi ô, xin xem lại rồi gửi",
                                         why=one_language(message))
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
    people know the fields by, in the page's language ("Điện thoại di động"; "" for a message
    about no field), as the form's labels say them."""
    return merged_messages((str(FIELDS.get(_FIELD_OF.get(key, key), key)), message)
                           for key, message in errors.items())


def merged_messages(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Messages by name, those of one name joined."""
    merged: dict[str, str] = {}
    for name, message in pairs:
        merged[name] = f"{merged[name]}; {message}" if name in merged else message
    return merged
