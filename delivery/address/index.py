"""The in-memory index of old and new units, by the name keys of ``names``.

The index is built on first use by :func:`address_index` and then shared by the whole process (or
loaded from the file that :func:`use_cache_dir` points at, written by an earlier process). It reads
``vietnam_provinces`` (the official GSO codes, which are the codes we return) and the old → new
mapping of ``vietnam_address_converter.data``, whose own codes are reconciled to GSO codes by ward
name within province.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .index_cache import load_pickle, store_pickle
from .names import canonical_key, name_key, tidy_old_name

# Extra province keys (already folded, prefix-free) → the name key they stand for.
PROVINCE_ALIASES: dict[str, str] = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "hcmc": "ho chi minh", "sai gon": "ho chi minh",
    "saigon": "ho chi minh", "hochiminh": "ho chi minh", "hn": "ha noi", "hanoi": "ha noi",
    "thua thien hue": "hue", "haiphong": "hai phong", "hp": "hai phong", "danang": "da nang",
    "cantho": "can tho", "daklak": "dak lak", "dac lac": "dak lak", "brvt": "ba ria vung tau",
    "vung tau": "ba ria vung tau", "ba ria": "ba ria vung tau", "daknong": "dak nong",
    "bac can": "bac kan", "kontum": "kon tum", "br vt": "ba ria vung tau", "tt hue": "hue",
    "ho chi minh city": "ho chi minh", "hcm city": "ho chi minh",
}

_DASHES = re.compile(r"[-–—]")



class WardRef(NamedTuple):
    """A post-2025 ward (GSO code) with its kind and keys."""

    code: int
    name: str
    province_code: int
    kind: str
    key: str
    exact: str


class OldProvince(NamedTuple):
    """A pre-2025 province: canonical name, key in the old-unit maps, code of the province it is in
    now."""

    name: str
    key: str
    code: int


class OldUnit(NamedTuple):
    """One row of the old → new mapping: canonical old names and the new ward's GSO code."""

    province: str
    district: str
    ward: str
    district_kind: str
    ward_kind: str
    district_exact: str
    ward_exact: str
    new_code: int


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity: one per process
class AddressIndex:
    provinces: dict[int, str]
    wards: dict[int, WardRef]
    province_by_key: dict[str, int]
    old_province_by_key: dict[str, OldProvince]
    wards_by_key: dict[tuple[int, str], list[int]]
    old_by_district: dict[tuple[str, str], list[OldUnit]]
    old_by_ward: dict[tuple[str, str, str], list[OldUnit]]
    old_by_province_ward: dict[tuple[str, str], list[OldUnit]]
    old_keys_by_province: dict[int, list[str]]
    new_codes_by_old_province: dict[str, set[int]]
    dashed_keys: set[str]  # keys of names written with a dash ("Phan Rang-Tháp Chàm"), not to split
    # where a name may be when the province is left out: key -> codes of the provinces that have
    # a new ward, an old ward or an old district of that name
    provinces_by_ward_key: dict[str, set[int]]
    provinces_by_old_ward_key: dict[str, set[int]]
    provinces_by_district_key: dict[str, set[int]]


_cache_dir: Path | None = None


def use_cache_dir(path: str | os.PathLike[str] | None) -> None:
    """Keep the built index as a file in ``path`` so the next process loads it instead of building
    it.

    Loading is several times faster than building (bench/results-addressing.md). The file is a
    pickle named after the packages' versions and this module's source, so a change to either builds
    a fresh one; ``path`` must be a directory only this service writes (loading a pickle runs code).
    None turns the cache off. Takes effect for the first resolution in the process: an index already
    in memory is kept.
    """
    global _cache_dir
    _cache_dir = Path(path) if path is not None else None


@functools.cache
def address_index() -> AddressIndex:
    """The process-wide index: read from the cache directory when one is set and holds a current
    copy, else built (and then written there, if a directory is set). Never raises for a missing or
    broken cache file."""
    path = _cache_dir / cache_file_name() if _cache_dir is not None else None
    index = load_pickle(path, AddressIndex) if path is not None else None
    if index is None:
        index = build_address_index()
        if path is not None:
            store_pickle(index, path, stale="address-index-*.pickle")
    return index


def cache_file_name() -> str:
    """``address-index-<vietnam-provinces>-<vietnam-address-converter>-<source hash>.pickle``."""
    versions = [importlib.metadata.version(p)
                for p in ("vietnam-provinces", "vietnam-address-converter")]
    # The index holds keys made by names.py: a change to either file builds it anew.
    sources = (Path(__file__), Path(__file__).with_name("names.py"))
    source = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    return f"address-index-{versions[0]}-{versions[1]}-{source}.pickle"


def build_address_index() -> AddressIndex:
    """Build the index from the packages' data (most of a cold start, mostly the data import)."""
    from vietnam_address_converter import data
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p.name for p in Province.iter_all()}
    province_by_key = {canonical_key(name)[1]: code for code, name in provinces.items()}
    wards: dict[int, WardRef] = {}
    wards_by_key: dict[tuple[int, str], list[int]] = defaultdict(list)
    for w in Ward.iter_all():
        name = " ".join(w.name.split())  # the source has a few double spaces
        kind, key, exact = canonical_key(name)
        ref = WardRef(int(w.code), name, int(w.province_code), kind, key, exact)
        wards[ref.code] = ref
        wards_by_key[(ref.province_code, key)].append(ref.code)
    index = AddressIndex(provinces, wards, province_by_key, {}, dict(wards_by_key),
                         defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list),
                         defaultdict(set), set(), defaultdict(set), defaultdict(set),
                         defaultdict(set))
    _add_mapping(index, data.mapping["rows"])
    _add_aliases(index)
    _add_nationwide(index)
    names = ([ward.name for ward in wards.values()]
             + [p.name for p in index.old_province_by_key.values()])
    names += {u.district for units in index.old_by_district.values() for u in units}
    names += {u.ward for units in index.old_by_district.values() for u in units}
    index.dashed_keys.update(canonical_key(n)[1] for n in names if _DASHES.search(n))
    for cached in (canonical_key, tidy_old_name, name_key):
        cached.cache_clear()  # official names, not needed again
    return index


def _new_ward_code(index: AddressIndex, province_code: int, ward_name: str) -> int:
    """GSO code of a mapping row's new ward: by folded name in province, diacritics break ties."""
    _, key, exact = canonical_key(ward_name)
    codes = index.wards_by_key[(province_code, key)]
    return next((c for c in codes if index.wards[c].exact == exact), codes[0])


def _add_mapping(index: AddressIndex, rows: list[dict[str, dict[str, str]]]) -> None:
    """Index every old (province, district, ward) of the mapping rows by its keys."""
    for row in rows:
        old, new = row["old"], row["new"]
        province_code = index.province_by_key[canonical_key(new["province_name"])[1]]
        _, pkey, _ = canonical_key(old["province_name"])
        dkind, dkey, dexact = canonical_key(old["district_name"])
        wkind, wkey, wexact = canonical_key(old["ward_name"]) if old["ward_name"] else ("", "", "")
        unit = OldUnit(tidy_old_name(old["province_name"]), tidy_old_name(old["district_name"]),
                       tidy_old_name(old["ward_name"]), dkind, wkind, dexact, wexact,
                       _new_ward_code(index, province_code, new["ward_name"]))
        if pkey not in index.old_province_by_key:
            index.old_province_by_key[pkey] = OldProvince(unit.province, pkey, province_code)
            index.old_keys_by_province[province_code].append(pkey)
        index.new_codes_by_old_province[pkey].add(unit.new_code)
        index.old_by_district[(pkey, dkey)].append(unit)
        index.old_by_ward[(pkey, dkey, wkey)].append(unit)
        # A district that became one unit whole (islands) can be named alone, as if it were the
        # ward.
        index.old_by_province_ward[(pkey, wkey or dkey)].append(unit)


def _add_nationwide(index: AddressIndex) -> None:
    """Which provinces have a unit of each name (for an address that leaves the province out)."""
    for code, key in index.wards_by_key:
        index.provinces_by_ward_key[key].add(code)
    for (pkey, wkey), units in index.old_by_province_ward.items():
        if any(u.ward for u in units):
            index.provinces_by_old_ward_key[wkey].add(index.old_province_by_key[pkey].code)
    for pkey, dkey in index.old_by_district:
        index.provinces_by_district_key[dkey].add(index.old_province_by_key[pkey].code)


def _add_aliases(index: AddressIndex) -> None:
    for alias, key in PROVINCE_ALIASES.items():
        if key in index.province_by_key:
            index.province_by_key.setdefault(alias, index.province_by_key[key])
        elif key in index.old_province_by_key:
            index.old_province_by_key.setdefault(alias, index.old_province_by_key[key])
