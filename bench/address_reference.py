"""The packages' own data of old and new units, in the shape the evaluation set's generator
(bench/address_eval.py) needs; read independently of ``delivery``, so the ground truth never comes
from the resolver it scores."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

KIND_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Quận", "Huyện", "Tỉnh", "Xã")


class Unit(NamedTuple):
    """An official unit name split into its unit word ("Phường") and the rest ("Hoàn Kiếm", "5")."""

    kind: str
    base: str


@dataclass(frozen=True)
class Reference:
    """The packages' data in the shape the generator needs (built independently of ``delivery``)."""

    provinces: dict[int, str]  # new GSO code -> official name
    wards: dict[int, tuple[int, Unit]]  # new GSO ward code -> (province code, unit)
    # (old province, district, ward) official names -> new ward codes
    old: dict[tuple[str, str, str], set[int]]
    old_province_code: dict[str, int]  # old province official name -> new province code


def split_unit(name: str) -> Unit:
    name = " ".join(name.split())
    for kind in KIND_WORDS:
        if name.lower().startswith(kind.lower() + " "):
            return Unit(kind, name[len(kind) + 1:])
    return Unit("", name)


def bare(text: str) -> str:
    """Lower case, no diacritics, dashes as spaces: what text written without accents still tells
    apart."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("-", " "))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def accented(text: str) -> str:
    """Lower case with diacritics, tone marks moved to the end of each syllable ("hoà" == "hòa")."""
    words = unicodedata.normalize("NFD", text.lower().replace("-", " ")).split()
    tones = "\u0300\u0301\u0303\u0309\u0323"
    return " ".join("".join(c for c in w if c not in tones) + "".join(c for c in w if c in tones)
                    for w in words)


def load_reference() -> Reference:
    from vietnam_address_converter import data
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p.name for p in Province.iter_all()}
    by_bare = {bare(split_unit(name).base): code for code, name in provinces.items()}
    wards = {int(w.code): (int(w.province_code), split_unit(w.name)) for w in Ward.iter_all()}
    ref = Reference(provinces, wards, {}, {})
    named: dict[tuple[int, str], list[int]] = {}
    for code, (province, unit) in wards.items():
        named.setdefault((province, accented(f"{unit.kind} {unit.base}")), []).append(code)
    for row in data.mapping["rows"]:
        old, new = row["old"], row["new"]
        province = by_bare[bare(split_unit(new["province_name"]).base)]
        codes = named.get((province, accented(new["ward_name"])), [])
        # skip island districts and odd rows
        if len(codes) == 1 and split_unit(old["ward_name"]).kind:
            key = (tidy(old["province_name"]), tidy(old["district_name"]), tidy(old["ward_name"]))
            ref.old.setdefault(key, set()).add(codes[0])
            ref.old_province_code[key[0]] = province
    return ref


def tidy(name: str) -> str:
    """The mapping writes "Thành Phố", "Thị Trấn": use the usual capitalisation."""
    unit = split_unit(name)
    return f"{unit.kind} {unit.base}" if unit.kind else unit.base
