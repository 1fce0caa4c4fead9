"""How the admin's directory pages name the directory's fields, in the reader's language.

delivery.directory_fields.FIELD_LABELS names them for the directory file and the CLI (Vietnamese
and English at once); a page shows one language, so it has its own names, for the same keys (the
keys of ValidationFailed.errors)."""

from __future__ import annotations

from babel.support import LazyProxy

from .i18n import lazy_gettext as _

DIRECTORY_FIELDS: dict[str, LazyProxy] = {
    "record": _("Đối tượng"), "code": _("Mã"), "name": _("Tên"),
    "kind": _("Loại bưu cục"), "province": _("Tỉnh"), "address": _("Địa chỉ"),
    "hours": _("Giờ mở cửa"), "wards": _("Mã phường xã"), "serves": _("Phục vụ cơ quan"),
    "office": _("Mã bưu cục"),
    "courier": _("Bưu tá"), "webhook_url": _("Webhook URL"),
    # an agency's delivery settings
    "attempt_limit": _("Số lần phát tối đa"),
    "return_within_days": _("Hạn chuyển hoàn, ngày làm việc"),
    "pickup_hold_days": _("Số ngày giữ tại bưu cục"),
}
