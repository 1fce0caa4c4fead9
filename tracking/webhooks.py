"""Status webhooks to the upstream one-stop-shop system: the body
(tracking.webhook_bodies.webhook_body), its HMAC-SHA256 signature with the agency's secret, and the
HTTP POST. Claiming, retries and dead letters are shared with SMS in tracking.outbox.

A receiver may see the same body twice (a worker killed after the POST but before recording it): the
body's ``id`` is stable per event, so the upstream system dedupes on it.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import threading
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
# Kept-alive connections, one per (thread, scheme, host): a worker sending thousands of
# notifications to the same gateway and upstream system pays the TCP (and TLS) handshake once,
# not per message.
_open = threading.local()


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``, the X-Signature header's value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """The signature headers of one POST of ``body`` at ``timestamp`` (Unix seconds).

    ``X-Signature`` signs the body alone, as receivers built before the timestamp expect; it can be
    replayed. ``X-Signature-V2`` signs ``"<timestamp>.<body>"`` with ``X-Signature-Timestamp``, so
    a receiver can refuse a copy older than a few minutes. Each retry is signed at its own time."""
    stamped = f"{timestamp}.".encode() + body
    return {"X-Signature": signature(secret, body), "X-Signature-Timestamp": str(timestamp),
            "X-Signature-V2": signature(secret, stamped)}


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` as JSON; returns the HTTP status. Raises OSError on network failure, ValueError
    on a URL that is not http(s).

    The connection is reused for the next POST to the same host. A reused connection the server has
    closed meanwhile is replaced and the POST made once more (receivers dedupe on the body's id, so
    the rare case where the first one did arrive is harmless)."""
    return post_for_answer(url, body, headers)[0]


def post_for_answer(url: str, body: bytes, headers: dict[str, str],
                    timeout: float = TIMEOUT_SECONDS) -> tuple[int, bytes]:
    """``post_json`` returning the status and the answer's body (what SMS and Zalo providers say
    in it); ``headers`` may name another Content-Type. A timeout raises TimeoutError (an OSError):
    the request may have arrived, so the caller repeats it with the same id."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}
    reused = _connection_for(parts.scheme, parts.netloc) is not None
    try:
        return _post_once(parts.scheme, parts.netloc, path, body, headers, timeout)
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        if not reused:
            raise
    return _post_once(parts.scheme, parts.netloc, path, body, headers, timeout)


def _connection_for(scheme: str, netloc: str) -> http.client.HTTPConnection | None:
    return getattr(_open, "connections", {}).get((scheme, netloc))


def _post_once(scheme: str, netloc: str, path: str, body: bytes, headers: dict[str, str],
               timeout: float) -> tuple[int, bytes]:
    if not hasattr(_open, "connections"):
        _open.connections = {}
    key = (scheme, netloc)
    connection = _open.connections.pop(key, None) or (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection)(
        netloc, timeout=timeout)
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
    except http.client.HTTPException as e:
        connection.close()
        # RemoteDisconnected: the caller may retry on a new connection
        if isinstance(e, ConnectionError):
            raise
        raise OSError(f"{type(e).__name__}: {e}") from e
    except OSError:
        connection.close()
        raise
    if response.will_close:
        connection.close()
    else:
        _open.connections[key] = connection
    return response.status, answer
