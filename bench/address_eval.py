"""A fixed evaluation set for the address resolver, drawn from the packages' own data, and its
scorer.

    .venv/bin/python -m bench.address_eval      # (re)writes bench/data/address_eval.csv, fixed seed
    .venv/bin/python -m bench.address_score -v  # scores the resolver on it (bench/address_score.py)

Ground truth comes from the data, never from the resolver: a new two-tier address expects the
``vietnam_provinces`` ward it was written from; an old three-tier address expects every new ward
that the ``vietnam_address_converter`` mapping sends the old ward to (reconciled to GSO codes by
name in province). Some texts honestly name several wards, and the right answer is to refuse with
all of them as candidates: ``split`` (the old ward was divided), ``homonym`` (without diacritics or
unit word the name matches several wards), ``rival`` (a same-named new ward was made partly of the
old district written, so the text may be a new ward name written with its old district). Those count
as correct-not-guessed ("ambiguous as expected").
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from bench.address_reference import (
    Reference,
    Unit,
    accented,
    bare,
    load_reference,
    split_unit,
)

SEED = 20250701
CSV_PATH = Path(__file__).parent / "data" / "address_eval.csv"
FIELDS = ("id", "form", "styles", "text", "expected", "expected_names", "note", "correction")
ABBREVIATIONS = {"Phường": ("P.", "P. ", "P "), "Xã": ("X.", "X. "), "Thị trấn": ("TT.", "TT "),
                 "Quận": ("Q.", "Q. "), "Huyện": ("H.", "H. "), "Thành phố": ("TP.", "TP. ", "Tp "),
                 "Thị xã": ("TX.", "TX. ")}
SHORT_PROVINCES = {"Thành phố Hồ Chí Minh": ("Tp HCM", "TP.HCM", "TPHCM", "HCM", "Sài Gòn"),
                   "Thành phố Hà Nội": ("HN", "TP. Hà Nội", "Tp.HN"),
                   "Thành phố Huế": ("Thừa Thiên Huế", "TT-Huế"),
                   "Tỉnh Bà Rịa-Vũng Tàu": ("BR-VT", "Bà Rịa - Vũng Tàu", "BRVT"),
                   "Tỉnh Đắk Lắk": ("Daklak",), "Thành phố Đà Nẵng": ("TP. Đà Nẵng",),
                   "Thành phố Hải Phòng": ("TP Hải Phòng", "HP")}
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hùng Vương", "Lý Thường Kiệt", "Quang Trung",
           "Trần Phú", "Hai Bà Trưng", "Điện Biên Phủ", "Nguyễn Văn Cừ")
VILLAGES = ("Đông", "Thượng", "Hạ", "3", "Tân Lập", "Phú Mỹ", "Bắc Sơn", "7")
DETAILS = ("", "Số {n} ngõ {m} {street}", "Hẻm {n}/{m} {street}", "thôn {village}", "tổ {n}",
           "Số {n} đường {street}", "{n} {street}", "tổ {n}, thôn {village}", "Số {n}/{m} {street}",
           "ấp {village}", "khu phố {n}")


class Case(NamedTuple):
    """One row of the evaluation set; ``expected`` holds one GSO ward code, or several when refusing
    is right."""

    id: str
    form: str
    styles: str
    text: str
    expected: tuple[int, ...]
    expected_names: str
    note: str
    correction: str = ""  # for a typo: the official name the answer should say it corrected to


# --- expected answers -----------------------------------------------------------------------------


def same(unit: Unit, written: Unit, *, with_accents: bool, with_kind: bool) -> bool:
    key = accented if with_accents else bare
    return key(unit.base) == key(written.base) and (not with_kind or unit.kind == written.kind)


def expect_new(ref: Reference, province: int, ward: Unit, *, with_accents: bool,
               with_kind: bool) -> set[int]:
    return {code for code, (p, unit) in ref.wards.items()
            if p == province and same(unit, ward, with_accents=with_accents, with_kind=with_kind)}


def expect_old(ref: Reference, old_provinces: set[str], district: Unit, ward: Unit, *,
               with_accents: bool) -> tuple[set[int], set[int]]:
    """(new wards the mapping gives, same-named new wards made partly of the district written)."""
    mapped: set[int] = set()
    of_district: set[int] = set()
    for (p, d, w), codes in ref.old.items():
        if p in old_provinces and same(split_unit(d), district, with_accents=with_accents,
                                       with_kind=True):
            of_district |= codes
            if same(split_unit(w), ward, with_accents=with_accents, with_kind=True):
                mapped |= codes
    rivals = {c for c in of_district
              if same(ref.wards[c][1], ward, with_accents=with_accents, with_kind=True)}
    return mapped, rivals - mapped


# --- writing addresses ----------------------------------------------------------------------------


class Writer:
    """Writes one address in a randomly chosen real-world style; remembers the style tags it
    used."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.tags = rng, []

    def unit(self, unit: Unit, *, may_drop: bool = False) -> str:
        style = self.rng.choice(("full", "full", "abbrev", "none") if may_drop
                                else ("full", "abbrev"))
        self.tags.append(f"unit-{style}")
        if style == "none" or not unit.kind:
            return unit.base
        if style == "abbrev" and unit.kind in ABBREVIATIONS:
            base = (unit.base.zfill(2) if unit.base.isdigit() and self.rng.random() < 0.5
                    else unit.base)
            return self.rng.choice(ABBREVIATIONS[unit.kind]) + base
        return f"{unit.kind} {unit.base}"

    def province(self, name: str) -> str:
        unit, style = split_unit(name), self.rng.choice(("official", "bare", "short"))
        short = SHORT_PROVINCES.get(name if unit.kind else f"Tỉnh {name}")
        self.tags.append(f"province-{style if short or style != 'short' else 'bare'}")
        if style == "short" and short:
            return self.rng.choice(short)
        return unit.base if style != "official" else (name if unit.kind else f"Tỉnh {name}")

    def detail(self) -> str:
        template = self.rng.choice(DETAILS)
        self.tags.append("detail" if template else "no-detail")
        return template.format(n=self.rng.randint(1, 199), m=self.rng.randint(1, 60),
                               street=self.rng.choice(STREETS), village=self.rng.choice(VILLAGES))

    def join(self, parts: list[str], *, commas: bool) -> str:
        """Join with commas (or without, when every unit is named), then maybe strip accents, change
        case, pad."""
        commas = commas or self.rng.random() < 0.8
        if commas and parts[0] and "unit-none" not in self.tags and self.rng.random() < 0.2:
            # "thôn 3 xã A, huyện B": no comma after the detail
            parts = [f"{parts[0]} {parts[1]}", *parts[2:]]
            self.tags.append("detail-glued")
        parts = [p for p in parts if p]
        text = self.rng.choice((", ", ",", " , ", ",  ")).join(parts) if commas else " ".join(parts)
        self.tags.append("commas" if commas else "no-commas")
        for tag, chance, change in (("no-diacritics", 0.4, strip_accents),
                                    ("upper", 0.12, str.upper), ("lower", 0.12, str.lower),
                                    ("spaces", 0.15, self.pad)):
            if self.rng.random() < chance and not (tag == "lower" and "upper" in self.tags):
                text = change(text)
                self.tags.append(tag)
        return text

    def pad(self, text: str) -> str:
        words = text.split(" ")
        return "  " + " ".join(w + (" " * self.rng.randint(1, 2)) for w in words).rstrip() + "  "


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


# --- the set --------------------------------------------------------------------------------------


def generate(seed: int = SEED) -> list[Case]:
    """Deterministic: 5 new-form wards per province, 3 old-form wards per old province (old name), 2
    old-form wards per province written with the new province name, and 40 old wards that were
    split."""
    ref, rng = load_reference(), random.Random(seed)
    cases = []
    for province in sorted(ref.provinces):
        wards = sorted(code for code, (p, _) in ref.wards.items() if p == province)
        cases += [new_case(ref, Writer(rng), province, code) for code in rng.sample(wards, 5)]
    old_keys = sorted(ref.old)
    for old_province in sorted(set(ref.old_province_code)):
        keys = [key for key in old_keys if key[0] == old_province]
        cases += [old_case(ref, Writer(rng), key, old_province) for key in rng.sample(keys, 3)]
    for province in sorted(ref.provinces):
        keys = [key for key in old_keys if ref.old_province_code[key[0]] == province]
        cases += [old_case(ref, Writer(rng), key, ref.provinces[province])
                  for key in rng.sample(keys, 2)]
    split = [key for key in old_keys if len(ref.old[key]) > 1]
    cases += [old_case(ref, Writer(rng), key, key[0]) for key in rng.sample(split, 40)]
    from bench.address_eval_hard import hard_cases  # it builds on this module

    cases += hard_cases(ref, seed + 20)
    from bench.address_eval_legacy import legacy_cases

    cases += legacy_cases(cases, seed + 40)
    return [case._replace(id=f"{i:04d}") for i, case in enumerate(cases, 1)]


def new_case(ref: Reference, w: Writer, province: int, code: int) -> Case:
    unit = ref.wards[code][1]
    ward = w.unit(unit, may_drop=True)
    text = w.join([w.detail(), ward, w.province(ref.provinces[province])],
                  commas="unit-none" in w.tags)
    expected = expect_new(ref, province, unit, with_accents=shows_accents(text, w.tags),
                          with_kind="unit-none" not in w.tags)
    return make_case(ref, "new", w.tags, text, expected, "homonym" if len(expected) > 1 else "")


def old_case(ref: Reference, w: Writer, key: tuple[str, str, str], written: str) -> Case:
    province, district, ward = key
    w.tags.append("province-old-name" if written == province else "province-new-name")
    if (bare(split_unit(province).base)
            != bare(split_unit(ref.provinces[ref.old_province_code[province]]).base)):
        w.tags.append("merged")
    text = w.join([w.detail(), w.unit(split_unit(ward)), w.unit(split_unit(district)),
                   w.province(written)], commas=False)
    mapped, rivals = expect_old(ref, covered_old_provinces(ref, written), split_unit(district),
                                split_unit(ward), with_accents=shows_accents(text, w.tags))
    notes = [note for note, flag in (("split", len(ref.old[key]) > 1),
                                     ("homonym", mapped != ref.old[key]),
                                     ("rival", bool(rivals))) if flag]
    return make_case(ref, "old", w.tags, text, mapped | rivals, "+".join(notes))


def shows_accents(text: str, tags: list[str]) -> bool:
    """Whether a reader can tell the text was written with diacritics ("X.THANH AN, TP.HCM" cannot
    tell)."""
    return "no-diacritics" not in tags and not text.isascii()


def covered_old_provinces(ref: Reference, written: str) -> set[str]:
    """The old provinces whose units a province name may be followed by: a current name covers all
    it absorbed."""
    code = ref.old_province_code.get(written) or next(c for c, n in ref.provinces.items()
                                                      if n == written)
    if bare(split_unit(written).base) != bare(split_unit(ref.provinces[code]).base):
        return {written}
    return {old for old, new in ref.old_province_code.items() if new == code}


def make_case(ref: Reference, form: str, tags: list[str], text: str, expected: Iterable[int],
              note: str) -> Case:
    codes = tuple(sorted(expected))
    names = "|".join(f"{ref.wards[c][1].kind} {ref.wards[c][1].base}" for c in codes)
    return Case("", form, " ".join(tags), text, codes, names, note)


def write_cases(cases: list[Case], path: Path = CSV_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows([*case[:4], "|".join(map(str, case.expected)), *case[5:]]
                         for case in cases)


def read_cases(path: Path = CSV_PATH) -> list[Case]:
    with path.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    return [Case(r["id"], r["form"], r["styles"], r["text"],
                 tuple(int(c) for c in r["expected"].split("|")),
                 r["expected_names"], r["note"], r["correction"]) for r in rows]


def main() -> None:
    cases = generate()
    write_cases(cases)
    print(f"wrote {len(cases)} addresses to {CSV_PATH}")


if __name__ == "__main__":
    main()
