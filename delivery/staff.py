"""Staff accounts as an admin manages them: who works where, in which role, and whether they may
log in.

The rules, each checked here and nowhere else:
- counter staff and couriers work at a post office (the one whose items they see);
- a supervisor oversees either one office or a whole province: one of the two, never both;
- an admin sees everything: an office is optional, a province is only for supervisors;
- an active admin always remains: the last one can be neither disabled nor given another role, so
  nobody is left who could manage accounts;
- passwords follow delivery.accounts (at least PASSWORD_MIN_LENGTH characters, typed twice here);
  setting one, or disabling an account, ends every session the user has open.
Errors name the form's fields (``username``, ``password``, ``password_again``, ``role``,
``office``, ``province``). Nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from .accounts import ROLES, check_new_password, create_user, end_sessions, set_password
from .errors import Conflict, NotFound, ValidationFailed
from .models import PostOffice, Province, User

AT_AN_OFFICE = ("counter", "courier")
USERNAME = re.compile(r"[A-Za-z0-9._@-]{2,80}")


@dataclass(frozen=True)
class Placement:
    """A role and where it applies, as typed on the form (office by code, province by GSO code)."""

    role: str
    office_code: str = ""
    province_code: int | None = None


@dataclass(frozen=True)
class StaffMember:
    """One line of the staff list."""

    user: User
    office: PostOffice | None
    province: Province | None


def staff_list(session: Session) -> list[StaffMember]:
    """Every staff account, by username, with its office and province."""
    rows = session.exec(
        select(User, PostOffice, Province)
        .outerjoin(PostOffice, col(PostOffice.id) == col(User.office_id))
        .outerjoin(Province, col(Province.code) == col(User.province_code))
        .order_by(col(User.username))).all()
    return [StaffMember(user, office, province) for user, office, province in rows]


def get_staff(session: Session, user_id: int) -> User:
    """The account with this id; raises NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("không có nhân viên này / no such staff account")
    return user


def create_staff(session: Session, username: str, password: str, repeated: str,
                 placement: Placement) -> User:
    """Add an account (no commit). Raises ValidationFailed naming every wrong field at once."""
    username = username.strip()
    errors = (_errors_of(lambda: _check_username(session, username))
              | _errors_of(lambda: check_new_password(password, repeated))
              | _errors_of(lambda: _placed(session, placement)))
    if errors:
        raise ValidationFailed(errors)
    office_id, province_code = _placed(session, placement)
    user = create_user(session, username, password, placement.role)
    user.office_id, user.province_code = office_id, province_code
    session.add(user)
    session.flush()
    return user


def place_staff(session: Session, user: User, placement: Placement) -> dict[str, list[Any]]:
    """Give ``user`` this role, office and province (no commit). Returns what changed, as people
    name it (``role``, ``office`` by code, ``province`` by code -> [before, after]; empty when
    nothing did). Raises ValidationFailed."""
    office_id, province_code = _placed(session, placement)
    if user.role == "admin" and placement.role != "admin" and user.active:
        _keep_an_admin(session, user, "role")
    changes = {name: [before, after] for name, before, after in (
        ("role", user.role, placement.role),
        ("office", _office_code(session, user.office_id), placement.office_code or None),
        ("province", user.province_code, province_code)) if before != after}
    user.role, user.office_id, user.province_code = placement.role, office_id, province_code
    session.add(user)
    return changes


def set_active(session: Session, user: User, active: bool) -> bool:
    """Enable or disable ``user`` (no commit); disabling ends their sessions, and enabling again
    does not bring those back. Returns whether anything changed; raises Conflict for the last
    active admin."""
    if user.active == active:
        return False
    if not active:
        if user.role == "admin":
            _keep_an_admin(session, user, None)
        end_sessions(user)
    user.active = active
    session.add(user)
    return True


def replace_password(session: Session, user: User, password: str, repeated: str) -> None:
    """Set ``user``'s password, typed twice (no commit); every session they have open ends.
    Raises ValidationFailed (``password``, ``password_again``)."""
    check_new_password(password, repeated)
    set_password(user, password)
    session.add(user)


def _check_username(session: Session, username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise ValidationFailed({"username": "2-80 ký tự: chữ không dấu, số, . _ - @ / 2-80 "
                                            "characters: letters without accents, digits, . _ - @"})
    if session.exec(select(User.id).where(User.username == username)).first():
        raise ValidationFailed({"username": "tên này đã có người dùng / already taken"})


def _placed(session: Session, placement: Placement) -> tuple[int | None, int | None]:
    """The office id and province code ``placement`` stands for; raises ValidationFailed."""
    role, office_code, province = placement.role, placement.office_code, placement.province_code
    if role not in ROLES:
        raise ValidationFailed({"role": "chọn một vai trò / choose a role"})
    if province is not None and role != "supervisor":
        raise ValidationFailed({"province": "chỉ dành cho giám sát viên / only for supervisors"})
    if role == "supervisor" and bool(office_code) == (province is not None):
        raise ValidationFailed({"office": "giám sát một bưu cục hoặc một tỉnh (chọn một) / "
                                          "a supervisor oversees an office or a province "
                                          "(choose one)"})
    if role in AT_AN_OFFICE and not office_code:
        raise ValidationFailed({"office": "nhân viên quầy và bưu tá cần một bưu cục / counter "
                                          "staff and couriers need an office"})
    return _office_id(session, office_code), _province_code(session, province)


def _office_id(session: Session, code: str) -> int | None:
    if not code:
        return None
    office_id = session.exec(select(PostOffice.id).where(PostOffice.code == code)).first()
    if office_id is None:
        raise ValidationFailed({"office": f"không có bưu cục mã {code} / no office {code}"})
    return office_id


def _office_code(session: Session, office_id: int | None) -> str | None:
    office = session.get(PostOffice, office_id) if office_id else None
    return office.code if office else None


def _province_code(session: Session, code: int | None) -> int | None:
    if code is not None and session.get(Province, code) is None:
        raise ValidationFailed({"province": f"không có tỉnh mã {code} / no province {code}"})
    return code


def _keep_an_admin(session: Session, user: User, field: str | None) -> None:
    """Refuse to take away the last active admin (the others' rows are locked on PostgreSQL, so
    two admins cannot disable each other at the same moment)."""
    others = session.exec(
        select(User.id).where(User.role == "admin", col(User.active), User.id != user.id)
        .with_for_update()).all()
    if others:
        return
    message = "phải còn ít nhất một quản trị viên / at least one active admin must remain"
    if field:
        raise ValidationFailed({field: message})
    raise Conflict(message)


def _errors_of(check: Callable[[], object]) -> dict[str, str]:
    try:
        check()
    except ValidationFailed as error:
        return error.errors
    return {}

