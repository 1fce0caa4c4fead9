"""What the admin's agency page shows of the payment account (where a recipient's VietQR transfer
goes); the view that saves it is web.admin_payment."""

from __future__ import annotations

from typing import Any

from flask import url_for

from delivery.models import Agency, PostOffice
from delivery.payment_account import FIELDS, payment_account_of

from .i18n import lazy_gettext as _

# The form's fields as the page names them (delivery.payment_account.FIELDS has the same keys).
SHOWN_FIELDS = {
    "payment_bank_bin": _("Mã BIN ngân hàng (6 số, NAPAS)"),
    "payment_account": _("Số tài khoản"),
    "payment_account_name": _("Tên chủ tài khoản"),
}


def payment_context(holder: Agency | PostOffice, form: Any = None,
                    errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The section's form for an agency or an office: filled from it unless a refused form's input
    is given; ``action`` is where it posts."""
    if form is None:
        form = {name: value or "" for name, value in zip(FIELDS, payment_account_of(holder),
                                                          strict=True)}
    kind = "agency" if isinstance(holder, Agency) else "office"
    return {"form": form, "errors": errors or {}, "fields": SHOWN_FIELDS, "kind": kind,
            "action": url_for(f"admin_payment.save_{kind}_account", code=holder.code)}
