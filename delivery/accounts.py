"""Staff users and API clients: who may act, with what role or scopes. Secrets are only ever stored
hashed.

Passwords are hashed with Argon2 (slow on purpose); API keys are 256-bit random strings, so a plain
SHA-256 is enough to store them and lets a request find its client by one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from .driver import first_row
from .errors import Conflict, NotFound, ValidationFailed
from .models import ApiClient, PostOffice, User, utcnow
from .organisation import ApiClientOffice

ROLES = ("counter", "courier", "supervisor", "admin")
SCOPES = ("intake", "scan", "read")
API_KEY_PREFIX = "bk_"
LAST_USED_PRECISION = timedelta(minutes=1)
PASSWORD_MIN_LENGTH = 8

_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def parse_scopes(scopes: str) -> str:
    """Space-separated scopes, each one of SCOPES; returns them normalised, raises
    ValidationFailed."""
    names = scopes.split()
    unknown = [s for s in names if s not in SCOPES]
    if not names or unknown:
        raise ValidationFailed({"scopes": f"chỉ gồm / only: {' '.join(SCOPES)}"})
    return " ".join(sorted(set(names), key=SCOPES.index))


def create_user(session: Session, username: str, password: str, role: str,
                office_code: str | None = None) -> User:
    """Add a staff user (no commit); raises ValidationFailed, NotFound (office) or Conflict (name
    taken)."""
    if role not in ROLES:
        raise ValidationFailed({"role": f"một trong / one of: {', '.join(ROLES)}"})
    check_new_password(password)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"tên đăng nhập đã có / username {username!r} already exists")
    user = User(username=username, password_hash=_hasher.hash(password), role=role,
                office_id=_office_id(session, office_code))
    session.add(user)
    session.flush()
    return user


def check_new_password(password: str, repeated: str | None = None) -> None:
    """Raise ValidationFailed (``password``, or ``password_again`` when the second typing given
    differs) unless ``password`` may become a password."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationFailed({"password": f"ít nhất {PASSWORD_MIN_LENGTH} ký tự / "
                                            f"at least {PASSWORD_MIN_LENGTH} characters"})
    if repeated is not None and repeated != password:
        raise ValidationFailed({"password_again": "hai lần nhập không khớp / "
                                                  "the two entries differ"})


def set_password(user: User, password: str) -> None:
    """Store a new password (no commit, no length check: see ``check_new_password``) and end every
    session the user has open."""
    user.password_hash = _hasher.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every login cookie of ``user`` stops working from the next request on (no commit): each
    carries the generation it was issued under, and this raises it. An increment in SQL, so two
    concurrent calls both count."""
    user.session_generation = User.session_generation + 1  # type: ignore[assignment]


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s (to confirm who is at the keyboard)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate_user(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; constant work whether or not the name
    exists."""
    user = session.exec(select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user and user.active else None


def create_api_client(session: Session, name: str, scopes: str, agency_id: int | None = None,
                      key: str | None = None, *, postal: bool = False,
                      office_codes: tuple[str, ...] = ()) -> tuple[ApiClient, str]:
    """Add an API client (no commit); returns it and its key, which is shown once and never
    stored. A client acts for exactly one of: an agency (``agency_id``: that agency's items), or
    the postal network (``postal``: scopes scan and read only; items on routes through
    ``office_codes``, or all items when none are given). Raises ValidationFailed (agency, scopes,
    office), NotFound (an office) or Conflict (name taken)."""
    if session.exec(select(ApiClient).where(ApiClient.name == name)).first():
        raise Conflict(f"API client {name!r} already exists")
    scopes = parse_scopes(scopes)
    _check_binding(agency_id, postal, office_codes, scopes)
    office_ids = [_office_id(session, code) for code in dict.fromkeys(office_codes)]
    key = key or new_api_key()
    client = ApiClient(name=name, key_hash=hash_api_key(key), scopes=scopes, agency_id=agency_id,
                       postal=postal)
    session.add(client)
    session.flush()
    session.add_all(ApiClientOffice(client_id=client.id, office_id=office_id)
                    for office_id in office_ids)
    session.flush()
    return client, key


def _check_binding(agency_id: int | None, postal: bool, office_codes: tuple[str, ...],
                   scopes: str) -> None:
    # A key bound to nothing would see nothing (every item belongs to an agency and a route).
    if (agency_id is None) == (not postal):
        raise ValidationFailed({"agency": "khóa thuộc đúng một: một cơ quan, hoặc mạng bưu chính "
                                          "/ a key belongs to exactly one: an agency, or the "
                                          "postal network"})
    if office_codes and not postal:
        raise ValidationFailed({"office": "chỉ khóa của mạng bưu chính gắn với bưu cục / only a "
                                          "postal-network key is bound to offices"})
    if postal and "intake" in scopes.split():
        raise ValidationFailed({"scopes": "khóa bưu chính chỉ có scan, read / a postal-network "
                                          "key has the scopes scan and read only"})


@dataclass(frozen=True)
class ApiCaller:
    """An authenticated API client, as a request needs it. ``touched`` says its last-used time was
    just moved, so the caller should commit even when the request itself only reads."""

    id: int
    name: str
    scopes: str
    agency_id: int | None
    touched: bool = False
    postal: bool = False


_CLIENTS = ApiClient.__table__
# Core, not ORM: every API request runs this, and building an ApiClient object costs more than the
# query.
_BY_KEY = (select(_CLIENTS.c.id, _CLIENTS.c.name, _CLIENTS.c.scopes, _CLIENTS.c.agency_id,
                  _CLIENTS.c.active, _CLIENTS.c.last_used_at, _CLIENTS.c.postal)
           .where(_CLIENTS.c.key_hash == bindparam("key_hash")))
_TOUCH = (update(_CLIENTS).where(_CLIENTS.c.id == bindparam("client_id"))
          .values(last_used_at=bindparam("now")))


def authenticate_api_key(session: Session, key: str) -> ApiCaller | None:
    """The active client holding ``key``, or None (no commit). Its last-used time is refreshed at
    most once a minute: writing it on every request would make all of a client's concurrent requests
    queue on one row lock."""
    # A read: it may run outside the request's transaction, which then begins with the first write.
    row = first_row(session, _BY_KEY, {"key_hash": hash_api_key(key)}, standalone=True)
    if row is None:
        return None
    client_id, name, scopes, agency_id, active, last_used_at, postal = row
    if not active:
        return None
    now = utcnow()
    touched = last_used_at is None or now - last_used_at > LAST_USED_PRECISION
    if touched:
        session.connection().execute(_TOUCH, {"client_id": client_id, "now": now})
    return ApiCaller(client_id, name, scopes, agency_id, touched, postal)


def revoke_api_client(session: Session, name: str) -> ApiClient:
    """Turn off the client called ``name`` (no commit): its key gets 401 from the next lookup on (a
    web process may go on trusting a key it verified for API_KEY_TRUST_SECONDS, see
    web/trusted_keys.py). Idempotent; raises NotFound for an unknown name. The row stays, so events
    and audit rows still name it."""
    client = session.exec(select(ApiClient).where(ApiClient.name == name)).first()
    if client is None:
        raise NotFound(f"không có khách API / no API client named {name!r}")
    client.active = False
    session.add(client)
    return client


def _office_id(session: Session, office_code: str | None) -> int | None:
    if not office_code:
        return None
    office = session.exec(select(PostOffice).where(PostOffice.code == office_code)).first()
    if office is None:
        raise NotFound(f"không có bưu cục / no post office with code {office_code!r}")
    return office.id


# Actors that are not accounts, as pages name them.
NAMED_ACTORS = {"citizen": "Người nhận / the recipient", "system": "Hệ thống / the system"}


def actor_names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """Who each actor reference on events and records is, as people know them: ``user:<id>`` by
    username, ``api:<id>`` as "API <client name>", the citizen and the system by name. References
    that name nobody (a deleted account) are left out: show the reference itself."""
    actors = set(actors)
    ids = {kind: [int(ref) for a in actors if a.startswith(kind + ":")
                  and (ref := a.split(":", 1)[1]).isdigit()] for kind in ("user", "api")}
    names = {a: NAMED_ACTORS[a] for a in actors if a in NAMED_ACTORS}
    if ids["user"]:
        names |= {f"user:{u.id}": u.username for u in session.exec(
            select(User).where(col(User.id).in_(ids["user"])))}
    if ids["api"]:
        names |= {f"api:{c.id}": f"API {c.name}" for c in session.exec(
            select(ApiClient).where(col(ApiClient.id).in_(ids["api"])))}
    return names
