"""Providers' delivery receipts, public routes that no login protects: each request proves itself.

- ``GET /hooks/esms``: eSMS signs nothing, so the CallbackUrl we gave with each message carries
  ``sig``, an HMAC of its RequestId under ESMS_CALLBACK_SECRET (tracking.esms.receipt_signature);
- ``POST /hooks/zalo``: Zalo's OA webhook, header ``X-ZEvent-Signature: mac=<sha256(app_id + body
  + timestamp + OA secret key)>`` (as Zalo's integrators verify it; the exact form is not in
  documentation we could read), ZALO_WEBHOOK_SECRET being the OA secret key.

A bad signature is refused (400), an unknown message too (404); the log names the provider and the
request id only, never the phone number or the text.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import Blueprint, Response, current_app, request

from tracking.esms import receipt_signature
from tracking.no_zalo import turned_down
from tracking.receipts import ZALO_DELIVERY_EVENTS, esms_receipt, record_receipt, send_named

from .db import get_session
from .jobs import enqueue
from .outbox_jobs import sms_instead_of_zns

bp = Blueprint("receipt_hooks", __name__, url_prefix="/hooks")


def _refuse(status: int, provider: str, why: str, name: str = "") -> Response:
    current_app.logger.warning("%s receipt refused: %s %s", provider, why, name[:64])
    return Response(why, status=status, mimetype="text/plain")


@bp.get("/esms")
def esms() -> Response:
    esms_settings = current_app.config.get("SMS_ESMS")
    secret = esms_settings.callback_secret if esms_settings else ""
    request_id = request.args.get("RequestId", "")
    if not secret or not request_id or not hmac.compare_digest(
            receipt_signature(secret, request_id), request.args.get("sig", "")):
        return _refuse(400, "eSMS", "bad signature")
    session = get_session()
    send = send_named(session, request_id=request_id, provider_id=request.args.get("SMSID"))
    if send is None:
        return _refuse(404, "eSMS", "unknown message", request_id)
    record_receipt(session, send, *esms_receipt(request.args))
    session.commit()
    if turned_down(send):  # ZNS through eSMS that Zalo will never deliver: SMS instead
        enqueue(sms_instead_of_zns, send.outbox_id)
    return Response("OK", mimetype="text/plain")


def zalo_signature_ok(body: bytes, secret: str, header: str) -> bool:
    try:
        event = json.loads(body)
    except ValueError:
        return False
    if not isinstance(event, dict):
        return False
    mac = hashlib.sha256(f"{event.get('app_id', '')}".encode() + body
                         + f"{event.get('timestamp', '')}{secret}".encode()).hexdigest()
    return hmac.compare_digest(f"mac={mac}", header)


@bp.post("/zalo")
def zalo() -> Response:
    secret = current_app.config.get("ZALO_WEBHOOK_SECRET") or ""
    body = request.get_data()
    if not secret or not zalo_signature_ok(body, secret,
                                           request.headers.get("X-ZEvent-Signature", "")):
        return _refuse(400, "Zalo", "bad signature")
    event = json.loads(body)
    code = ZALO_DELIVERY_EVENTS.get(str(event.get("event_name")))
    if code is None:  # the OA's other events (messages from users): not ours to record
        return Response("OK", mimetype="text/plain")
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    session = get_session()
    send = send_named(session, request_id=message.get("tracking_id"),
                      provider_id=message.get("msg_id"))
    if send is None:
        return _refuse(404, "Zalo", "unknown message", str(message.get("msg_id", "")))
    record_receipt(session, send, "delivered", code)
    session.commit()
    return Response("OK", mimetype="text/plain")
