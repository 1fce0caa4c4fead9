"""Small local HTTP servers standing in for what leaves the machine (the upstream system's webhook receiver)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Accepts POSTs, checks the X-Signature HMAC the way the upstream system would, answers with the next
    status of ``statuses`` (then 200)."""

    def __init__(self, secret: str = "", statuses: list[int] | None = None) -> None:
        self.secret, self.statuses = secret, list(statuses or [])
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append({"body": json.loads(body), "signature_ok": receiver.verify(
                        body, self.headers.get("X-Signature", "")), "answered": status})
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

    def accepted(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.received if 200 <= r["answered"] < 300]

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
