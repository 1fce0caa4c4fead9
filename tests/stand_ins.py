"""Small local HTTP servers standing in for what leaves the machine: the upstream system's webhook
receiver and the SMS gateway."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Accepts POSTs, checks the X-Signature HMAC the way the upstream system would, answers with
    the next status of ``statuses`` (then 200)."""

    def __init__(self, secret: str = "", statuses: list[int] | None = None,
                 delay: float = 0.0) -> None:
        self.secret, self.statuses, self.delay = secret, list(statuses or []), delay
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append({"body": json.loads(body),
                                              "signature_ok": receiver.verify(
                                                  body, self.headers.get("X-Signature", "")),
                                              "signature_v2_ok": receiver.verify_v2(
                                                  body, self.headers),
                                              "answered": status})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/buudien"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verify(self, body: bytes, header: str) -> bool:
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, header)

    def verify_v2(self, body: bytes, headers: Any, max_age: float = 300) -> bool:
        """The timestamped signature, as a receiver refusing replays checks it: over
        ``"<timestamp>.<body>"``, and the timestamp no older than ``max_age`` seconds."""
        timestamp = headers.get("X-Signature-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age:
            return False
        return self.verify(f"{timestamp}.".encode() + body, headers.get("X-Signature-V2", ""))

    def accepted(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.received if 200 <= r["answered"] < 300]

    def applied(self) -> list[dict[str, Any]]:
        """What the upstream system acts on: accepted, correctly signed, first time its ``id`` was
        seen (it dedupes on ``id``, so a body sent again after a worker crash changes nothing)."""
        seen: set[str] = set()
        out = []
        for r in self.received:
            if 200 <= r["answered"] < 300 and r["signature_ok"] and r["body"]["id"] not in seen:
                seen.add(r["body"]["id"])
                out.append(r["body"])
        return out

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class SmsGateway:
    """The http SMS gateway's stand-in: checks the bearer token, keeps every message, dedupes on its
    ``id`` the way a real gateway with idempotency keys would (a repeat is answered 200 but not sent
    again). ``delay`` seconds of sleep per request make a slow gateway."""

    def __init__(self, token: str = "sms-token", delay: float = 0.0) -> None:
        self.token, self.delay = token, delay
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if gateway.delay:
                    threading.Event().wait(gateway.delay)
                ok = self.headers.get("Authorization") == f"Bearer {gateway.token}"
                with gateway.lock:
                    gateway.received.append({**body, "authorised": ok})
                self.send_response(200 if ok else 401)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def sent(self) -> list[dict[str, Any]]:
        """Messages delivered to phones: authorised, first time their id was seen."""
        seen: set[str] = set()
        out = []
        for message in self.received:
            if message["authorised"] and message["id"] not in seen:
                seen.add(message["id"])
                out.append(message)
        return out

    def otp_for(self, e164: str) -> str:
        """The newest OTP texted to ``e164`` (what the recipient reads out to the courier)."""
        import re

        texts = [m["text"] for m in self.sent() if m["to"] == e164 and "OTP" in m["text"]]
        return re.findall(r"OTP[^:]*: (\d{6})", texts[-1])[0]

    def __enter__(self) -> SmsGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
