"""What the admin's agency page shows of the payment account (where a recipient's VietQR transfer
goes); the view that saves it is web.admin_payment."""

from __future__ import annotations

from typing import Any

from delivery.models import Agency
from delivery.payment_account import FIELDS, payment_account_of


def payment_context(agency: Agency, form: Any = None,
                    errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The section's form: filled from the agency unless a refused form's input is given."""
    if form is None:
        form = {name: value or "" for name, value in zip(FIELDS, payment_account_of(agency),
                                                          strict=True)}
    return {"form": form, "errors": errors or {}, "fields": FIELDS}
