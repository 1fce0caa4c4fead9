"""Geocoding through geopy's real Nominatim client against a local stand-in server, with cache and
fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from delivery.address import Geocoder, GeocoderSettings, GeoPoint, settings_from_environ
from tests.stand_ins_geo import NominatimStandIn

HOAN_KIEM = ("Phường Hoàn Kiếm", "Thành phố Hà Nội")
HANG_BAI = (21.0245, 105.8530)


def geocoder(url: str | None, tmp_path: Path, delay: float = 0.0,
             ward: tuple[float, float] | None = None) -> Geocoder:
    """A geocoder with its cache in ``tmp_path`` and, if ``ward`` is given, that reference point for
    Hoàn Kiếm."""
    settings = GeocoderSettings(url, user_agent="buudien-ketqua-tests", min_delay_seconds=delay,
                                cache_path=tmp_path / "geocode.sqlite3", timeout_seconds=2.0)
    return Geocoder(settings, {HOAN_KIEM: ward} if ward else None)


def test_it_geocodes_through_the_nominatim_client() -> None:
    with NominatimStandIn({"25 Hàng Bài": HANG_BAI}) as server:
        found = Geocoder(GeocoderSettings(server.url, min_delay_seconds=0)).geocode(
            "25 Hàng Bài", *HOAN_KIEM)
    assert found == GeoPoint(*HANG_BAI, "geocoder")
    assert server.requests[0][0] == "25 Hàng Bài, Phường Hoàn Kiếm, Thành phố Hà Nội, Việt Nam"


def test_it_answers_a_repeat_from_the_cache(tmp_path: Path) -> None:
    with NominatimStandIn({"25 Hàng Bài": HANG_BAI}) as server:
        geo = geocoder(server.url, tmp_path)
        geo.geocode("25 Hàng Bài", *HOAN_KIEM)
        again = geo.geocode("  25 HÀNG BÀI ", *HOAN_KIEM)
    assert (again, server.count) == (GeoPoint(*HANG_BAI, "cache"), 1)


def test_it_keeps_the_cache_for_a_new_geocoder_on_the_same_file(tmp_path: Path) -> None:
    with NominatimStandIn({"25 Hàng Bài": HANG_BAI}) as server:
        geocoder(server.url, tmp_path).geocode("25 Hàng Bài", *HOAN_KIEM)
        again = geocoder(server.url, tmp_path).geocode("25 Hàng Bài", *HOAN_KIEM)
    assert (again.source, server.count) == ("cache", 1)


def test_it_asks_for_the_ward_when_the_street_is_unknown_and_remembers_both_answers(
    tmp_path: Path
) -> None:
    with NominatimStandIn({"Phường Hoàn Kiếm": (21.0288, 105.8525)}) as server:
        geo = geocoder(server.url, tmp_path)
        first, second = geo.geocode("9 Ngõ Nhỏ", *HOAN_KIEM), geo.geocode("9 Ngõ Nhỏ", *HOAN_KIEM)
    assert (first.source, second.source, server.count) == ("geocoder", "cache", 2)
    assert server.requests[1][0] == "Phường Hoàn Kiếm, Thành phố Hà Nội, Việt Nam"


def test_it_spaces_requests_by_the_minimum_delay(tmp_path: Path) -> None:
    with NominatimStandIn({"": HANG_BAI}) as server:
        geo = geocoder(server.url, tmp_path, delay=0.5)
        for number in range(3):
            geo.geocode(f"{number} Hàng Bài", *HOAN_KIEM)
    times = [at for _, at in server.requests]
    # geopy spaces the calls' starts; their arrival at the server jitters on a loaded machine (gaps
    # of 0.185 s and below 0.15 s were seen for a 0.2 s delay), while without the limiter the gaps
    # are ~1 ms: a wide margin under a longer delay tells the two apart without depending on the
    # machine's load.
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(times) == 3 and all(gap >= 0.3 for gap in gaps)


def test_it_falls_back_to_the_ward_reference_point_when_the_server_is_down(tmp_path: Path) -> None:
    with NominatimStandIn() as server:
        url = server.url  # closed on leaving the block: nothing listens there any more
    found = geocoder(url, tmp_path, ward=(21.03, 105.85)).geocode("25 Hàng Bài", *HOAN_KIEM)
    assert found == GeoPoint(21.03, 105.85, "ward_reference")


def test_it_does_not_cache_a_failure(tmp_path: Path) -> None:
    with NominatimStandIn({"25 Hàng Bài": HANG_BAI}, status=500) as failing:
        assert geocoder(failing.url, tmp_path).geocode("25 Hàng Bài", *HOAN_KIEM) is None
    with NominatimStandIn({"25 Hàng Bài": HANG_BAI}) as server:
        assert geocoder(server.url, tmp_path).geocode(
            "25 Hàng Bài", *HOAN_KIEM).source == "geocoder"


def test_it_falls_back_when_no_geocoder_is_configured(tmp_path: Path) -> None:
    assert geocoder(None, tmp_path, ward=(21.03, 105.85)).geocode(
        "25 Hàng Bài", *HOAN_KIEM).source == "ward_reference"
    assert Geocoder(GeocoderSettings()).geocode("25 Hàng Bài", *HOAN_KIEM) is None


def test_it_reads_its_settings_from_the_environment() -> None:
    settings = settings_from_environ({"GEOCODER_URL": "http://geo.internal:8080/nominatim",
                                      "GEOCODER_MIN_DELAY_SECONDS": "0.5",
                                      "GEOCODER_CACHE_PATH": "/tmp/g.db"})
    assert (settings.url, settings.min_delay_seconds, settings.cache_path) == (
        "http://geo.internal:8080/nominatim", 0.5, Path("/tmp/g.db"))
    assert settings_from_environ({}).url is None


@pytest.mark.parametrize("environ", [{"GEOCODER_MIN_DELAY_SECONDS": "soon"},
                                     {"GEOCODER_MIN_DELAY_SECONDS": "-1"},
                                     {"GEOCODER_URL": "geo.internal"}])
def test_it_refuses_bad_settings(environ: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        settings_from_environ(environ)
