"""Which channel tells the citizen, and what each send said and cost.

An ``sms`` outbox row is one message. Its channels are tried in the agency's order (or
NOTIFY_CHANNELS): ZNS first where configured, then SMS; the channel the citizen chose on the
tracking page (Consignment.preferred_channel) goes first, the rest of the order stays the fallback.
The next channel is used only when the one before refused the message for good (``no_account``:
the number has no Zalo; or ``permanent``); a channel that may still work (a timeout, a 5xx) is
tried again on the outbox's backoff, never doubled by the next one. So a citizen gets a message at
most once per channel and on a second channel only when the first failed. Each send is a
MessageSend row, written in the transaction that settles the outbox row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from delivery.models import Consignment, utcnow

from .channel_models import AgencyChannels, MessageSend
from .esms_zns import send_esms_zns
from .message_texts import zns_data
from .models import Outbox
from .providers import SendResult
from .sms import SmsMessage, SmsSettings, render, template_values
from .sms_gateways import gateway_for
from .zalo_zns import ZnsMessage, send_zns

REFUSED = ("no_account", "permanent")  # the next channel may take over


@dataclass(frozen=True)
class Route:
    """Where one message may go: its agency, the channels in order, the sends made so far."""

    agency_id: int | None
    channels: tuple[str, ...]
    earlier: dict[str, MessageSend]


def routes_of(session: Session, rows: list[Outbox], settings: SmsSettings) -> dict[int, Route]:
    """The route of each ``sms`` row of a batch, in two queries, read before the batch's claim is
    committed: nothing is read while a provider is being called (on SQLite an open transaction
    would hold the write lock for that long, and the Zalo token keeper needs it)."""
    sms = [row for row in rows if row.kind == "sms"]
    if not sms:
        return {}
    found = {row_id: (agency, named, chosen) for row_id, agency, named, chosen in session.exec(
        select(Outbox.id, Consignment.agency_id, AgencyChannels.channels,
               Consignment.preferred_channel)
        .join(Consignment, col(Consignment.id) == Outbox.consignment_id)
        .outerjoin(AgencyChannels, col(AgencyChannels.agency_id) == Consignment.agency_id)
        .where(col(Outbox.id).in_([row.id for row in sms]))).all()}
    # a first try has no earlier sends: they are committed with the attempt that made them
    retried = [row.id for row in sms if row.attempts]
    earlier: dict[int, dict[str, MessageSend]] = {}
    for send in session.exec(select(MessageSend).where(
            col(MessageSend.outbox_id).in_(retried))).all() if retried else ():
        earlier.setdefault(send.outbox_id, {})[send.channel] = send
    return {row.id: _route(found.get(row.id, (None, None, None)), earlier.get(row.id, {}),
                           settings) for row in sms}


def _route(found: tuple[int | None, str | None, str | None], earlier: dict[str, MessageSend],
           settings: SmsSettings) -> Route:
    agency_id, named, chosen = found
    order = tuple(named.split(",")) if named else settings.channels
    if chosen:  # the citizen's choice first, then the agency's order (without it) for fallback
        order = (chosen, *(c for c in order if c != chosen))
    usable = tuple(c for c in order if c == "sms" or (c == "zns" and zns_configured(settings)))
    return Route(agency_id, usable or ("sms",), earlier)


def zns_configured(settings: SmsSettings) -> bool:
    """Whether ZNS can be sent: through Zalo's own API, or through eSMS."""
    return settings.zalo is not None or settings.esms_zns is not None


def provider_of(channel: str, settings: SmsSettings) -> str:
    """Who carries a message on ``channel``: the SMS gateway; for ZNS eSMS or Zalo itself."""
    if channel == "zns":
        return "esms" if settings.esms_zns is not None else "zalo"
    return settings.gateway


def set_agency_channels(session: Session, agency_id: int, channels: tuple[str, ...]) -> None:
    """Tell an agency's citizens on ``channels``, in order (validated by the caller). No commit."""
    row = session.get(AgencyChannels, agency_id) or AgencyChannels(agency_id=agency_id,
                                                                  channels="")
    row.channels = ",".join(channels)
    session.add(row)


def send_message(session: Session, row: Outbox, settings: SmsSettings,
                 route: Route | None = None) -> SendResult:
    """Send a claimed ``sms`` row on the first channel of its route (``routes_of``) that has not
    refused it, and record the send (no commit). Returns the result the outbox settles the row
    with: a refusal by the last channel is final."""
    route = route or routes_of(session, [row], settings)[row.id]
    payload = json.loads(row.payload)
    result = SendResult("permanent", error="no channel left for this message")
    for channel in route.channels:
        send = route.earlier.get(channel)
        if send is not None and send.outcome in REFUSED:
            continue
        result, segments, price = _send_on(channel, row, payload, settings)
        _record(session, send, row, route.agency_id, channel, result, segments, price, settings)
        if result.outcome not in REFUSED:
            break
    return result


def _send_on(channel: str, row: Outbox, payload: dict[str, Any],
             settings: SmsSettings) -> tuple[SendResult, int, int]:
    if channel == "zns":
        message = ZnsMessage(f"zns-{row.id}", payload["to"], payload["template"],
                             zns_data(payload["template"], template_values(payload, settings)))
        if settings.esms_zns is not None:
            result = send_esms_zns(settings.esms_zns, message)
        elif settings.zalo_tokens is None:
            return SendResult("retry", error="no keeper of the Zalo OA token"), 0, 0
        else:
            result = send_zns(settings.zalo, settings.zalo_tokens, message)
        return result, 0, settings.zns_tariff_vnd if result.ok else 0
    sms = SmsMessage(f"sms-{row.id}", payload["to"], render(payload, settings), payload.get("otp"))
    result = gateway_for(settings)(sms)
    return result, sms.segments, sms.segments * settings.sms_tariff_vnd if result.ok else 0


def _record(session: Session, send: MessageSend | None, row: Outbox, agency_id: int | None,
            channel: str, result: SendResult, segments: int, price: int,
            settings: SmsSettings) -> None:
    send = send or MessageSend(outbox_id=row.id, agency_id=agency_id, channel=channel,
                               provider=provider_of(channel, settings),
                               request_id=f"{channel}-{row.id}", outcome=result.outcome)
    send.outcome, send.provider_code = result.outcome, result.provider_code
    send.provider_id = result.provider_id or send.provider_id
    send.segments, send.price_vnd, send.sent_at = segments, price, utcnow()
    session.add(send)


def waits_for_receipt(session: Session, row: Outbox, settings: SmsSettings) -> bool:
    """Whether a sent ``sms`` row keeps its plain OTP for the SMS fallback: it carries one, the
    fallback is on, and Zalo (not SMS) accepted it (tracking.otp_fallback)."""
    if not settings.otp_receipt_wait_minutes or '"otp":' not in row.payload:
        return False
    return session.exec(select(MessageSend.id).where(
        MessageSend.outbox_id == row.id, MessageSend.channel == "zns",
        MessageSend.outcome == "accepted")).first() is not None


def send_by_sms(session: Session, row: Outbox, payload: dict[str, Any], agency_id: int | None,
                settings: SmsSettings) -> SendResult:
    """Send ``row``'s text (``payload``, its code included) on SMS and record the send (no commit):
    the one SMS fallback of a code Zalo took but did not deliver in time."""
    result, segments, price = _send_on("sms", row, payload, settings)
    _record(session, None, row, agency_id, "sms", result, segments, price, settings)
    return result


def send_claimed_sms(session: Session, row: Outbox, payload: dict[str, Any], claim: MessageSend,
                     settings: SmsSettings) -> SendResult:
    """Send ``row``'s text on SMS under a send row claimed beforehand (tracking.no_zalo), and
    record the answer on it (no commit)."""
    result, segments, price = _send_on("sms", row, payload, settings)
    _record(session, claim, row, claim.agency_id, "sms", result, segments, price, settings)
    return result
