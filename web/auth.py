"""Who is calling: an API client by bearer key (with scopes) or a staff user by login session (with a role).

Every staff route and API route declares what it needs with ``require``; nothing is open by default.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, g, redirect, request, session, url_for

from delivery.accounts import authenticate_api_key
from delivery.models import ApiClient, User

from .db import get_session

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


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

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


def _bearer_actor() -> Actor | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    client: ApiClient | None = authenticate_api_key(get_session(), header[7:].strip())
    if client is None:
        abort(401, description="Khóa API không hợp lệ / invalid or revoked API key")
    return Actor("api", client.id, client.name, scopes=frozenset(client.scopes.split()), agency_id=client.agency_id)


def current_user() -> User | None:
    """The logged-in staff user of this request, if any (and still active)."""
    if "current_user" not in g:
        user_id = session.get("user_id")
        user = get_session().get(User, user_id) if user_id else None
        g.current_user = user if user and user.active else None
    return g.current_user


def current_actor() -> Actor | None:
    if "actor" not in g:
        g.actor = _bearer_actor()
        if g.actor is None and (user := current_user()):
            g.actor = Actor("user", user.id, user.username, role=user.role, office_id=user.office_id)
    return g.actor


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
        abort(400, description="Phiên làm việc hết hạn, tải lại trang / CSRF token missing or invalid; reload")


def _allowed(actor: Actor, scope: str | None, roles: tuple[str, ...]) -> bool:
    if actor.kind == "api":
        return scope is not None and scope in actor.scopes
    return actor.role in roles or actor.role == "admin"


View = Callable[..., Any]


def require(scope: str | None = None, roles: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Allow API clients holding ``scope`` and logged-in users with one of ``roles`` (admins always).

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
