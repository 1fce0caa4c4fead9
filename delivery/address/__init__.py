"""A consignment's address: read it, place it on one post-2025 ward, route it, put it on the map.

Modules, by role:
    resolve      the entry points: free text or chosen codes -> one ward (:func:`resolve_address`)
    parse        cutting the text into parts (street, ward, district, province)
    ward_match   placing the parts on one ward of a known province, or refusing with candidates
    nationwide   an address without its province: the one place in the country, or candidates
    corrections  a ward name one typo from one official name, read below the confident threshold
    typos        the deletion-neighbourhood index behind it (names one edit apart)
    resolved     what a resolution answers (ResolvedAddress, LegacyUnits)
    names        keys for unit names as people write them (prefixes, diacritics, abbreviations)
    index        the in-memory index of old and new units, by those keys
    index_cache  the index kept as a file between processes
    reference    loading the provinces and wards into the database
    routing      which post office delivers to a ward, and the offices an item passes through
    places       an item's ward, province and destination office, read once for every caller
    geocode      coordinates from a Nominatim-compatible server
    coordinates  placing a consignment on the map (:func:`locate`)

Callers import from here. The resolver is plain Python and is imported at once; the names that need
the database tables or geopy are imported on first use, so a process that only resolves addresses
(the address bench's cold start) does not pay for importing SQLAlchemy (about 0.6 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .index import cache_file_name, use_cache_dir
from .resolve import (
    LegacyUnits,
    ReferenceUnit,
    ResolvedAddress,
    iter_reference_provinces,
    iter_reference_wards,
    province_name,
    resolve_address,
    resolve_structured,
    ward_name,
)

if TYPE_CHECKING:
    from .coordinates import locate
    from .geocode import Geocoder, GeocoderSettings, GeoPoint, settings_from_environ
    from .places import Places, destination_office_of, places_of, ward_and_province_of
    from .reference import load_reference_data
    from .routing import destination_office, planned_route

_ON_FIRST_USE = {name: module for module, names in {
    "coordinates": ("locate",),
    "geocode": ("GeoPoint", "Geocoder", "GeocoderSettings", "settings_from_environ"),
    "places": ("Places", "destination_office_of", "places_of", "ward_and_province_of"),
    "reference": ("load_reference_data",),
    "routing": ("destination_office", "planned_route"),
}.items() for name in names}

__all__ = [
    "GeoPoint", "Geocoder", "GeocoderSettings", "LegacyUnits", "Places", "ReferenceUnit",
    "ResolvedAddress", "cache_file_name", "destination_office", "destination_office_of",
    "iter_reference_provinces", "iter_reference_wards", "load_reference_data", "locate",
    "places_of", "planned_route", "province_name", "resolve_address", "resolve_structured",
    "settings_from_environ", "use_cache_dir", "ward_and_province_of", "ward_name",
]


def __getattr__(name: str) -> Any:
    """The public ``name`` from its module, imported now (see ``_ON_FIRST_USE``).

    Raises AttributeError for any other name, as a module does."""
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value
