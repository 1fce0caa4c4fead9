"""Coordinates for a delivery address: from a Nominatim-compatible geocoder when one is configured.

A :class:`Geocoder` is built from plain settings (see :func:`settings_from_environ` for the
environment variables the application reads at start-up). It asks the server through geopy's
``Nominatim`` client, spaced by geopy's ``RateLimiter`` (Nominatim's public usage policy allows one
request per second), and keeps every answer, "nothing found" included, in a small SQLite file of its
own (not the application database), so an address is asked for once, across processes and restarts.

Fallback, honestly: when no geocoder is configured, the server fails, or it finds nothing, the
result is the ward's reference point if the caller supplied one (``reference_points``), else
``None``. Neither ``vietnam_provinces`` nor ``vietnam_address_converter`` carries coordinates (their
data has codes and names only), so out of the box there are no reference points and the fallback is
"no coordinates". This module imports nothing of Flask, RQ or ``web``.
"""

from __future__ import annotations

import logging
import sqlite3
import unicodedata
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

log = logging.getLogger(__name__)

Source = Literal["geocoder", "cache", "ward_reference"]


class GeoPoint(NamedTuple):
    """WGS 84 latitude and longitude, and where they came from."""

    lat: float
    lon: float
    source: Source


@dataclass(frozen=True)
class GeocoderSettings:
    """``url`` None means no geocoder: every address falls back (see the module docstring)."""

    url: str | None = None
    user_agent: str = "buudien-ketqua"
    min_delay_seconds: float = 1.0
    cache_path: Path | None = None
    timeout_seconds: float = 5.0


def settings_from_environ(environ: Mapping[str, str]) -> GeocoderSettings:
    """Read ``GEOCODER_URL``, ``GEOCODER_USER_AGENT``, ``GEOCODER_MIN_DELAY_SECONDS``,
    ``GEOCODER_CACHE_PATH``.

    Strict: a delay that is not a non-negative number, or a URL that is not http(s) with a host,
    raises ValueError rather than being ignored.
    """
    url = environ.get("GEOCODER_URL") or None
    if url is not None and (urlsplit(url).scheme not in ("http", "https")
                            or not urlsplit(url).netloc):
        raise ValueError(f"GEOCODER_URL must be an http(s) URL with a host, not {url!r}")
    delay = float(environ.get("GEOCODER_MIN_DELAY_SECONDS", "1.0"))
    if not delay >= 0:
        raise ValueError(f"GEOCODER_MIN_DELAY_SECONDS must be a number >= 0, not {delay!r}")
    cache = environ.get("GEOCODER_CACHE_PATH")
    return GeocoderSettings(url, environ.get("GEOCODER_USER_AGENT", "buudien-ketqua"), delay,
                            Path(cache) if cache else None)


class Geocoder:
    """Geocodes through one server with rate limiting and a persistent cache; safe to share between
    threads.

    The rate limit holds per process: with several worker processes the server sees up to that many
    times the rate, so geocode from one queue or raise ``min_delay_seconds``. ``reference_points``
    maps (ward name, province name) to a point to fall back on; names are compared ignoring case and
    spacing.
    """

    def __init__(self, settings: GeocoderSettings,
                 reference_points: Mapping[tuple[str, str], tuple[float, float]] | None = None
                 ) -> None:
        self.settings = settings
        self.cache = GeocodeCache(settings.cache_path) if settings.cache_path else None
        self.reference_points = {(_normalise(w), _normalise(p)): point
                                 for (w, p), point in (reference_points or {}).items()}
        self._lookup = _rate_limited_lookup(settings) if settings.url else None

    def geocode(self, address_text: str, ward_name: str, province_name: str) -> GeoPoint | None:
        """Coordinates of ``address_text`` (the street part, or the whole text as written) in a
        ward.

        Asks for the full address first, then for the ward alone; the cache answers what was asked
        before. Never raises for the geocoder's failures: a failure falls back and is not cached, so
        it is asked again next time. Returns None when nothing is known (the usual case without a
        geocoder: see module docstring).
        """
        try:
            for query in _queries(address_text, ward_name, province_name):
                found = self._ask(query)
                if found:
                    return found
        except _Unavailable:
            pass  # no geocoder, or it failed: coarser queries would fail the same way
        point = self.reference_points.get((_normalise(ward_name), _normalise(province_name)))
        return GeoPoint(point[0], point[1], "ward_reference") if point else None

    def _ask(self, query: str) -> GeoPoint | None:
        """The point for ``query``, or None when the server found nothing; raises _Unavailable."""
        key = _normalise(query)
        answer = self.cache.get(key) if self.cache else None
        if answer is not None:
            return GeoPoint(*answer.point, "cache") if answer.point else None
        if self._lookup is None:
            raise _Unavailable
        try:
            location = self._lookup(query, country_codes="vn")
        except GeopyError as error:
            log.warning("geocoder failed, falling back: %s", error)
            raise _Unavailable from error
        point = (location.latitude, location.longitude) if location else None
        if self.cache:
            self.cache.put(key, point)
        return GeoPoint(*point, "geocoder") if point else None


class _Unavailable(Exception):
    """No geocoder is configured, or it could not answer."""


def _rate_limited_lookup(settings: GeocoderSettings) -> RateLimiter:
    url = urlsplit(settings.url or "")
    client = Nominatim(domain=url.netloc + url.path.rstrip("/"), scheme=url.scheme,
                       user_agent=settings.user_agent, timeout=settings.timeout_seconds)
    # No retries: a failing server is reported at once and the caller falls back; the next address
    # tries again.
    return RateLimiter(client.geocode, min_delay_seconds=settings.min_delay_seconds, max_retries=0,
                       swallow_exceptions=False)


def _queries(address_text: str, ward_name: str, province_name: str) -> list[str]:
    ward = ", ".join(part for part in (ward_name, province_name) if part)
    full = ", ".join(part for part in (address_text.strip(), ward) if part)
    return list(dict.fromkeys(q + ", Việt Nam" for q in (full, ward) if q))


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


class CachedAnswer(NamedTuple):
    """What the server once answered: a point, or None for "nothing found"."""

    point: tuple[float, float] | None


class GeocodeCache:
    """Answers by normalised query in a SQLite file of its own.

    Each call opens and closes its own connection, so the cache is safe across threads and forked
    workers.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS geocode "
                       "(query TEXT PRIMARY KEY, lat REAL, lon REAL, stored_at TEXT NOT NULL)")

    def get(self, key: str) -> CachedAnswer | None:
        """The stored answer, or None when this query was never answered."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT lat, lon FROM geocode WHERE query = ?", (key,)).fetchone()
        if row is None:
            return None
        return CachedAnswer((row[0], row[1]) if row[0] is not None else None)

    def put(self, key: str, point: tuple[float, float] | None) -> None:
        lat, lon = point if point else (None, None)
        with closing(self._connect()) as db, db:
            db.execute("INSERT OR REPLACE INTO geocode VALUES (?, ?, ?, ?)",
                       (key, lat, lon, datetime.now(UTC).isoformat()))

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5.0)
