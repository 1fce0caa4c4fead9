"""Pluggable SMS gateways. ``console`` (the embedded default) writes the message to the log;
``http`` POSTs JSON ``{"id", "to", "text", "encoding", "segments"}`` with
``Authorization: Bearer <token>``.

The console gateway masks the OTP and the tracking link's token unless ``reveal_otp_in_log`` is
set (development only: the demo's courier reads the code from the server's log). Phone numbers are
always masked in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from .sms import SmsMessage, SmsSettings, mask_link, mask_otp, mask_phone
from .webhooks import post_json

log = logging.getLogger("tracking.sms")
# returns the HTTP-like status; raises OSError on network failure
Gateway = Callable[[SmsMessage], int]


def console_gateway(settings: SmsSettings) -> Gateway:
    def send(message: SmsMessage) -> int:
        text = (message.text if settings.reveal_otp_in_log
                else mask_link(mask_otp(message.text, message.otp)))
        # WARNING: shown on stderr even where nobody configured logging (the demo server).
        log.warning("SMS %s to %s (%s, %d segment(s)): %s", message.id, mask_phone(message.to),
                    message.encoding, message.segments, text)
        return 200
    return send


def http_gateway(settings: SmsSettings) -> Gateway:
    if not settings.http_url:
        raise ValueError("the http SMS gateway needs a URL (SMS_HTTP_URL)")

    def send(message: SmsMessage) -> int:
        body = json.dumps({"id": message.id, "to": message.to, "text": message.text,
                           "encoding": message.encoding, "segments": message.segments},
                          ensure_ascii=False).encode()
        headers = {"Authorization": f"Bearer {settings.http_token}"} if settings.http_token else {}
        return post_json(settings.http_url, body, headers)
    return send


GATEWAYS: dict[str, Callable[[SmsSettings], Gateway]] = {"console": console_gateway,
                                                         "http": http_gateway}


def gateway_for(settings: SmsSettings) -> Gateway:
    """The gateway ``settings.gateway`` names; raises KeyError for an unknown one."""
    return GATEWAYS[settings.gateway](settings)
