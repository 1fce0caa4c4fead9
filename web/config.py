"""Configuration from environment variables, read when the app is created (never at import time).

Parsing is strict: a malformed value stops the app with a message instead of silently
becoming a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from delivery.address import GeocoderSettings, settings_from_environ
from delivery.s10 import validate_indicator

from .config_channels import ChannelConfigError, channels_config

DEV_SECRET_KEY = "dev-only-secret-change-me"
ENVIRONMENTS = ("development", "test", "production")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name) or default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _hours(env: Mapping[str, str], name: str, default: str) -> tuple[int, int]:
    """``"21-7"`` -> (21, 7): the hours (Vietnam time) between which no SMS is sent;
    start == end turns it off."""
    raw = env.get(name) or default
    start, sep, end = raw.partition("-")
    if not (sep and start.strip().isdigit() and end.strip().isdigit()) or not (
            0 <= int(start) <= 23 and 0 <= int(end) <= 23):
        raise ConfigError(f"{name} must look like 21-7 (hours 0-23), got {raw!r}")
    return int(start), int(end)


def _sms(env: Mapping[str, str], app_env: str, public_base_url: str) -> dict[str, Any]:
    gateway = _choice(env, "SMS_GATEWAY", "console", ("console", "http", "esms", "viettel"))
    url = env.get("SMS_HTTP_URL") or None
    if gateway == "http" and not url:
        raise ConfigError("SMS_GATEWAY=http needs SMS_HTTP_URL")
    # The console gateway sends nothing and writes every text (private tracking links included) to
    # the log: in production only on purpose, said loudly, never as a silent default.
    if (app_env == "production" and gateway == "console"
            and not _bool(env, "SMS_CONSOLE_IN_PRODUCTION", False)):
        raise ConfigError("production needs a real SMS gateway: set SMS_GATEWAY=esms or viettel "
                          "(or http and SMS_HTTP_URL), or SMS_CONSOLE_IN_PRODUCTION=true to send "
                          "no SMS at all")
    try:
        channels = channels_config(env, gateway, public_base_url)
    except ChannelConfigError as error:
        raise ConfigError(str(error)) from None
    return {
        **channels,
        "SMS_GATEWAY": gateway,
        "SMS_HTTP_URL": url,
        "SMS_HTTP_TOKEN": env.get("SMS_HTTP_TOKEN") or None,
        "SMS_ASCII_ONLY": _bool(env, "SMS_ASCII_ONLY", False),
        "SMS_QUIET_HOURS": _hours(env, "SMS_QUIET_HOURS", "21-7"),
        "TRACKING_PUBLIC_DAYS_AFTER_FINAL": _int(env, "TRACKING_PUBLIC_DAYS_AFTER_FINAL", 30),
        # on everywhere: the demo shows the OTP in the console SMS log
        "DELIVERY_OTP_REQUIRED": _bool(env, "DELIVERY_OTP_REQUIRED", True),
        "TRACK_LOOKUP_LIMIT": _int(env, "TRACK_LOOKUP_LIMIT", 10),
        "OUTBOX_STUCK_AFTER_SECONDS": _int(env, "OUTBOX_STUCK_AFTER_SECONDS", 300),
        "OTP_RECEIPT_WAIT_MINUTES": _otp_wait(env),
    }


def _otp_wait(env: Mapping[str, str]) -> int:
    """Minutes a delivery code sent on Zalo waits for its receipt before it goes by SMS as well
    (tracking.otp_fallback); 0 turns the SMS fallback off."""
    minutes = _int(env, "OTP_RECEIPT_WAIT_MINUTES", 3)
    if not 0 <= minutes <= 60:
        raise ConfigError("OTP_RECEIPT_WAIT_MINUTES must be between 0 and 60")
    return minutes


def _protection(env: Mapping[str, str]) -> dict[str, Any]:
    """Login throttling, citizens' requests per item and day, personal data retention, how many
    proxies' X-Forwarded-For to believe, and how long a web process trusts an API key it verified
    (web/trusted_keys.py)."""
    settings = {name: _int(env, name, default) for name, default in (
        ("LOGIN_MAX_FAILURES", 5), ("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        ("LOGIN_LOCK_SECONDS", 60), ("RETENTION_DAYS", 180), ("TRUSTED_PROXIES", 0),
        ("API_KEY_TRUST_SECONDS", 10), ("CITIZEN_REQUESTS_PER_DAY", 10))}
    if min(settings["RETENTION_DAYS"], settings["LOGIN_MAX_FAILURES"],
           settings["CITIZEN_REQUESTS_PER_DAY"]) < 1 or settings["TRUSTED_PROXIES"] < 0:
        raise ConfigError("RETENTION_DAYS, LOGIN_MAX_FAILURES and CITIZEN_REQUESTS_PER_DAY must be "
                          "at least 1, TRUSTED_PROXIES at least 0")
    # beyond a minute a revoked key lives on too long
    if not 0 <= settings["API_KEY_TRUST_SECONDS"] <= 60:
        raise ConfigError("API_KEY_TRUST_SECONDS must be between 0 and 60")
    return settings


def _sessions(env: Mapping[str, str]) -> dict[str, Any]:
    """How long a staff login lasts, counted from the login itself (web/auth.py current_user):
    SESSION_LIFETIME_HOURS (Flask's own 31 days by default) for every role but couriers, whose
    phones go out on the street, shared and sometimes lost: COURIER_SESSION_HOURS, a working
    day."""
    lifetime = _int(env, "SESSION_LIFETIME_HOURS", 31 * 24)
    courier = _int(env, "COURIER_SESSION_HOURS", 12)
    if lifetime < 1:
        raise ConfigError("SESSION_LIFETIME_HOURS must be at least 1")
    if not 1 <= courier <= min(24, lifetime):
        raise ConfigError("COURIER_SESSION_HOURS must be between 1 and 24, "
                          "and not above SESSION_LIFETIME_HOURS")
    return {"PERMANENT_SESSION_LIFETIME": timedelta(hours=lifetime),
            "COURIER_SESSION_LIFETIME": timedelta(hours=courier)}


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app's settings; raises ConfigError for an unusable environment
    (e.g. the dev secret in production)."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    secret = env.get("SECRET_KEY") or DEV_SECRET_KEY
    if app_env == "production" and (secret == DEV_SECRET_KEY or len(secret) < 32):
        raise ConfigError("SECRET_KEY must be set to a random value of 32+ characters "
                          "in production")
    indicator = env.get("S10_SERVICE_INDICATOR", "RR")
    try:
        validate_indicator(indicator)
    except ValueError as error:
        raise ConfigError(f"S10_SERVICE_INDICATOR: {error}") from None
    public_base_url = (env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret,
        "DATABASE_URL": (env.get("DATABASE_URL")
                         or f"sqlite:///{os.path.join(instance_path, 'buudien.sqlite3')}"),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "PUBLIC_BASE_URL": public_base_url,
        "S10_SERVICE_INDICATOR": indicator,
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", app_env == "production"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 5 * 1024 * 1024),  # a door photo fits
        "PROOF_PHOTO_DIR": env.get("PROOF_PHOTO_DIR") or os.path.join(instance_path, "proofs"),
        # a pick-up's form carries every page photo of the dossier (4 MB each at most): its own,
        # larger request limit (web/door_pickup.py)
        "DOSSIER_UPLOAD_MAX_BYTES": _int(env, "DOSSIER_UPLOAD_MAX_BYTES", 128 * 1024 * 1024),
        "DOSSIER_PAGE_MAX_BYTES": _int(env, "DOSSIER_PAGE_MAX_BYTES", 4 * 1024 * 1024),
        # the worker writes print jobs' PDFs here and the web serves them: one folder for both
        "PRINT_FOLDER": env.get("PRINT_FOLDER") or os.path.join(instance_path, "prints"),
        "DB_POOL_SIZE": _int(env, "DB_POOL_SIZE", 5),
        "SQL_ECHO": _bool(env, "SQL_ECHO", False),
        "GEOCODER": _geocoder(env, instance_path),
        **_protection(env),
        **_sessions(env),
        **_sms(env, app_env, public_base_url),
        **_rating(env),
    }


def _rating(env: Mapping[str, str]) -> dict[str, Any]:
    """How many days after delivery the citizen may first rate it (tracking.rating): by default as
    long as the tracking page shows the item's details after delivery."""
    days = _int(env, "RATING_DAYS_AFTER_DELIVERY", 30)
    if not 1 <= days <= 365:
        raise ConfigError("RATING_DAYS_AFTER_DELIVERY must be between 1 and 365")
    return {"RATING_DAYS_AFTER_DELIVERY": days}


def _geocoder(env: Mapping[str, str], instance_path: str) -> GeocoderSettings:
    """GEOCODER_URL (a Nominatim-compatible server) and its settings;
    without it nothing is geocoded."""
    try:
        settings = settings_from_environ(env)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    # answers are kept: the same street is asked once
    if settings.url and settings.cache_path is None:
        settings = replace(settings, cache_path=Path(instance_path) / "geocode-cache.sqlite3")
    return settings
