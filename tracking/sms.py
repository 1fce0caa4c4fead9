"""SMS to the recipient: Vietnamese templates, optional text without diacritics, segment counting,
E.164 numbers, quiet hours. What to send is decided in tracking.notify (outbox rows); this module
turns a row into text when it is sent.

Cost: a GSM-7 SMS holds 160 characters (153 per part when split); as soon as one character is
outside GSM-7 (any Vietnamese letter with a diacritic) the whole message is UCS-2: 70 characters (67
per part). ``SMS_ASCII_ONLY`` folds diacritics away so the usual message fits one GSM-7 segment.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from delivery.models import VIETNAM_TIME

from .message_texts import TEXTS, fitted

if TYPE_CHECKING:
    from .esms import EsmsSettings
    from .esms_zns import EsmsZnsSettings
    from .viettel import ViettelSettings
    from .zalo_zns import TokenKeeper, ZaloSettings

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets (escape + char)

# The SMS text of each message kind (tracking/message_texts.json). "delivered" carries the private
# link that invites the rating (tracking.rating): one GSM-7 segment with SMS_ASCII_ONLY, two UCS-2
# ones with a PUBLIC_BASE_URL of up to 30 characters.
TEMPLATES: dict[str, str] = {kind: texts.sms for kind, texts in TEXTS.items()}
# OTP messages are sent at any hour: the courier is at the door, the citizen booking waits for it.
SENT_IN_QUIET_HOURS = frozenset({"out_for_delivery", "booking_code"})


@dataclass(frozen=True)
class SmsSettings:
    """What the sending process knows: where to send, how to write, when not to disturb."""

    gateway: str = "console"  # console | http | esms | viettel
    http_url: str | None = None
    http_token: str | None = None
    ascii_only: bool = False
    quiet_hours: tuple[int, int] = (21, 7)
    public_base_url: str = "http://127.0.0.1:5000"
    # development only: the console gateway logs the text as sent, OTP and tracking link included
    reveal_otp_in_log: bool = False
    esms: EsmsSettings | None = None
    viettel: ViettelSettings | None = None
    zalo: ZaloSettings | None = None
    zalo_tokens: TokenKeeper | None = None  # where the OA token lives (web.zalo_token_keeper)
    esms_zns: EsmsZnsSettings | None = None  # ZNS through eSMS instead of Zalo's own API
    # the channels tried in order when the agency names none (tracking.channels): sms, zns
    channels: tuple[str, ...] = ("sms",)
    sms_tariff_vnd: int = 0  # per SMS segment
    zns_tariff_vnd: int = 0  # per ZNS message
    # how long a code Zalo accepted is kept for its SMS fallback (tracking.otp_fallback)
    otp_receipt_wait_minutes: int = 0


@dataclass(frozen=True)
class SmsMessage:
    id: str  # stable per outbox row: a gateway (or a repeat after a crash) can dedupe on it
    to: str
    text: str
    otp: str | None = None

    @property
    def encoding(self) -> str:
        return encoding_of(self.text)

    @property
    def segments(self) -> int:
        return segment_count(self.text)


def without_diacritics(text: str) -> str:
    """``Bưu điện`` -> ``Buu dien``: Vietnamese folded to plain Latin letters (fits GSM-7)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def encoding_of(text: str) -> str:
    return "GSM-7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text) else "UCS-2"


def segment_count(text: str) -> int:
    """How many SMS parts ``text`` costs (GSM-7: 160, or 153 per part; UCS-2: 70,
    or 67 per part)."""
    if encoding_of(text) == "GSM-7":
        septets = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def template_values(payload: dict[str, Any], settings: SmsSettings) -> dict[str, str]:
    """The variables of an SMS row's payload (see tracking.notify.sms_payload), free text cut to
    its length (tracking.message_texts). A booking's code (tracking.booking_codes) is texted before
    there is an item: its row has no number and no link."""
    office = payload.get("office") or {}
    token = payload.get("token")
    return fitted({
        "tracking_number": payload.get("tracking_number") or "",
        # rows queued before SMS named the dossier read "Kết quả hồ sơ của Ông/Bà"
        "dossier_code": payload.get("dossier_code") or "của Ông/Bà",
        "link": f"{settings.public_base_url}/t/{token}" if token else "",
        "otp": payload.get("otp") or "",
        "office": (", ".join(v for v in (office.get("name"), office.get("address")) if v)
                   or "bưu cục phát"),
        "hours": office.get("hours") or "giờ hành chính",
        "window": payload.get("window") or "",
        "receipt_number": payload.get("receipt_number") or "",
        "appointment": payload.get("appointment") or "",
    })


def render(payload: dict[str, Any], settings: SmsSettings) -> str:
    """The text of an SMS row's payload; raises KeyError for a bad template."""
    text = TEMPLATES[payload["template"]].format(**template_values(payload, settings))
    return without_diacritics(text) if settings.ascii_only else text


def _in_quiet_hours(hour: int, quiet: tuple[int, int]) -> bool:
    start, end = quiet
    if start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


def quiet_until(template: str, now: datetime, quiet: tuple[int, int]) -> datetime | None:
    """When a message due ``now`` may go out if ``now`` is in the quiet hours (Vietnam time),
    else None."""
    local = now.astimezone(VIETNAM_TIME)
    if template in SENT_IN_QUIET_HOURS or not _in_quiet_hours(local.hour, quiet):
        return None
    until = local.replace(hour=quiet[1], minute=0, second=0, microsecond=0)
    return until if until > local else until + timedelta(days=1)


def mask_otp(text: str, otp: str | None) -> str:
    return text.replace(otp, "******") if otp else text


_TRACKING_LINK = re.compile(r"/t/[A-Za-z0-9_-]+")


def mask_link(text: str) -> str:
    """The text with each private tracking link's token left out (``.../t/<token>``), for logs."""
    return _TRACKING_LINK.sub("/t/<token>", text)


def mask_phone(e164: str) -> str:
    """``+84912345678`` -> ``+8491*****78`` (for logs)."""
    return e164[:5] + "*" * max(len(e164) - 7, 0) + e164[-2:]
