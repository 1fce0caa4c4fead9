"""Keys for Vietnamese unit names as people write them.

Keys: lower case, no diacritics (đ → d), punctuation collapsed to single spaces, numbers without
leading zeros, and the unit-type prefix (phường, P., Q., TP., ...) split off, or the English unit
word before or after the name ("Ward 13", "13 Ward", "Ben Nghe Ward", "Ho Chi Minh City").
``exact`` keys keep the diacritics (tone marks moved to the end of each syllable, so "Hoà" == "Hòa")
and only break ties between names that differ by diacritics alone ("Tân Thành" / "Tân Thạnh").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# Unit-type prefixes as they appear folded (one or two words), with the unit kind each one means.
PREFIXES: dict[str, str] = {
    "thanh pho": "thanh pho", "thi tran": "thi tran", "thi xa": "thi xa", "dac khu": "dac khu",
    "phuong": "phuong", "quan": "quan", "huyen": "huyen", "tinh": "tinh", "xa": "xa",
    "tp": "thanh pho", "tx": "thi xa", "tt": "thi tran", "dk": "dac khu",
    "p": "phuong", "f": "phuong", "q": "quan", "h": "huyen", "x": "xa", "t": "tinh",
}
# English unit words, written before the name ("Ward 13") or after it ("Ben Nghe Ward", "13 Ward").
# "District" may be a quận, a huyện or a thị xã: its kind "district" prefers none of them.
ENGLISH_UNITS: dict[str, str] = {
    "ward": "phuong", "commune": "xa", "town": "thi tran", "township": "thi tran",
    "district": "district", "dist": "district", "city": "thanh pho", "province": "tinh",
}
WARD_KINDS = frozenset({"phuong", "xa", "thi tran", "dac khu"})

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_NO_TONES = str.maketrans("", "", _TONES)
_NO_MARKS = str.maketrans({"đ": "d", **{chr(c): None for c in range(0x300, 0x370)}})
_PUNCTUATION = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_GLUED = re.compile(r"\b(p|q|f|x|h|phuong|phường|quan|quận)(\d+)\b")
_ZEROS = re.compile(r"\b0+(\d)")
_TITLE_PREFIXES = {"Thành Phố ": "Thành phố ", "Thị Trấn ": "Thị trấn ", "Thị Xã ": "Thị xã ",
                   "Đặc Khu ": "Đặc khu "}


class NameKey(NamedTuple):
    """A written unit name split into its kind (None if no prefix) and candidate keys.

    ``keys`` holds (folded key, exact key) pairs to try in order: without the prefix, then whole.
    """

    kind: str | None
    keys: tuple[tuple[str, str], ...]
    accented: bool


def _spaced(text: str) -> str:
    """Lower case NFC text with punctuation as single spaces, glued "P5" split, no leading zeros."""
    text = _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text.lower()))
    if _DIGIT.search(text):
        text = _ZEROS.sub(r"\1", _GLUED.sub(r"\1 \2", text))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Diacritic-free, punctuation-free lower-case form: "Phường 05, Q.1" → "phuong 5 q 1"."""
    return unicodedata.normalize("NFD", _spaced(text)).translate(_NO_MARKS)


def _exact(spaced: str) -> str:
    """Spaced text keeping diacritics, each syllable's tone mark moved to its end ("hoà" ==
    "hòa")."""
    out = []
    for syllable in unicodedata.normalize("NFD", spaced).split():
        bare = syllable.translate(_NO_TONES)
        out.append(bare if bare == syllable else bare + "".join(c for c in syllable if c in _TONES))
    return " ".join(out)


_ACCENTED_UNIT_WORDS = frozenset(_exact(words) for words in (
    "phường", "quận", "huyện", "tỉnh", "xã", "thành phố", "thị trấn", "thị xã", "đặc khu"))


def _split_prefix(folded: str) -> tuple[str | None, int, int]:
    """(kind, first word, end word) of the name in a folded text: the words left once the unit word
    (Vietnamese before the name, English before or after it) is cut off; never none of them."""
    words = folded.split(" ")
    if len(words) >= 2 and words[-1] in ENGLISH_UNITS:  # "Phuong Hai Commune" is Xã Phương Hải
        return ENGLISH_UNITS[words[-1]], 0, len(words) - 1
    if len(words) >= 3 and f"{words[0]} {words[1]}" in PREFIXES:
        return PREFIXES[f"{words[0]} {words[1]}"], 2, len(words)
    if len(words) >= 2:
        if words[0] in PREFIXES:
            return PREFIXES[words[0]], 1, len(words)
        if words[0] in ENGLISH_UNITS:
            return ENGLISH_UNITS[words[0]], 1, len(words)
    return None, 0, len(words)


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> NameKey:
    """Parse a unit name as written by a citizen into its kind and the keys to look it up by.

    Cached: the same ward, district and province parts come back again and again.
    """
    spaced = _spaced(text)
    if spaced.isascii():  # written without diacritics: nothing to fold, nothing exact to keep
        folded = exact = spaced
    else:
        folded, exact = unicodedata.normalize("NFD", spaced).translate(_NO_MARKS), _exact(spaced)
    kind, first, end = _split_prefix(folded)
    folded_words, exact_words = folded.split(" "), exact.split(" ")
    unit_word = [*range(first), *range(end, len(folded_words))]
    if kind and not _is_unit_word(" ".join(exact_words[i] for i in unit_word),
                                  " ".join(folded_words[i] for i in unit_word)):
        kind = None  # "Quán Thánh", "Quản Bạ": only looks like "Quận" once the diacritics are gone
    keys = ([(" ".join(folded_words[first:end]), " ".join(exact_words[first:end]))]
            if kind else [])
    keys.append((folded, exact))
    return NameKey(kind, tuple(keys), accented=any(ord(c) > 127 for c in text))


def _is_unit_word(exact: str, folded: str) -> bool:
    """A prefix written without diacritics ("quan", "P") may be a unit word; with them it must be
    spelt as one."""
    return exact == folded or exact in _ACCENTED_UNIT_WORDS


@functools.lru_cache(maxsize=16384)
def canonical_key(name: str) -> tuple[str, str, str]:
    """(kind, key, exact key) of an official name, which always starts with its unit type."""
    parsed = name_key(name)
    key, exact = parsed.keys[0]
    return parsed.kind or "", key, exact


@functools.lru_cache(maxsize=16384)
def tidy_old_name(name: str) -> str:
    """The mapping writes "Thành Phố", "Thị Trấn": give them the usual "Thành phố", "Thị trấn"."""
    for title, usual in _TITLE_PREFIXES.items():
        if name.startswith(title):
            return usual + name[len(title):]
    return name
