"""The admin's payment account of an agency, or of a delivery office that takes the money itself:
where the recipients' VietQR transfers at the door go. Parse -> one domain call -> audit -> commit;
a refused form comes back with what was typed."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, flash, redirect, request, url_for

from delivery.audit import record_audit
from delivery.directory import find_agency, find_office
from delivery.errors import NotFound, ValidationFailed
from delivery.models import Agency, PostOffice
from delivery.payment_account import parse_payment_account, save_payment_account

from .admin_directory import agency_page
from .admin_offices import office_page
from .auth import require, who
from .db import get_session
from .i18n import gettext as _
from .payment_section import payment_context

bp = Blueprint("admin_payment", __name__, url_prefix="/staff")


@bp.post("/agencies/<code>/payment-account")
@require(roles=("admin",))
def save_agency_account(code: str) -> Response | tuple[str, int]:
    if (agency := find_agency(get_session(), code)) is None:
        raise NotFound(_("không có cơ quan mã %(code)s", code=repr(code)))
    return _save(agency, "agency", lambda payment: agency_page(agency, payment=payment),
                 url_for("admin_directory.agency", code=agency.code))


@bp.post("/offices/<code>/payment-account")
@require(roles=("admin",))
def save_office_account(code: str) -> Response | tuple[str, int]:
    if (office := find_office(get_session(), code)) is None:
        raise NotFound(_("không có bưu cục mã %(code)s", code=repr(code)))
    return _save(office, "office", lambda payment: office_page(office, payment=payment),
                 url_for("admin_offices.office", code=office.code))


def _save(holder: Agency | PostOffice, kind: str, page_again: Callable[[dict], str],
          back: str) -> Response | tuple[str, int]:
    db, form = get_session(), request.form
    try:
        account = parse_payment_account(form.get("payment_bank_bin", ""),
                                        form.get("payment_account", ""),
                                        form.get("payment_account_name", ""))
    except ValidationFailed as error:
        return page_again(payment_context(holder, form, error.errors)), 422
    if save_payment_account(db, holder, account):
        record_audit(db, f"{kind}.payment_account_saved", who(), subject=f"{kind}:{holder.code}",
                     detail={"bank_bin": account.bank_bin})
        db.commit()
        flash(_("Đã lưu tài khoản nhận tiền"))
    else:
        flash(_("Không có gì thay đổi"))
    return redirect(back)
