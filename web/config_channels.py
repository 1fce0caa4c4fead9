"""The citizens' message channels from environment variables (see README, "Message providers"):
eSMS brandname SMS, Zalo ZNS (through Zalo's own API or through eSMS), the order channels are
tried in and what each message costs.

Strict as the rest of web.config: a missing credential for a chosen provider, an unknown channel or
message kind, or a tariff that is not a whole number of đồng stops the app.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tracking.esms import ESMS_URL, EsmsSettings
from tracking.esms_zns import ESMS_ZNS_URL, EsmsZnsSettings
from tracking.sms import TEMPLATES
from tracking.viettel import ViettelSettings
from tracking.zalo_zns import OAUTH_URL, ZNS_URL, ZaloSettings

CHANNELS = ("zns", "sms")
ZNS_PROVIDERS = ("zalo", "esms")
_VND = re.compile(r"[0-9]{1,7}")  # whole đồng, below 10 million per message or segment


class ChannelConfigError(ValueError):
    """Raised as web.config.ConfigError by the caller."""


def _required(env: Mapping[str, str], names: tuple[str, ...], why: str) -> list[str]:
    missing = [name for name in names if not env.get(name)]
    if missing:
        raise ChannelConfigError(f"{why} needs {', '.join(missing)}")
    return [env[name] for name in names]


def tariff(env: Mapping[str, str], name: str) -> int:
    """A price in whole đồng (VND has no subunit in use): ``350``; not ``350.5``, ``1,000``,
    ``350đ`` or a negative number."""
    raw = (env.get(name) or "0").strip()
    if not _VND.fullmatch(raw):
        raise ChannelConfigError(f"{name} must be a whole number of đồng (VND), got {raw!r}")
    return int(raw)


def channel_order(raw: str, name: str = "NOTIFY_CHANNELS") -> tuple[str, ...]:
    """``"zns,sms"`` -> ("zns", "sms"): the channels tried in order, each at most once."""
    channels = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not channels or len(set(channels)) != len(channels) or not set(channels) <= set(CHANNELS):
        raise ChannelConfigError(f"{name} must list channels among {', '.join(CHANNELS)} "
                                 f"once each, in order (e.g. zns,sms), got {raw!r}")
    return channels


def template_ids(raw: str) -> dict[str, str]:
    """``"created=301001,delivered=301005"`` -> the approved ZNS template of each message kind."""
    ids: dict[str, str] = {}
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        kind, _, template_id = part.partition("=")
        if kind.strip() not in TEMPLATES or not template_id.strip().isdigit():
            raise ChannelConfigError(
                f"ZALO_TEMPLATE_IDS must look like created=301001,delivered=301005 with kinds "
                f"among {', '.join(TEMPLATES)}, got {part!r}")
        ids[kind.strip()] = template_id.strip()
    return ids


def _timeout(env: Mapping[str, str]) -> float:
    raw = env.get("PROVIDER_TIMEOUT_SECONDS") or "10"
    if not raw.isdigit() or not 1 <= int(raw) <= 60:
        raise ChannelConfigError(f"PROVIDER_TIMEOUT_SECONDS must be 1 to 60, got {raw!r}")
    return float(raw)


def esms_settings(env: Mapping[str, str], public_base_url: str, *,
                  why: str = "SMS_GATEWAY=esms") -> EsmsSettings:
    """The eSMS account; its brandname is required for SMS only (``why`` names the use)."""
    names = ("ESMS_API_KEY", "ESMS_SECRET_KEY") + (("ESMS_BRANDNAME",) if "SMS" in why else ())
    key, secret = _required(env, names, why)[:2]
    brandname = env.get("ESMS_BRANDNAME") or ""
    callback_secret = env.get("ESMS_CALLBACK_SECRET") or ""
    sandbox = (env.get("ESMS_SANDBOX") or "false").lower()
    if sandbox not in ("true", "false", "1", "0"):
        raise ChannelConfigError(f"ESMS_SANDBOX must be true or false, got {sandbox!r}")
    return EsmsSettings(
        api_key=key, secret_key=secret, brandname=brandname, url=env.get("ESMS_URL") or ESMS_URL,
        # without a secret no receipt can be checked, so none is asked for
        callback_url=f"{public_base_url}/hooks/esms" if callback_secret else None,
        callback_secret=callback_secret, sandbox=sandbox in ("true", "1"), timeout=_timeout(env))


def viettel_settings(env: Mapping[str, str]) -> ViettelSettings:
    url, user, password, cp_code, brandname = _required(
        env, ("VIETTEL_URL", "VIETTEL_USER", "VIETTEL_PASSWORD", "VIETTEL_CP_CODE",
              "VIETTEL_BRANDNAME"), "SMS_GATEWAY=viettel")
    return ViettelSettings(url=url, user=user, password=password, cp_code=cp_code,
                           brandname=brandname, timeout=_timeout(env))


def zalo_settings(env: Mapping[str, str]) -> ZaloSettings:
    app_id, secret = _required(env, ("ZALO_APP_ID", "ZALO_SECRET_KEY", "ZALO_REFRESH_TOKEN",
                                     "ZALO_TEMPLATE_IDS"), "the zns channel")[:2]
    return ZaloSettings(app_id=app_id, secret_key=secret,
                        template_ids=template_ids(env["ZALO_TEMPLATE_IDS"]),
                        url=env.get("ZALO_ZNS_URL") or ZNS_URL,
                        oauth_url=env.get("ZALO_OAUTH_URL") or OAUTH_URL, timeout=_timeout(env))


def esms_zns_settings(env: Mapping[str, str], public_base_url: str) -> EsmsZnsSettings:
    why = "ZNS_PROVIDER=esms"
    oa_id, raw_ids = _required(env, ("ESMS_ZALO_OAID", "ZALO_TEMPLATE_IDS"), why)
    return EsmsZnsSettings(esms=esms_settings(env, public_base_url, why=why), oa_id=oa_id,
                           template_ids=template_ids(raw_ids),
                           url=env.get("ESMS_ZNS_URL") or ESMS_ZNS_URL)


def zns_provider(env: Mapping[str, str], channels: tuple[str, ...]) -> str | None:
    """Who carries ZNS messages (ZNS_PROVIDER: zalo, the default, or esms); None without zns."""
    provider = (env.get("ZNS_PROVIDER") or "zalo").strip().lower()
    if provider not in ZNS_PROVIDERS:
        raise ChannelConfigError(f"ZNS_PROVIDER must be one of {', '.join(ZNS_PROVIDERS)}, "
                                 f"got {provider!r}")
    return provider if "zns" in channels else None


def channels_config(env: Mapping[str, str], gateway: str,
                    public_base_url: str) -> dict[str, Any]:
    """The app.config entries of the message channels."""
    channels = channel_order(env.get("NOTIFY_CHANNELS") or "sms")
    provider = zns_provider(env, channels)
    return {
        "SMS_ESMS": esms_settings(env, public_base_url) if gateway == "esms" else None,
        "SMS_VIETTEL": viettel_settings(env) if gateway == "viettel" else None,
        "ZALO": zalo_settings(env) if provider == "zalo" else None,
        "ZNS_ESMS": esms_zns_settings(env, public_base_url) if provider == "esms" else None,
        "ZALO_FIRST_TOKENS": (env.get("ZALO_ACCESS_TOKEN") or "",
                              env.get("ZALO_REFRESH_TOKEN") or ""),
        "ZALO_WEBHOOK_SECRET": env.get("ZALO_WEBHOOK_SECRET") or None,
        "NOTIFY_CHANNELS": channels,
        "SMS_TARIFF_VND": tariff(env, "SMS_TARIFF_VND"),
        "ZNS_TARIFF_VND": tariff(env, "ZNS_TARIFF_VND"),
    }


def receipt_channels(config: Mapping[str, Any]) -> frozenset[str]:
    """The channels whose provider tells us, as configured, whether a message reached the phone:
    Zalo (its webhook) when enabled, SMS only through eSMS with a receipt URL."""
    esms, esms_zns = config.get("SMS_ESMS"), config.get("ZNS_ESMS")
    zns = config.get("ZALO") or (esms_zns is not None and esms_zns.esms.callback_url)
    return frozenset({"zns"} if zns else set()) | (
        {"sms"} if esms is not None and esms.callback_url else set())


def zns_enabled(config: Mapping[str, Any]) -> bool:
    """Whether ZNS is configured, through Zalo or through eSMS."""
    return config.get("ZALO") is not None or config.get("ZNS_ESMS") is not None
