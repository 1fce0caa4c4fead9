"""eSMS (eSMS.vn / ViHAT) brandname SMS, the "customer care" kind (SmsType 2), one POST per message.

What its public developer documentation (developers.esms.vn) says and this follows:
- POST JSON to ``.../MainService.svc/json/SendMultipleMessage_V4_post_json/`` with ``ApiKey``,
  ``SecretKey``, ``Phone``, ``Content``, ``Brandname``, ``SmsType`` "2", ``IsUnicode`` (1 for
  accented text), ``Sandbox``, ``RequestId`` (eSMS refuses a second request with the same one: code
  124) and ``CallbackUrl`` (where eSMS reports the final status, by HTTP GET);
- the answer's ``CodeResult`` is "100" when eSMS took the message (not yet delivered), with its
  ``SMSID``; other codes: 99 number blocked, 101 wrong ApiKey/SecretKey, 102 no price list, 103
  balance too low, 104 unknown brandname, 108 malformed number, 118 unsupported SmsType, 124
  duplicate RequestId, 140 IP not whitelisted, 146 text does not match an approved template, 177
  the number's network is not registered for the brandname.

Not confirmed by the documentation (and so decided here): whether ``IsUnicode`` and ``Sandbox``
are sent as strings or numbers (the examples show both; strings are sent), whether ``Phone`` may be
in +84 form (the national 0-form of the examples is sent), and whether a retried RequestId always
answers 124 rather than a second 100.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from .providers import SendResult, post_to_provider
from .sms import SmsMessage

ESMS_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ACCEPTED = "100"
DUPLICATE_REQUEST = "124"  # this RequestId was taken before: a repeat after a crash or a timeout
# this message can never go through eSMS as it is (the number, or the text against the template)
PERMANENT = frozenset({"99", "108", "146", "177"})


@dataclass(frozen=True)
class EsmsSettings:
    api_key: str
    secret_key: str
    brandname: str
    url: str = ESMS_URL
    callback_url: str | None = None  # our public receipt URL; a per-message signature is added
    callback_secret: str = ""
    sandbox: bool = False
    timeout: float = 10.0


def national_number(e164: str) -> str:
    """``+84912345678`` -> ``0912345678``, the form eSMS's examples use."""
    return "0" + e164[3:] if e164.startswith("+84") else e164


def receipt_signature(secret: str, request_id: str) -> str:
    """What the receipt URL of one message carries: eSMS signs nothing, so the URL we hand it is
    the credential, and one message's URL says nothing about another's."""
    return hmac.new(secret.encode(), f"esms:{request_id}".encode(), hashlib.sha256).hexdigest()


def callback_for(settings: EsmsSettings, request_id: str) -> str | None:
    if not settings.callback_url:
        return None
    signature = receipt_signature(settings.callback_secret, request_id)
    separator = "&" if "?" in settings.callback_url else "?"
    return f"{settings.callback_url}{separator}{urlencode({'sig': signature})}"


def esms_body(settings: EsmsSettings, message: SmsMessage) -> dict[str, str]:
    body = {"ApiKey": settings.api_key, "SecretKey": settings.secret_key,
            "Phone": national_number(message.to), "Content": message.text,
            "Brandname": settings.brandname, "SmsType": "2",
            "IsUnicode": "1" if message.encoding == "UCS-2" else "0",
            "Sandbox": "1" if settings.sandbox else "0", "RequestId": message.id}
    if callback := callback_for(settings, message.id):
        body["CallbackUrl"] = callback
    return body


def send_esms(settings: EsmsSettings, message: SmsMessage) -> SendResult:
    """Send one SMS; ``message.id`` is the RequestId, the same on every retry of the message."""
    body = json.dumps(esms_body(settings, message), ensure_ascii=False).encode()
    failed, answer = post_to_provider(settings.url, body, {}, settings.timeout)
    if failed is not None:
        return failed
    code = str(answer.get("CodeResult", ""))
    sms_id = answer.get("SMSID") or None
    if code == ACCEPTED:
        return SendResult("accepted", 200, code, sms_id)
    if code == DUPLICATE_REQUEST:
        # eSMS already has this message from an earlier try whose answer was lost: sent once
        return SendResult("accepted", 200, code, sms_id)
    outcome = "permanent" if code in PERMANENT else "retry"
    # ErrorMessage is eSMS's own wording; it may quote the number, so it is not kept
    return SendResult(outcome, 200, code or None, error=f"eSMS CodeResult {code or '?'}")
