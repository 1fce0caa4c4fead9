"""The admin's payment account of an agency: where the recipients' VietQR transfers at the door go.
Parse -> one domain call -> audit -> commit; a refused form comes back with what was typed."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for

from delivery.audit import record_audit
from delivery.directory import find_agency
from delivery.errors import NotFound, ValidationFailed
from delivery.payment_account import parse_payment_account, save_payment_account

from .admin_directory import agency_page
from .auth import require, who
from .db import get_session
from .payment_section import payment_context

bp = Blueprint("admin_payment", __name__, url_prefix="/staff/agencies")


@bp.post("/<code>/payment-account")
@require(roles=("admin",))
def save_account(code: str) -> Response | tuple[str, int]:
    db = get_session()
    if (agency := find_agency(db, code)) is None:
        raise NotFound(f"không có cơ quan / no agency with code {code!r}")
    form = request.form
    try:
        account = parse_payment_account(form.get("payment_bank_bin", ""),
                                        form.get("payment_account", ""),
                                        form.get("payment_account_name", ""))
    except ValidationFailed as error:
        return agency_page(agency, payment=payment_context(agency, form, error.errors)), 422
    if save_payment_account(db, agency, account):
        record_audit(db, "agency.payment_account_saved", who(), subject=f"agency:{agency.code}",
                     detail={"bank_bin": account.bank_bin})
        db.commit()
        flash("Đã lưu tài khoản nhận tiền / payment account saved")
    else:
        flash("Không có gì thay đổi / nothing changed")
    return redirect(url_for("admin_directory.agency", code=agency.code))
