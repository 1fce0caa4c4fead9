"""Local stand-ins for the citizens' message providers, speaking their documented requests and
answers (tracking/esms.py and tracking/zalo_zns.py say what is confirmed): eSMS brandname SMS and
Zalo's ZNS with its OA token refresh. Each is a real HTTP server on a thread."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import xml.etree.ElementTree as ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class _StandIn:
    """A ThreadingHTTPServer whose POSTs go to ``answer(path, headers, body) -> (status, json)``;
    ``statuses`` are HTTP statuses answered first (a 5xx), ``delay`` seconds make it slow (the
    request is taken at once, its answer comes late)."""

    def __init__(self, statuses: list[int] | None = None, delay: float = 0.0) -> None:
        self.statuses, self.delay = list(statuses or []), delay
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with stand_in.lock:
                    if stand_in.statuses:
                        status, data = stand_in.statuses.pop(0), b'{"error": "unavailable"}'
                    else:
                        status, data = stand_in.respond(self.path, self.headers, body)
                if stand_in.delay:  # taken, answered late: the caller may have given up
                    threading.Event().wait(stand_in.delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # unless the caller timed out

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def respond(self, path: str, headers: Any, body: bytes) -> tuple[int, bytes]:
        """The status and body (JSON of ``answer``, unless a subclass speaks something else)."""
        status, answer = self.answer(path, headers, body)
        return status, json.dumps(answer).encode()

    def __enter__(self):  # noqa: ANN204 - the subclass
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class EsmsStandIn(_StandIn):
    """eSMS's SendMultipleMessage_V4_post_json: CodeResult 100 with an SMSID, 101 for a wrong
    ApiKey/SecretKey, 104 for an unknown brandname, 99 for a blocked number, 124 for a RequestId
    seen before (the message is not sent twice)."""

    def __init__(self, api_key: str = "esms-key", secret_key: str = "esms-secret",
                 brandname: str = "BUUDIEN", blocked: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.blocked = set(blocked)
        self.url = f"{self.base}/MainService.svc/json/SendMultipleMessage_V4_post_json/"
        self.received: list[dict[str, Any]] = []
        self.accepted: dict[str, dict[str, Any]] = {}  # RequestId -> the message, once each
        self.ids = itertools.count(1)

    def answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        message = json.loads(body)
        self.received.append(message)
        if (message.get("ApiKey"), message.get("SecretKey")) != (self.api_key, self.secret_key):
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if message.get("Brandname") != self.brandname:
            return 200, {"CodeResult": "104", "ErrorMessage": "Brandname not found"}
        if message.get("Phone") in self.blocked:
            return 200, {"CodeResult": "99", "ErrorMessage": "Phone is blocked"}
        if message.get("RequestId") in self.accepted:
            return 200, {"CodeResult": "124", "ErrorMessage": "RequestId exists"}
        sms_id = f"esms-{next(self.ids)}"
        self.accepted[message["RequestId"]] = {**message, "SMSID": sms_id}
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}

    def sent(self) -> list[dict[str, Any]]:
        """What reached phones: each RequestId once."""
        return list(self.accepted.values())


class EsmsZnsStandIn(EsmsStandIn):
    """eSMS's SendZaloMessage_V4_post_json beside its SMS endpoint (one server, as eSMS's is):
    CodeResult 100 with an SMSID, 101 for wrong keys, 204 for an unknown OAID, 789 for a template
    not set up for the OA, 124 for a RequestId seen before. Zalo's own answer (no Zalo on the
    number) comes later, in the receipt, as with the real service."""

    def __init__(self, oa_id: str = "oa-123", templates: tuple[str, ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.oa_id, self.templates = oa_id, set(templates)
        self.zns_url = f"{self.base}/MainService.svc/json/SendZaloMessage_V4_post_json/"
        self.zns: dict[str, dict[str, Any]] = {}  # RequestId -> the ZNS message, once each

    def answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        if "SendZaloMessage" not in path:
            return super().answer(path, headers, body)
        message = json.loads(body)
        self.received.append(message)
        if (message.get("ApiKey"), message.get("SecretKey")) != (self.api_key, self.secret_key):
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if message.get("OAID") != self.oa_id:
            return 200, {"CodeResult": "204", "ErrorMessage": "OAID not found"}
        if self.templates and message.get("TempID") not in self.templates:
            return 200, {"CodeResult": "789", "ErrorMessage": "Template not configured"}
        if message.get("RequestId") in self.zns:
            return 200, {"CodeResult": "124", "ErrorMessage": "RequestId exists"}
        sms_id = f"zns-{next(self.ids)}"
        self.zns[message["RequestId"]] = {**message, "SMSID": sms_id}
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}


class ZaloStandIn(_StandIn):
    """Zalo's ZNS template API and its OA token refresh. ``-124`` for an access token that is not
    the current one, ``-118`` for a number in ``without_zalo``; a refresh token works once."""

    def __init__(self, app_id: str = "zalo-app", secret_key: str = "zalo-secret",
                 access_token: str = "oa-token-1", refresh_token: str = "refresh-1",
                 without_zalo: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app_id, self.secret_key = app_id, secret_key
        self.access_token, self.refresh_tokens = access_token, {refresh_token}
        self.without_zalo = set(without_zalo)
        self.url = f"{self.base}/message/template"
        self.oauth_url = f"{self.base}/v4/oa/access_token"
        self.received: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []
        self.refreshes = 0
        self.ids = itertools.count(1)

    def answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        if path.startswith("/v4/oa/access_token"):
            return self._refresh(headers, parse_qs(body.decode()))
        message = json.loads(body)
        self.received.append(message)
        if headers.get("access_token") != self.access_token:
            return 200, {"error": -124, "message": "Access token is invalid"}
        if message["phone"] in self.without_zalo:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        msg_id = f"zns-{next(self.ids)}"
        self.delivered.append({**message, "msg_id": msg_id})
        return 200, {"error": 0, "message": "Success",
                     "data": {"msg_id": msg_id, "sent_time": "1700000000000"}}

    def _refresh(self, headers: Any, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        refresh = (form.get("refresh_token") or [""])[0]
        if (headers.get("secret_key") != self.secret_key
                or form.get("app_id") != [self.app_id]
                or form.get("grant_type") != ["refresh_token"]
                or refresh not in self.refresh_tokens):
            return 200, {"error": -14014, "error_name": "Invalid refresh token",
                         "error_description": "refresh token is invalid"}
        self.refreshes += 1
        self.refresh_tokens.discard(refresh)
        self.access_token = f"oa-token-{self.refreshes + 1}"
        new_refresh = f"refresh-{self.refreshes + 1}"
        self.refresh_tokens.add(new_refresh)
        return 200, {"access_token": self.access_token, "refresh_token": new_refresh,
                     "expires_in": "90000"}


class ViettelStandIn(_StandIn):
    """Viettel's bulk SMS SOAP service (``wsCpMt``): result 1 "Insert MT_QUEUE: OK" for the right
    User, Password and CPCode, else a result other than 1."""

    def __init__(self, user: str = "vt-user", password: str = "vt-pass", cp_code: str = "BUUDIEN",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user, self.password, self.cp_code = user, password, cp_code
        self.url = f"{self.base}/bulkapi"
        self.received: list[dict[str, str]] = []

    def respond(self, path: str, headers: Any, body: bytes) -> tuple[int, bytes]:
        call = next(e for e in ElementTree.fromstring(body).iter() if e.tag.endswith("wsCpMt"))
        fields = {child.tag: child.text or "" for child in call}
        self.received.append(fields)
        ok = (fields.get("User"), fields.get("Password"), fields.get("CPCode")) == (
            self.user, self.password, self.cp_code)
        result, message = ("1", "Insert MT_QUEUE: OK") if ok else ("0", "Authenticate: fail")
        return 200, ('<?xml version="1.0" ?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/'
                     'envelope/"><S:Body><ns2:wsCpMtResponse xmlns:ns2="http://impl.bulkSms.ws/">'
                     f"<return><message>{message}</message><result>{result}</result></return>"
                     "</ns2:wsCpMtResponse></S:Body></S:Envelope>").encode()
