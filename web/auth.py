"""Who is calling: an API client by bearer key (with scopes) or a staff user by login session
(with a role).

Every staff route and API route declares what it needs with ``require``; nothing is open by default.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlmodel import Session

from delivery.access import NOTHING, Caller, Scope, scope_of
from delivery.accounts import (
    authenticate_api_key,
    authenticate_user,
    end_sessions,
    hash_api_key,
    password_matches,
)
from delivery.audit import Who, record_audit
from delivery.login_throttle import (
    ThrottlePolicy,
    account_key,
    address_key,
    clear_failures,
    note_failure,
    seconds_locked,
)
from delivery.models import User

from .db import get_session
from .trusted_keys import TrustedKeys

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
# What a login keeps in the signed session cookie (login_session_values).
SESSION_USER, SESSION_GENERATION, SESSION_SINCE = "user_id", "generation", "since"


@dataclass(frozen=True)
class Actor:
    """The caller of this request, as recorded on events (``user:7``, ``api:3``)."""

    kind: str  # user | api
    id: int
    name: str
    role: str | None = None
    scopes: frozenset[str] = frozenset()
    agency_id: int | None = None
    office_id: int | None = None
    province_code: int | None = None  # a supervisor of a whole province
    postal: bool = False  # a postal-network API client

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def caller(self) -> Caller:
        """What delivery.access decides on."""
        if self.kind == "api":
            return Caller(agency_id=self.agency_id,
                          postal_client_id=self.id if self.postal else None)
        return Caller(role=self.role, office_id=self.office_id, province_code=self.province_code)


def _bearer_actor() -> Actor | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    key, trusted = header[7:].strip(), trusted_keys()
    key_hash = hash_api_key(key)
    if actor := trusted.get(key_hash):
        return actor
    db = get_session()
    client = authenticate_api_key(db, key)
    if client is None:
        abort(401, description="Khóa API không hợp lệ / invalid or revoked API key")
    # its last-used time moved (once a minute): keep it even if this request only reads
    if client.touched:
        db.commit()
    actor = Actor("api", client.id, client.name, scopes=frozenset(client.scopes.split()),
                  agency_id=client.agency_id, postal=client.postal)
    trusted.put(key_hash, actor)
    return actor


def trusted_keys() -> TrustedKeys[Actor]:
    if "trusted_keys" not in current_app.extensions:
        current_app.extensions["trusted_keys"] = TrustedKeys(
            current_app.config["API_KEY_TRUST_SECONDS"])
    return current_app.extensions["trusted_keys"]


def current_user() -> User | None:
    """The logged-in staff user of this request, if any: the session cookie names an active user,
    was issued under their current session generation (no logout, password change or reset, or
    disabling since) and is younger than their role's session lifetime."""
    if "current_user" not in g:
        g.current_user = _session_user()
    return g.current_user


def _session_user() -> User | None:
    user_id, since = session.get(SESSION_USER), session.get(SESSION_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, int):
        return None  # also every cookie issued before generations existed
    user = get_session().get(User, user_id)
    if user is None or not user.active or session.get(SESSION_GENERATION) != \
            user.session_generation:
        return None
    if time.time() - since > session_lifetime(user.role).total_seconds():
        return None
    return user


def session_lifetime(role: str) -> timedelta:
    """How long a login of ``role`` lasts from the moment of login (web/config.py _sessions)."""
    config = current_app.config
    return config["COURIER_SESSION_LIFETIME" if role == "courier" else
                  "PERMANENT_SESSION_LIFETIME"]


def login_session_values(user_id: int, generation: int, since: int | None = None
                         ) -> dict[str, int]:
    """What a login puts in the session cookie: who, under which session generation, since when
    (Unix seconds)."""
    return {SESSION_USER: user_id, SESSION_GENERATION: generation,
            SESSION_SINCE: int(time.time()) if since is None else since}


def open_login_session(user: User) -> None:
    """Log ``user`` in on this browser. The session starts empty: nothing planted in the cookie
    before the login (a CSRF token, another user's keys) carries over."""
    session.clear()
    session.update(login_session_values(user.id, user.session_generation))


def keep_login_session(user: User) -> None:
    """After ``user`` ended their own sessions (a password change, committed): this browser stays
    logged in under the new generation, from the same login time."""
    session[SESSION_GENERATION] = user.session_generation


def end_login_session() -> None:
    """Log out: every session of the logged-in user ends, on every device (a copy of this cookie
    included: all carry a generation that no longer counts); audited and committed. This
    browser's cookie is emptied in any case."""
    user = current_user()
    if user is not None:
        db = get_session()
        record_audit(db, "logout", who())
        end_sessions(user)
        db.add(user)
        db.commit()
    session.clear()


def current_actor() -> Actor | None:
    if "actor" not in g:
        g.actor = _bearer_actor()
        if g.actor is None and (user := current_user()):
            g.actor = Actor("user", user.id, user.username, role=user.role,
                            office_id=user.office_id, province_code=user.province_code)
    return g.actor


def current_scope() -> Scope:
    """The items the current caller may see (delivery.access), computed once per request; nothing
    for an anonymous request."""
    if "scope" not in g:
        actor = current_actor()
        g.scope = scope_of(get_session(), actor.caller) if actor else NOTHING
    return g.scope


def csrf_token() -> str:
    """The session's CSRF token (created on first use); forms put it in a hidden field."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Session-authenticated writes must echo the session's token (form field or header)."""
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(str(sent), expected):
        abort(400, description="Phiên làm việc hết hạn, tải lại trang / "
                               "CSRF token missing or invalid; reload")


def _allowed(actor: Actor, scope: str | None, roles: tuple[str, ...]) -> bool:
    if actor.kind == "api":
        return scope is not None and scope in actor.scopes
    return actor.role in roles or actor.role == "admin"


View = Callable[..., Any]


def require(scope: str | None = None, roles: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Allow API clients holding ``scope`` and logged-in users with one of ``roles``
    (admins always).

    Anonymous API calls get 401, pages redirect to the login form; a wrong role or scope gets 403.
    Session-authenticated writes must carry the CSRF token.
    """
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                if request.path.startswith("/api/"):
                    abort(401, description="Cần đăng nhập hoặc khóa API / authentication required")
                return redirect(url_for("pages.login", next=request.full_path))
            if not _allowed(actor, scope, roles):
                abort(403, description="Không đủ quyền / not allowed for your role or key's scopes")
            if actor.kind == "user" and request.method not in ("GET", "HEAD", "OPTIONS"):
                check_csrf()
            return view(*args, **kwargs)
        return wrapped
    return decorator


def who() -> Who:
    """The current caller as the audit log records it: actor, name, client address and office."""
    actor = current_actor()
    if actor is None:
        return Who("anonymous", client_address=request.remote_addr)
    return Who(actor.ref, actor.name, request.remote_addr, actor.office_id)


def _policies() -> tuple[ThrottlePolicy, ThrottlePolicy]:
    config = current_app.config
    lock = timedelta(seconds=config["LOGIN_LOCK_SECONDS"])
    return (ThrottlePolicy(config["LOGIN_MAX_FAILURES"], lock),
            ThrottlePolicy(config["LOGIN_MAX_FAILURES_PER_ADDRESS"], lock))


def attempt_login(username: str, password: str) -> tuple[User | None, int]:
    """Check a login against the throttle, then the password; audit it and commit.

    Returns (the user, 0) on success, (None, 0) for wrong credentials and (None, seconds) while the
    account or the client address is locked (the password is then not even checked, so guessing
    gains nothing)."""
    db = get_session()
    account, address = account_key(username), address_key(request.remote_addr)
    anonymous = Who("anonymous", username[:80], request.remote_addr)
    if wait := seconds_locked(db, [account, address]):
        record_audit(db, "login.locked", anonymous, detail={"retry_after": wait})
        db.commit()
        return None, wait
    user = authenticate_user(db, username, password)
    if user is None:
        _count_failure(db, account, address)
        record_audit(db, "login.failure", anonymous)
    else:
        clear_failures(db, account)
        record_audit(db, "login.success",
                     Who(f"user:{user.id}", user.username, request.remote_addr, user.office_id))
    db.commit()
    return user, 0


def confirm_password(user: User, password: str) -> tuple[bool, int]:
    """Whether ``password`` is the logged-in ``user``'s own, under the login throttle, so a stolen
    session cannot guess its way to a new password: a wrong one counts as a failed login of the
    account and of the client address (audited, committed), and while either is locked nothing is
    checked. Returns (it matches, seconds still locked)."""
    db = get_session()
    account, address = account_key(user.username), address_key(request.remote_addr)
    if wait := seconds_locked(db, [account, address]):
        return False, wait
    if password_matches(user, password):
        return True, 0
    _count_failure(db, account, address)
    record_audit(db, "login.failure", who(), detail={"during": "password change"})
    db.commit()
    return False, 0


def _count_failure(db: Session, account: str, address: str) -> None:
    per_account, per_address = _policies()
    note_failure(db, account, per_account)
    note_failure(db, address, per_address)
