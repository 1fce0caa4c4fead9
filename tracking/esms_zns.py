"""Zalo ZNS through eSMS (eSMS.vn / ViHAT): the same approved template messages as Zalo's own API,
sent with the eSMS account instead of the OA's access token, for a centre that buys its Zalo
messages from eSMS along with its SMS (ZNS_PROVIDER=esms).

What eSMS's developer documentation (developers.esms.vn, "Hàm gửi tin ZNS") says and this follows:
- POST JSON to ``.../MainService.svc/json/SendZaloMessage_V4_post_json/`` with ``ApiKey``,
  ``SecretKey``, ``Phone``, ``Params`` (the template's values IN THE TEMPLATE'S ORDER, a list of
  strings), ``TempID`` (the template as registered with eSMS), ``OAID`` (the agency's Official
  Account), ``Sandbox``, ``RequestId`` (a repeat answers 124, as for SMS) and ``CallbackUrl``;
- the answer is ``CodeResult`` "100" with an ``SMSID`` when eSMS took it; its code table adds for
  ZNS: 204 OAID unknown, 788 OA not active, 789 template not set up for this OA, 790 wrong ZNS
  template, 791 OAID or TempID missing (all permanent for this message: SMS takes over);
- whether the number has Zalo is known only later: the receipt (the same GET callback as SMS, with
  TypeId 24/25) carries Zalo's own answer in ``error_info``, e.g. ``{"error": -118, ...}`` for a
  number without Zalo (tracking.receipts reads it; web.receipt_hooks then has the SMS sent).

The parameters' order is the order of the kind's ``zns`` entries in tracking/message_texts.json:
register each template with eSMS with its parameters in that order. Not confirmed by the
documentation: whether ``Params`` may skip a value the template repeats (all are sent), and whether
``Phone`` may be in +84 form (the 0-form is sent, as for SMS).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from .esms import ACCEPTED, DUPLICATE_REQUEST, EsmsSettings, callback_for, national_number
from .providers import SendResult, post_to_provider
from .zalo_zns import ZnsMessage

ESMS_ZNS_URL = "https://rest.esms.vn/MainService.svc/json/SendZaloMessage_V4_post_json/"
# the template or the OA cannot carry this message: waiting will not help, SMS may
PERMANENT = frozenset({"99", "108", "204", "788", "789", "790", "791"})


@dataclass(frozen=True)
class EsmsZnsSettings:
    esms: EsmsSettings  # the account's keys and the receipt URL (its brandname is not used)
    oa_id: str
    template_ids: Mapping[str, str] = field(default_factory=dict)  # message kind -> TempID
    url: str = ESMS_ZNS_URL


def esms_zns_body(settings: EsmsZnsSettings, message: ZnsMessage) -> dict[str, object]:
    esms = settings.esms
    body: dict[str, object] = {
        "ApiKey": esms.api_key, "SecretKey": esms.secret_key,
        "Phone": national_number(message.to), "Params": list(message.data.values()),
        "TempID": settings.template_ids[message.template], "OAID": settings.oa_id,
        "Sandbox": "1" if esms.sandbox else "0", "RequestId": message.id}
    if callback := callback_for(esms, message.id):
        body["CallbackUrl"] = callback
    return body


def send_esms_zns(settings: EsmsZnsSettings, message: ZnsMessage) -> SendResult:
    """Send one ZNS message through eSMS; ``message.id`` is the RequestId, the same on every
    retry. Accepted means eSMS took it: whether Zalo delivered it comes with the receipt."""
    if message.template not in settings.template_ids:
        return SendResult("permanent", error=f"no ZNS template for {message.template}")
    body = json.dumps(esms_zns_body(settings, message), ensure_ascii=False).encode()
    failed, answer = post_to_provider(settings.url, body, {}, settings.esms.timeout)
    if failed is not None:
        return failed
    code = str(answer.get("CodeResult", ""))
    if code in (ACCEPTED, DUPLICATE_REQUEST):  # 124: taken by an earlier try whose answer was lost
        return SendResult("accepted", 200, code, answer.get("SMSID") or None)
    outcome = "permanent" if code in PERMANENT else "retry"
    return SendResult(outcome, 200, code or None, error=f"eSMS ZNS CodeResult {code or '?'}")


def zalo_error(error_info: str | None) -> int | None:
    """Zalo's error code in an eSMS receipt's ``error_info`` (JSON, sometimes quoted once more);
    None when there is none or it cannot be read."""
    text = (error_info or "").strip()
    for _ in range(2):  # '"{\"error\":-118,...}"' as the documentation's example shows it
        try:
            text = json.loads(text)
        except ValueError:
            return None
        if isinstance(text, dict):
            code = text.get("error")
            return code if isinstance(code, int) and not isinstance(code, bool) else None
        if not isinstance(text, str):
            return None
    return None
