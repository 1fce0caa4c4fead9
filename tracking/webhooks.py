"""Status webhooks to the upstream one-stop-shop system: the body (tracking.notify.webhook_body), its
HMAC-SHA256 signature with the agency's secret, and the HTTP POST. Claiming, retries and dead letters are
shared with SMS in tracking.outbox.

A receiver may see the same body twice (a worker killed after the POST but before recording it): the
body's ``id`` is stable per event, so the upstream system dedupes on it.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 10


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``, the X-Signature header's value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; returns the HTTP status (raises OSError on network failure)."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
            return response.status
    except urllib.error.HTTPError as e:
        e.close()
        return e.code
