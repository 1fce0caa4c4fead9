"""The admin's staff pages: list the accounts, create one, change its role and office (or, for a
supervisor, province), disable or enable it, reset its password. Every change is audited.

The rules (who needs an office, the last admin, passwords) are delivery.staff's; a view parses the
form, makes one call, audits, commits. A form with an error comes back with what was typed (never
the passwords) and each message under the field it is about.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlmodel import col, select

from delivery.audit import record_audit
from delivery.errors import Conflict, ValidationFailed
from delivery.models import PostOffice, Province, User
from delivery.staff import (
    Placement,
    create_staff,
    get_staff,
    place_staff,
    replace_password,
    set_active,
    staff_list,
)

from .auth import current_user, keep_login_session, require, who
from .db import get_session
from .i18n import gettext as _
from .i18n import lazy_gettext, one_language

bp = Blueprint("admin_users", __name__, url_prefix="/staff/users")
ADMIN = ("admin",)
# How the forms and their messages name each field.
FIELDS = {"username": lazy_gettext("Tên đăng nhập"), "password": lazy_gettext("Mật khẩu"),
          "password_again": lazy_gettext("Nhập lại mật khẩu"), "role": lazy_gettext("Vai trò"),
          "office": lazy_gettext("Bưu cục làm việc"),
          "province": lazy_gettext("Tỉnh, thành phố")}
ROLE_NAMES = {"counter": lazy_gettext("Nhân viên quầy"), "courier": lazy_gettext("Bưu tá"),
              "supervisor": lazy_gettext("Giám sát viên"), "admin": lazy_gettext("Quản trị viên")}
OFFICE_KINDS = {"counter": lazy_gettext("Quầy tại bộ phận một cửa"),
                "hub": lazy_gettext("Trung tâm khai thác"),
                "delivery_office": lazy_gettext("Bưu cục phát")}
PROVINCE_CODE = re.compile(r"[0-9]{1,3}")


@bp.get("")
@require(roles=ADMIN)
def staff() -> str:
    return render_template("staff_users.html", members=staff_list(get_session()),
                           role_names=ROLE_NAMES)


@bp.route("/new", methods=["GET", "POST"])
@require(roles=ADMIN)
def new() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return _form_page("staff_user_new.html", form={"role": "counter"})
    form, db = request.form, get_session()
    try:
        user = create_staff(db, form.get("username", ""), form.get("password", ""),
                            form.get("password_again", ""), _placement(form))
    except ValidationFailed as error:
        return _form_page("staff_user_new.html", form=form, errors=error.errors), 422
    record_audit(db, "user.created", who(), subject=f"user:{user.username}",
                 detail=_placement_detail(_placement(form)))
    db.commit()
    flash(_("Đã tạo tài khoản %(user)s", user=user.username))
    return redirect(url_for("admin_users.staff"))


@bp.get("/<row_id:user_id>")
@require(roles=ADMIN)
def edit(user_id: int) -> str:
    user = get_staff(get_session(), user_id)
    return _edit_page(user, _form_of(user))


@bp.post("/<row_id:user_id>")
@require(roles=ADMIN)
def place(user_id: int) -> Response | tuple[str, int]:
    db = get_session()
    user = get_staff(db, user_id)
    try:
        changes = place_staff(db, user, _placement(request.form))
    except ValidationFailed as error:
        return _edit_page(user, request.form, errors=error.errors), 422
    if changes:
        record_audit(db, "user.updated", who(), subject=f"user:{user.username}", detail=changes)
        db.commit()
    flash(_("Đã lưu %(user)s", user=user.username) if changes
          else _("Không có gì thay đổi: %(code)s", code=user.username))
    return redirect(url_for("admin_users.staff"))


@bp.post("/<row_id:user_id>/disable")
@require(roles=ADMIN)
def disable(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.post("/<row_id:user_id>/enable")
@require(roles=ADMIN)
def enable(user_id: int) -> Response:
    return _set_active(user_id, True)


@bp.post("/<row_id:user_id>/password")
@require(roles=ADMIN)
def reset_password(user_id: int) -> Response | tuple[str, int]:
    db = get_session()
    user = get_staff(db, user_id)
    try:
        replace_password(db, user, request.form.get("password", ""),
                         request.form.get("password_again", ""))
    except ValidationFailed as error:
        return _edit_page(user, _form_of(user), password_errors=error.errors), 422
    record_audit(db, "user.password_reset", who(), subject=f"user:{user.username}")
    db.commit()
    if user.id == current_user().id:  # an admin resetting their own: this browser stays in
        keep_login_session(user)
    flash(_("Đã đặt mật khẩu mới cho %(user)s; các phiên đăng nhập của họ đã kết thúc",
            user=user.username))
    return redirect(url_for("admin_users.edit", user_id=user.id))


def _set_active(user_id: int, active: bool) -> Response:
    db = get_session()
    user = get_staff(db, user_id)
    try:
        changed = set_active(db, user, active)
    except Conflict as error:
        flash(_("Chưa khóa được: %(reason)s", reason=one_language(error.detail)))
        return redirect(url_for("admin_users.edit", user_id=user.id))
    if changed:
        record_audit(db, "user.enabled" if active else "user.disabled", who(),
                     subject=f"user:{user.username}")
        db.commit()
    flash(_("Đã mở lại tài khoản %(user)s", user=user.username) if active else
          _("Đã khóa tài khoản %(user)s; các phiên đăng nhập đã kết thúc", user=user.username))
    return redirect(url_for("admin_users.staff"))


def _placement(form: Any) -> Placement:
    """The role, office and province chosen on a form; raises ValidationFailed (province)."""
    province = form.get("province", "").strip()
    if province and not PROVINCE_CODE.fullmatch(province):
        raise ValidationFailed({"province": _("chọn trong danh sách")})
    return Placement(form.get("role", ""), form.get("office", "").strip(),
                     int(province) if province else None)


def _placement_detail(placement: Placement) -> dict[str, Any]:
    return {"role": placement.role, "office": placement.office_code or None,
            "province": placement.province_code}


def _form_of(user: User) -> dict[str, str]:
    office = get_session().get(PostOffice, user.office_id) if user.office_id else None
    return {"role": user.role, "office": office.code if office else "",
            "province": str(user.province_code or "")}


def _form_page(template: str, **values: Any) -> str:
    """A form page with what its selects offer."""
    db = get_session()
    offices = db.exec(select(PostOffice).order_by(col(PostOffice.code))).all()
    provinces = db.exec(select(Province).order_by(col(Province.code))).all()
    values.setdefault("errors", {})
    return render_template(template, offices=offices, provinces=provinces, fields=FIELDS,
                           role_names=ROLE_NAMES, office_kinds=OFFICE_KINDS, **values)


def _edit_page(user: User, form: Any, errors: dict[str, str] | None = None,
               password_errors: dict[str, str] | None = None) -> str:
    return _form_page("staff_user_edit.html", user=user, form=form, errors=errors or {},
                      password_errors=password_errors or {})
