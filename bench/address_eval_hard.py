"""The harder forms of the evaluation set (issue 20): English-style addresses, addresses without
their province, and ward names with one typo of each kind, with the correction expected.

Ground truth still comes from the packages' data (bench/address_reference.py), never from the
resolver: a typo's expected ward is every unit in scope (the old district written, else the
province) whose name is one edit from what was written, computed here by a plain
Damerau-Levenshtein distance; the expected correction is that unit's official name when it is the
only one. A typo that lands on another real name is not generated: nobody can tell it is one.
"""

from __future__ import annotations

import functools
import random
import string
import unicodedata
from collections.abc import Callable

from bench.address_eval import (
    Case,
    Writer,
    expect_new,
    expect_old,
    make_case,
    same,
    strip_accents,
)
from bench.address_reference import Reference, Unit
from bench.address_reference import accented as _accented
from bench.address_reference import bare as _bare
from bench.address_reference import split_unit as _split_unit

# the same few thousand names are compared again and again, province by province
accented, bare, split_unit = map(functools.cache, (_accented, _bare, _split_unit))

PER_FORM = 60
ENGLISH_WARDS = {"Phường": "Ward", "Xã": "Commune", "Thị trấn": "Town"}
ENGLISH_DISTRICTS = {"Quận": "District", "Huyện": "District", "Thị xã": "District",
                     "Thành phố": "City"}
ENGLISH_PROVINCES = {"Thành phố Hồ Chí Minh": ("Ho Chi Minh City", "HCMC"),
                     "Thành phố Hà Nội": ("Hanoi", "Ha Noi", "Hanoi City")}
TYPOS = ("insertion", "deletion", "substitution", "transposition", "tone-wrong", "tone-missing")
TONES = "\u0300\u0301\u0303\u0309\u0323"
OldKey = tuple[str, str, str]


def hard_cases(ref: Reference, seed: int) -> list[Case]:
    """PER_FORM addresses of each hard form, drawn with their own generator (the older forms keep
    their addresses)."""
    rng = random.Random(seed)
    new = sorted(c for c, (_, unit) in ref.wards.items() if unit.kind in ENGLISH_WARDS)
    old = sorted(k for k in ref.old if split_unit(k[1]).kind in ENGLISH_DISTRICTS
                 and split_unit(k[2]).kind in ENGLISH_WARDS)
    cases = [english_new(ref, Writer(rng), code) for code in rng.sample(new, PER_FORM)]
    cases += [english_old(ref, Writer(rng), key) for key in rng.sample(old, PER_FORM)]
    cases += [no_province_new(ref, Writer(rng), code) for code in rng.sample(new, PER_FORM)]
    cases += [no_province_old(ref, Writer(rng), key) for key in rng.sample(old, PER_FORM)]
    for kind in TYPOS:
        cases += typo_cases(ref, rng, kind)
    return cases


# --- English -------------------------------------------------------------------------------------


def english_unit(rng: random.Random, unit: Unit, words: dict[str, str]) -> str:
    word = words[unit.kind]
    if unit.base.isdigit() or rng.random() < 0.2:
        return rng.choice((f"{word} {unit.base}", f"{unit.base} {word}"))
    return f"{unit.base} {word}"


def english_province(rng: random.Random, name: str) -> str:
    unit = split_unit(name)
    return rng.choice(ENGLISH_PROVINCES.get(name, (f"{unit.base} Province", unit.base)))


def english_text(w: Writer, parts: list[str]) -> str:
    text = ", ".join(p for p in [w.detail().replace("Số ", ""), *parts, "Vietnam"] if p)
    if w.rng.random() < 0.7:
        w.tags.append("no-diacritics")
        return strip_accents(text)
    return text


def english_new(ref: Reference, w: Writer, code: int) -> Case:
    province, unit = ref.wards[code]
    text = english_text(w, [english_unit(w.rng, unit, ENGLISH_WARDS),
                            english_province(w.rng, ref.provinces[province])])
    expected = expect_new(ref, province, unit, with_accents="no-diacritics" not in w.tags,
                          with_kind=True)
    return make_case(ref, "english-new", w.tags, text, expected, "homonym" * (len(expected) > 1))


def english_old(ref: Reference, w: Writer, key: OldKey) -> Case:
    province, district, ward = (split_unit(n) for n in key)
    text = english_text(w, [english_unit(w.rng, ward, ENGLISH_WARDS),
                            english_unit(w.rng, district, ENGLISH_DISTRICTS),
                            english_province(w.rng, ref.provinces[ref.old_province_code[key[0]]])])
    accents = "no-diacritics" not in w.tags
    olds = {p for p, code in ref.old_province_code.items()
            if code == ref.old_province_code[key[0]]}
    expected = expect_old_loose(ref, olds, same_as(district, accents, kind=district.kind
                                                   if district.kind == "Thành phố" else None),
                                same_as(ward, accents, kind=ward.kind))
    return make_case(ref, "english-old", w.tags, text, expected, notes(ref, key, expected))


# --- without the province -----------------------------------------------------------------------


def no_province_new(ref: Reference, w: Writer, code: int) -> Case:
    province, unit = ref.wards[code]
    text = ", ".join(p for p in (w.detail(), f"{unit.kind} {unit.base}") if p)
    expected = {c for c, (_, u) in ref.wards.items()
                if same(u, unit, with_accents=True, with_kind=True)}  # in any province
    return make_case(ref, "no-province-new", w.tags, text, expected,
                     "homonym" * (len(expected) > 1))


def no_province_old(ref: Reference, w: Writer, key: OldKey) -> Case:
    _, district, ward = (split_unit(n) for n in key)
    text = ", ".join(p for p in (w.detail(), key[2], key[1]) if p)
    expected = expect_old_loose(ref, set(ref.old_province_code),
                                same_as(district, True, kind=district.kind),
                                same_as(ward, True, kind=ward.kind))
    return make_case(ref, "no-province-old", w.tags, text, expected, notes(ref, key, expected))


# --- expected answers ---------------------------------------------------------------------------


def same_as(written: Unit, accents: bool, kind: str | None) -> Callable[[Unit], bool]:
    key = accented if accents else bare
    return lambda unit: key(unit.base) == key(written.base) and kind in (None, unit.kind)


def expect_old_loose(ref: Reference, old_provinces: set[str], district: Callable[[Unit], bool],
                     ward: Callable[[Unit], bool]) -> set[int]:
    """New wards the mapping gives for the old wards matching ``ward`` in districts matching
    ``district``, and same-named new wards made partly of such a district (rivals)."""
    mapped: set[int] = set()
    of_district: set[int] = set()
    for (p, d, old_ward), codes in ref.old.items():
        if p in old_provinces and district(split_unit(d)):
            of_district |= codes
            if ward(split_unit(old_ward)):
                mapped |= codes
    return mapped | {c for c in of_district if ward(ref.wards[c][1])}


def notes(ref: Reference, key: OldKey, expected: set[int]) -> str:
    return "+".join(note for note, flag in (("split", len(ref.old[key]) > 1),
                                            ("homonym", expected != ref.old[key])) if flag)


# --- typos --------------------------------------------------------------------------------------


def typo_cases(ref: Reference, rng: random.Random, kind: str) -> list[Case]:
    """PER_FORM typos of ``kind``: half in new two-tier addresses, half in old three-tier ones."""
    new = sorted(c for c, (_, u) in ref.wards.items() if typo_base(u, kind))
    old = sorted(k for k in ref.old if typo_base(split_unit(k[2]), kind))
    cases: list[Case] = []
    while len(cases) < PER_FORM:
        case = (typo_new(ref, Writer(rng), rng.choice(new), kind) if len(cases) % 2 == 0
                else typo_old(ref, Writer(rng), rng.choice(old), kind))
        cases += [case] if case else []
    return cases


def typo_base(unit: Unit, kind: str) -> bool:
    """A name a typo of ``kind`` can be made in: letters only, long enough, a tone to change."""
    letters = bare(unit.base).replace(" ", "")
    has_tone = any(c in TONES for c in unicodedata.normalize("NFD", unit.base))
    return (unit.kind in ENGLISH_WARDS and letters.isalpha() and len(letters) >= 6
            and (has_tone or not kind.startswith("tone")))


def typo_new(ref: Reference, w: Writer, code: int, kind: str) -> Case | None:
    province, unit = ref.wards[code]
    scope: dict[Unit, set[int]] = {}
    for c, (p, u) in ref.wards.items():
        if p == province:
            scope.setdefault(u, set()).add(c)
    new_units = set(scope)
    olds = {p for p, c in ref.old_province_code.items() if c == province}
    for (p, _, old_ward), codes in ref.old.items():
        if p in olds and split_unit(old_ward) not in new_units:
            scope.setdefault(split_unit(old_ward), set()).update(codes)
    written = typo(w.rng, unit, kind)
    text = ", ".join(x for x in (w.detail(), f"{unit.kind} {written}",
                                 ref.provinces[province]) if x)
    return typo_case(ref, w, kind, text, (written, unit), scope, new_units)


def typo_old(ref: Reference, w: Writer, key: OldKey, kind: str) -> Case | None:
    province, district, ward = key
    scope = {split_unit(old_ward): codes for (p, d, old_ward), codes in ref.old.items()
             if (p, d) == (province, district)}
    unit = split_unit(ward)
    written = typo(w.rng, unit, kind)
    code = ref.old_province_code[province]
    if any(bare(u.base) == bare(written) for p, u in ref.wards.values() if p == code):
        return None  # a new ward's name: read as that ward, as anybody would
    text = ", ".join(x for x in (w.detail(), f"{unit.kind} {written}", district, province) if x)

    def rivals(near: list[Unit]) -> set[int]:
        """Same-named new wards made partly of the district may be meant too (address_eval)."""
        return set().union(*(expect_old(ref, {province}, split_unit(district), u,
                                        with_accents=False)[1] for u in near))

    return typo_case(ref, w, kind, text, (written, unit), scope, set(), rivals)


def typo_case(ref: Reference, w: Writer, kind: str, text: str, written: tuple[str, Unit],
              scope: dict[Unit, set[int]], new_units: set[Unit],
              rivals: Callable[[list[Unit]], set[int]] = lambda near: set()) -> Case | None:
    """The case, or None when the typo made another real name.

    Expected: the units in scope one edit away (or, for a tone typo, spelt alike but for marks).
    When they share one name, those of the kind written are preferred, then new wards over old
    ones (as a name written right is read); names that differ are all candidates."""
    base, unit = written
    if not kind.startswith("tone") and distance(bare(unit.base), bare(base)) != 1:
        return None  # "Hậu Mỹ Bắc A" without its "A": two edits once the space goes too
    if kind.startswith("tone"):
        if any(accented(u.base) == accented(base) and u.kind == unit.kind for u in scope):
            return None
        near = [u for u in scope if bare(u.base) == bare(base)]
    else:
        if any(bare(u.base) == bare(base) for u in scope):
            return None
        near = [u for u in scope if abs(len(u.base) - len(base)) <= 1
                and distance(bare(u.base), bare(base)) == 1]
    if len({bare(u.base) for u in near}) == 1:
        near = [u for u in near if u.kind == unit.kind] or near
        near = [u for u in near if u in new_units] or near
    expected, rival = set().union(*(scope[u] for u in near)), rivals(near)
    correction = (f"{near[0].kind} {near[0].base}"
                  if len(near) == 1 == len(expected) and not rival - expected else "")
    case = make_case(ref, f"typo-{kind}", w.tags, text, expected | rival,
                     "homonym" * (len(near) > 1) or "split" * (len(expected) > 1)
                     or "rival" * bool(rival - expected))
    return case._replace(correction=correction)


def typo(rng: random.Random, unit: Unit, kind: str) -> str:
    """``unit.base`` with one typo of ``kind`` (NFC)."""
    if kind.startswith("tone"):
        return retone(rng, unit.base, kind == "tone-missing")
    base = unit.base
    letters = [i for i, c in enumerate(base) if c.isalpha() and i > 0]
    i, letter = rng.choice(letters), rng.choice(string.ascii_lowercase)
    if kind == "insertion":
        return base[:i] + letter + base[i:]
    if kind == "deletion":
        return base[:i] + base[i + 1:]
    if kind == "substitution":
        while bare(letter) == bare(base[i]):
            letter = rng.choice(string.ascii_lowercase)
        return base[:i] + letter + base[i + 1:]
    pairs = [j for j in letters if j + 1 < len(base) and base[j + 1].isalpha()
             and bare(base[j]) != bare(base[j + 1])]
    j = rng.choice(pairs)
    return base[:j] + base[j + 1] + base[j] + base[j + 2:]


def retone(rng: random.Random, base: str, missing: bool) -> str:
    """One syllable's tone mark removed, or replaced by another."""
    syllables = unicodedata.normalize("NFD", base).split(" ")
    toned = [i for i, s in enumerate(syllables) if any(c in TONES for c in s)]
    i = rng.choice(toned)
    at = next(k for k, c in enumerate(syllables[i]) if c in TONES)
    other = "" if missing else rng.choice([t for t in TONES if t != syllables[i][at]])
    syllable = syllables[i][:at] + syllables[i][at + 1:]
    end = at  # after the vowel's other marks (ậ is a, dot below, circumflex), or NFC keeps it apart
    while end < len(syllable) and unicodedata.combining(syllable[end]):
        end += 1
    syllables[i] = syllable[:end] + other + syllable[end:]
    return unicodedata.normalize("NFC", " ".join(syllables))


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
