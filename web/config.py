"""Configuration from environment variables, read when the app is created (never at import time).

Parsing is strict: a malformed value stops the app with a message instead of silently becoming a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

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


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app's settings; raises ConfigError for an unusable environment (e.g. the dev secret in production)."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    secret = env.get("SECRET_KEY") or DEV_SECRET_KEY
    if app_env == "production" and (secret == DEV_SECRET_KEY or len(secret) < 32):
        raise ConfigError("SECRET_KEY must be set to a random value of 32+ characters in production")
    indicator = env.get("S10_SERVICE_INDICATOR", "RR")
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret,
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'buudien.sqlite3')}",
        "REDIS_URL": env.get("REDIS_URL") or None,
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "S10_SERVICE_INDICATOR": indicator,
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", app_env == "production"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "DB_POOL_SIZE": _int(env, "DB_POOL_SIZE", 5),
        "SQL_ECHO": _bool(env, "SQL_ECHO", False),
    }
