"""Pluggable SMS gateways. ``console`` (the embedded default) writes the message to the log;
``http`` POSTs JSON ``{"id", "to", "text", "encoding", "segments"}`` with
``Authorization: Bearer <token>``; ``esms`` sends a brandname SMS through eSMS (tracking.esms),
``viettel`` through Viettel's own service (tracking.viettel).
Each returns a tracking.providers.SendResult.

The console gateway masks the OTP and the tracking link's token unless ``reveal_otp_in_log`` is
set (development only: the demo's courier reads the code from the server's log). Phone numbers are
always masked in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from .esms import send_esms
from .providers import SendResult, from_status
from .sms import SmsMessage, SmsSettings, mask_link, mask_otp, mask_phone
from .viettel import send_viettel
from .webhooks import post_json

log = logging.getLogger("tracking.sms")
# the provider's answer; raises OSError on network failure (the plain http gateway)
Gateway = Callable[[SmsMessage], SendResult]


def console_gateway(settings: SmsSettings) -> Gateway:
    def send(message: SmsMessage) -> SendResult:
        text = (message.text if settings.reveal_otp_in_log
                else mask_link(mask_otp(message.text, message.otp)))
        # WARNING: shown on stderr even where nobody configured logging (the demo server).
        log.warning("SMS %s to %s (%s, %d segment(s)): %s", message.id, mask_phone(message.to),
                    message.encoding, message.segments, text)
        return SendResult("accepted", 200)
    return send


def http_gateway(settings: SmsSettings) -> Gateway:
    if not settings.http_url:
        raise ValueError("the http SMS gateway needs a URL (SMS_HTTP_URL)")

    def send(message: SmsMessage) -> SendResult:
        body = json.dumps({"id": message.id, "to": message.to, "text": message.text,
                           "encoding": message.encoding, "segments": message.segments},
                          ensure_ascii=False).encode()
        headers = {"Authorization": f"Bearer {settings.http_token}"} if settings.http_token else {}
        return from_status(post_json(settings.http_url, body, headers))
    return send


def esms_gateway(settings: SmsSettings) -> Gateway:
    if settings.esms is None:
        raise ValueError("the esms SMS gateway needs ESMS_API_KEY, ESMS_SECRET_KEY, ESMS_BRANDNAME")
    esms = settings.esms
    return lambda message: send_esms(esms, message)


def viettel_gateway(settings: SmsSettings) -> Gateway:
    if settings.viettel is None:
        raise ValueError("the viettel SMS gateway needs its VIETTEL_ settings")
    viettel = settings.viettel
    return lambda message: send_viettel(viettel, message)


GATEWAYS: dict[str, Callable[[SmsSettings], Gateway]] = {
    "console": console_gateway, "http": http_gateway, "esms": esms_gateway,
    "viettel": viettel_gateway}


def gateway_for(settings: SmsSettings) -> Gateway:
    """The gateway ``settings.gateway`` names; raises KeyError for an unknown one."""
    return GATEWAYS[settings.gateway](settings)
