"""Zalo Notification Service (ZNS): a template message approved by Zalo, sent to a phone number
through the agency's Official Account (OA).

What Zalo's documentation (developers.zalo.me, zalo.cloud) and its integrators show, and this
follows:
- POST JSON ``{"phone": "84...", "template_id", "template_data": {name: value}, "tracking_id"}`` to
  ``https://business.openapi.zalo.me/message/template`` with the OA's token in an ``access_token``
  header; the answer is ``{"error": 0, "data": {"msg_id": ...}}`` or ``{"error": <negative>,
  "message": ...}``: -118 "Zalo account not existed" (the number has no Zalo: SMS takes over), -108
  invalid number, -109 invalid template id, -111/-112 empty or invalid template data, -114 user
  inactive or refusing, -115 out of quota, -100 unknown error;
- the OA access token lives about 25 hours; a new one comes from POST (form-encoded)
  ``https://oauth.zaloapp.com/v4/oa/access_token`` with header ``secret_key`` and ``app_id``,
  ``grant_type=refresh_token``, ``refresh_token``; the answer carries a new ``access_token``, a new
  ``refresh_token`` (each refresh token works once) and ``expires_in`` seconds (a string).

Not confirmed by documentation found: -124 as the "access token invalid/expired" code (the message
text is checked too), -119 as "account cannot receive ZNS", the shape of a refused refresh's answer
(``error``/``error_name`` taken as a refusal), and whether Zalo dedupes on ``tracking_id`` (it is
sent stable per message, as eSMS's RequestId).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode

from delivery.models import utcnow

from .providers import SendResult, post_to_provider
from .webhooks import post_for_answer

ZNS_URL = "https://business.openapi.zalo.me/message/template"
OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
NO_ACCOUNT = frozenset({-118, -119})  # no Zalo on this number (-119 unconfirmed, see above)
TOKEN_REFUSED = frozenset({-124})  # unconfirmed code; the message text is checked too
PERMANENT = frozenset({-108, -109, -111, -112, -114})


class TokenRefused(RuntimeError):
    """Zalo would not give a new access token (wrong secret, a refresh token used or expired)."""


@dataclass(frozen=True)
class ZaloSettings:
    app_id: str
    secret_key: str
    template_ids: Mapping[str, str] = field(default_factory=dict)  # message kind -> template id
    url: str = ZNS_URL
    oauth_url: str = OAUTH_URL
    timeout: float = 10.0


@dataclass(frozen=True)
class ZnsMessage:
    id: str  # tracking_id: stable per outbox row
    to: str  # E.164
    template: str  # the message kind (created, out_for_delivery, ...)
    data: dict[str, str]


@dataclass(frozen=True)
class OaToken:
    access_token: str
    refresh_token: str
    expires_at: datetime


class TokenKeeper(Protocol):
    """Where the OA token lives (web.zalo_token_keeper: in the database, shared by workers)."""

    def current(self) -> str: ...

    def renew(self, stale: str) -> str:
        """A token other than ``stale``: refreshed now, or the one another worker just got."""
        ...


def refresh_token(settings: ZaloSettings, refresh: str) -> OaToken:
    """Trade a refresh token for a new pair; raises TokenRefused, or OSError on network failure."""
    body = urlencode({"app_id": settings.app_id, "grant_type": "refresh_token",
                      "refresh_token": refresh}).encode()
    status, answer = post_for_answer(
        settings.oauth_url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                   "secret_key": settings.secret_key}, settings.timeout)
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        parsed = {}
    if status != 200 or not parsed.get("access_token") or not parsed.get("refresh_token"):
        raise TokenRefused(f"Zalo refused the refresh (HTTP {status}, error "
                           f"{parsed.get('error', '?')})")
    seconds = int(parsed.get("expires_in") or 3600)
    return OaToken(parsed["access_token"], parsed["refresh_token"],
                   utcnow() + timedelta(seconds=seconds))


def zns_body(settings: ZaloSettings, message: ZnsMessage) -> bytes:
    return json.dumps({"phone": message.to.lstrip("+"),
                       "template_id": settings.template_ids[message.template],
                       "template_data": message.data, "tracking_id": message.id},
                      ensure_ascii=False).encode()


def send_zns(settings: ZaloSettings, tokens: TokenKeeper, message: ZnsMessage) -> SendResult:
    """Send one ZNS message; an expired token is renewed once and the message sent again."""
    if message.template not in settings.template_ids:
        return SendResult("permanent", error=f"no ZNS template for {message.template}")
    body = zns_body(settings, message)
    try:
        token = tokens.current()
    except (TokenRefused, LookupError) as error:  # an expired token Zalo would not renew
        return SendResult("retry", error=str(error)[:500])
    result = _post(settings, body, token)
    if result.outcome == "token":
        try:
            result = _post(settings, body, tokens.renew(token))
        except (TokenRefused, LookupError) as error:
            return SendResult("retry", error=str(error)[:500])
    return result if result.outcome != "token" else SendResult(
        "retry", result.status, result.provider_code, error="Zalo refused the OA access token")


def _post(settings: ZaloSettings, body: bytes, token: str) -> SendResult:
    failed, answer = post_to_provider(settings.url, body, {"access_token": token},
                                      settings.timeout)
    if failed is not None:
        return failed
    try:
        code = int(answer.get("error", -100))
    except (TypeError, ValueError):
        code = -100
    if code == 0:
        return SendResult("accepted", 200, "0", (answer.get("data") or {}).get("msg_id"))
    text = str(answer.get("message", "")).lower()
    if code in TOKEN_REFUSED or "access token" in text or "access_token" in text:
        return SendResult("token", 200, str(code))
    outcome = ("no_account" if code in NO_ACCOUNT
               else "permanent" if code in PERMANENT else "retry")
    return SendResult(outcome, 200, str(code), error=f"Zalo error {code}")
