"""Viettel's brandname SMS directly (the telco's "bulk SMS" SOAP service), for an agency that has
its contract with Viettel rather than an aggregator.

What integrators of the service show (Viettel publishes no public reference we could read), and
this follows: a SOAP 1.1 call ``wsCpMt`` in namespace ``http://impl.bulkSms.ws/`` with ``User``,
``Password``, ``CPCode`` (the contract's code), ``RequestID``, ``UserID`` and ``ReceiverID`` (the
number), ``ServiceID`` (the brandname), ``CommandCode`` ``bulksms``, ``Content`` and
``ContentType`` (0 plain, 1 accented); the answer's ``<return>`` holds ``<result>1</result>`` and
``<message>`` when the message was queued.

Not confirmed: the meaning of results other than 1 (all are retried on the outbox's backoff, so an
operator can fix the account meanwhile), whether Viettel dedupes on RequestID (our stable
``sms-<outbox id>`` is sent; a repeat after a timeout may reach the phone twice), the number's form
(84..., as in most examples) and the length and character limits Viettel applies to a brandname
text (the message texts' own segment budgets are checked instead, tracking/message_texts.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .providers import SendResult
from .sms import SmsMessage
from .webhooks import post_for_answer

NAMESPACE = "http://impl.bulkSms.ws/"
QUEUED = "1"


@dataclass(frozen=True)
class ViettelSettings:
    url: str
    user: str
    password: str
    cp_code: str
    brandname: str  # ServiceID
    timeout: float = 10.0


def soap_body(settings: ViettelSettings, message: SmsMessage) -> bytes:
    number = message.to.lstrip("+")
    fields = (("User", settings.user), ("Password", settings.password),
              ("CPCode", settings.cp_code), ("RequestID", message.id), ("UserID", number),
              ("ReceiverID", number), ("ServiceID", settings.brandname),
              ("CommandCode", "bulksms"), ("Content", message.text),
              ("ContentType", "1" if message.encoding == "UCS-2" else "0"))
    inner = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields)
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:impl="{NAMESPACE}"><soapenv:Header/><soapenv:Body>'
            f"<impl:wsCpMt>{inner}</impl:wsCpMt></soapenv:Body></soapenv:Envelope>").encode()


def send_viettel(settings: ViettelSettings, message: SmsMessage) -> SendResult:
    """Send one SMS through Viettel; every failure is retried (see the module's notes)."""
    try:
        status, answer = post_for_answer(
            settings.url, soap_body(settings, message),
            {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}, settings.timeout)
    except (OSError, ValueError) as error:
        return SendResult("retry", error=f"{type(error).__name__}: {error}"[:500])
    if status >= 400:
        return SendResult("retry", status, error=f"HTTP {status}")
    result = _result(answer)
    if result == QUEUED:
        return SendResult("accepted", status, result)
    return SendResult("retry", status, result, error=f"Viettel result {result or '?'}")


def _result(answer: bytes) -> str | None:
    """The ``<result>`` of the answer (the provider's own XML: no entities are declared in it)."""
    try:
        root = ElementTree.fromstring(answer)
    except ElementTree.ParseError:
        return None
    found = next((element.text for element in root.iter() if element.tag.endswith("result")),
                 None)
    return found.strip() if found else None
