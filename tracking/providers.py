"""What a message provider (SMS brandname, Zalo ZNS) answered, in the outbox's words.

Every adapter (tracking.esms, tracking.zalo_zns, the older console and http gateways) turns its
provider's answer into a ``SendResult`` whose ``outcome`` the outbox acts on:

- ``accepted``: the provider took the message (a receipt may follow; tracking.receipts);
- ``retry``: nothing is known to have reached the citizen and trying again later may work (a
  timeout, a 5xx, wrong credentials or an empty balance an operator can fix): the outbox's backoff;
- ``permanent``: this message can never be sent on this channel (a refused number, a text the
  provider's approved template refuses): the next channel, or a dead letter;
- ``no_account``: the number has no account on this channel (Zalo): the next channel at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .webhooks import post_for_answer

OUTCOMES = ("accepted", "retry", "permanent", "no_account")


@dataclass(frozen=True)
class SendResult:
    outcome: str
    status: int | None = None  # the HTTP status, None when no answer came
    provider_code: str | None = None  # CodeResult (eSMS), error (Zalo)
    provider_id: str | None = None  # SMSID (eSMS), msg_id (Zalo): what receipts name
    error: str | None = None  # for staff: never the text, the number or a credential

    @property
    def ok(self) -> bool:
        return self.outcome == "accepted"


def from_status(status: int) -> SendResult:
    """A plain HTTP gateway's answer: 2xx accepted, anything else tried again later."""
    if 200 <= status < 300:
        return SendResult("accepted", status)
    return SendResult("retry", status, error=f"HTTP {status}")


def post_to_provider(url: str, body: bytes, headers: dict[str, str],
                     timeout: float) -> tuple[SendResult | None, dict[str, Any]]:
    """POST and read the provider's JSON answer. Returns (a result, {}) when the exchange itself
    failed (network, timeout, 5xx, 4xx, an answer that is not JSON), else (None, the answer)."""
    try:
        status, answer = post_for_answer(url, body, headers, timeout)
    except (OSError, ValueError) as error:  # a timeout is an OSError: maybe sent, same id next
        return SendResult("retry", error=f"{type(error).__name__}: {error}"[:500]), {}
    if status >= 400:
        # a 5xx, or the provider refusing the request itself (a wrong URL or credentials): fixable
        # by waiting or by an operator, so the outbox keeps trying rather than losing the message
        return SendResult("retry", status, error=f"HTTP {status}"), {}
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        return SendResult("retry", status, error="the provider's answer is not JSON"), {}
    if not isinstance(parsed, dict):
        return SendResult("retry", status, error="the provider's answer is not an object"), {}
    return None, parsed
