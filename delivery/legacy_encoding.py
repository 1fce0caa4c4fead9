"""Vietnamese typed in the legacy font encodings, TCVN3 (ABC) and VNI-Windows, as it reaches us:
the bytes read as Windows-1252 (an old Excel file, text copied out of a document set in .VnTime or
VNI-Times), so "Hà Nội" arrives as "Hµ Néi" (TCVN3) or "Haø Noäi" (VNI). to_unicode recognises
such text and gives it back in Unicode NFC, and says which encoding it was.

No package on PyPI does this with care (a few gists and unmaintained scripts hold the tables), so
the tables are here: TCVN3 as TCVN 5712:1993 (glibc's TCVN5712-1) less its C0 positions, which no
request may carry anyway (delivery.typed_text); VNI-Windows as the VNI fonts draw it, a base letter
followed by a mark character.

The detector converts only text that is clearly legacy: every word holding a legacy character must
become a Vietnamese syllable once converted, and one at least must not already be one as
written. Unicode Vietnamese (a letter or mark that Windows-1252 cannot hold) is never touched,
nor ASCII, nor names such as "Müller" or "José", which convert to no syllable; a lone "Bé" or "Lê",
Vietnamese either way, stays as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}  # how pages name each encoding
# TCVN3, byte 0x80 upwards as Windows-1252 shows it (0x81, 0x8D, 0x8F, 0x90, 0x9D: the C1 control),
# and the letter each byte is. 0xA0, the combining tone marks 0xB0-0xB4 and 0xFD (ý) are left out.
_TCVN3_LEGACY = ("€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ¡¢£¤¥¦§¨©ª«¬\xad®¯µ¶·¸¹º»¼½¾¿"
                 "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüþÿ")
_TCVN3_UNICODE = ("ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨĂÂÊÔƠƯĐăâêôơưđẰàảãáạẲằẳẵắẴ"
                  "ẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹỵỐ")
_TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
# VNI: the character after a vowel that gives each tone, in _TONE_MARKS' order
_VNI_TONES = "ùøûõï"  # after a, e, o, u, y and ơ, ư
_VNI_HAT_TONES = "áàåãä"  # after aâ, eâ, oâ (â, ê, ô)
_VNI_BREVE_TONES = "éèúüë"  # after aê (ă)
# single characters: ơ, ư, đ, ỵ and i with its tones
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ",
               "ò": "ị"}
# Unicode that only Vietnamese uses, and that Windows-1252 cannot hold: text holding any is Unicode
_UNICODE_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                                 "\u01af\u01b0\u0300-\u036f\u1ea0-\u1ef9]")


def _with_tones(legacy: str, unicode: str, marks: str) -> dict[str, str]:
    """``legacy`` followed by each of ``marks``: ``unicode`` with each tone."""
    return {legacy + mark: unicodedata.normalize("NFC", unicode + tone)
            for mark, tone in zip(marks, _TONE_MARKS, strict=True)}


def _vni_lower() -> dict[str, str]:
    """VNI's lower-case letters, legacy sequence -> Unicode (upper case: both upper-cased)."""
    table = dict(_VNI_SINGLE)
    for vowel in "aeouy":
        table |= _with_tones(vowel, vowel, _VNI_TONES)
    for vowel, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        table |= {vowel + "â": hat} | _with_tones(vowel, hat, _VNI_HAT_TONES)
    table |= {"aê": "ă"} | _with_tones("a", "ă", _VNI_BREVE_TONES)
    table |= _with_tones("ô", "ơ", _VNI_TONES) | _with_tones("ö", "ư", _VNI_TONES)
    del table["yï"]  # ỵ is the single "î"
    return table


class _Encoding:
    """One legacy encoding: its table, and a pattern finding any legacy sequence (the longest
    first: VNI's "oâ" before its "ô")."""

    def __init__(self, name: str, table: dict[str, str]) -> None:
        self.name, self.table = name, table
        self.pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))

    def convert(self, text: str) -> str:
        """``text`` with each of its words (see _WORD) holding a letter converted, in NFC: a dash
        or a quote alone (TCVN3's "–" is "Ọ") is left as written."""
        return _WORD.sub(lambda found: self._word(found.group()), text)

    def _word(self, word: str) -> str:
        if not _has_letter(word):
            return word
        converted = unicodedata.normalize(
            "NFC", self.pattern.sub(lambda found: self.table[found.group()], word))
        # Capitals in TCVN3 were the lower-case bytes drawn by an upper-case font (.VnTimeH):
        # "NGUYÔN" is "NGUYỄN", as its other letters say.
        latin = [ch for ch in word if ch.isascii() and ch.isalpha()]
        return converted.upper() if len(latin) > 1 and "".join(latin).isupper() else converted


def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


_vni = _vni_lower()
_ENCODINGS = (_Encoding("tcvn3", dict(zip(_TCVN3_LEGACY, _TCVN3_UNICODE, strict=True))),
              _Encoding("vni", _vni | {k.upper(): v.upper() for k, v in _vni.items()}))
TABLES = {e.name: e.table for e in _ENCODINGS}  # legacy sequence -> Unicode, by encoding
# A word: letters and the legacy characters of either encoding, which are not all letters in
# Unicode (TCVN3's "¨" is "ă"): a word of one encoding read as the other converts to no syllable.
_WORD = re.compile("(?:[^\\W\\d_]|["
                   + re.escape("".join(sorted({ch for t in TABLES.values() for ch in "".join(t)})))
                   + "])+")

# Vowel groups by whether a final consonant follows: never (they end in a semivowel, or "y" alone:
# "ý", "kỳ"), maybe, or always ("ăn", "yêu" aside, "iê" and "uô" close: "tiên", "muốn").
_OPEN = ("y ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưa ưi ưu ua uya uyu iêu yêu oai oao oay oeo "
         "uây uôi ươi ươu")
_MAYBE_CLOSED = "a e ê i o ô ơ u ư oa oe uê uy uơ"
_CLOSED = "ă â oă uâ iê yê uô ươ uyê oo"


def _either(words: str) -> str:
    return "(?:" + "|".join(sorted(words.split(), key=len, reverse=True)) + ")"


# the initial "q" alone too: "quýt" is q-uy-t
def _syllables(initials: str, finals: str) -> re.Pattern[str]:
    return re.compile(f"(?:{initials})?(?:{_either(_OPEN)}|{_either(_MAYBE_CLOSED)}(?:{finals})?"
                      f"|{_either(_CLOSED)}(?:{finals}))")


_SYLLABLE = _syllables("ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]", "ch|ng|nh|[cmnpt]")
# Place names of the Central Highlands and the north's minority languages, written in Vietnamese
# letters: initials such as "kr", "kb", "sr", "j" and a final "k" ("Đắk Lắk", "Krông Pắc", "Cư
# Jút", "Ia Grai", "Kbang", "Sró"). Allowed when telling legacy text, not in what counts as typed
# Vietnamese already.
_PLACE_SYLLABLE = _syllables(
    "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|kr|kb|bl|pl|sr|đr|gr|[bcdđghjklmnpqrstvx]",
    "ch|ng|nh|[cmnptk]")


@lru_cache(maxsize=65_536)
def is_syllable(word: str, *, place_name: bool = False) -> bool:
    """Whether ``word`` (any case, NFC or NFD) is written as a Vietnamese syllable: an initial
    consonant, a vowel group, a final consonant, at most one tone mark; with ``place_name``, also
    as a syllable of a minority-language place name written in Vietnamese letters."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    if len(decomposed) - len(bare) > 1 or len(bare) > 12:
        return False
    pattern = _PLACE_SYLLABLE if place_name else _SYLLABLE
    return pattern.fullmatch(unicodedata.normalize("NFC", bare)) is not None


def _score(encoding: _Encoding, words: set[str]) -> float:
    """The share of ``words`` (those of a text beyond ASCII) that are Vietnamese only once
    converted; 0 when one of them is no Vietnamese even converted (a word of the other encoding
    among them)."""
    legacy_only = 0
    for word in words:
        if not is_syllable(encoding.convert(word), place_name=True):
            return 0.0
        legacy_only += not is_syllable(word)
    return legacy_only / len(words) if words else 0.0


def detect(text: str) -> str | None:
    """``"tcvn3"`` or ``"vni"`` when ``text`` is clearly Vietnamese in that legacy encoding (see
    above); None otherwise."""
    if text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return None
    # each word once: a file's thousand rows repeat their words
    words = {w for w in _WORD.findall(text) if not w.isascii() and _has_letter(w)}
    scores = [_score(encoding, words) for encoding in _ENCODINGS]
    best = max(range(len(scores)), key=scores.__getitem__)  # the first, TCVN3, on a tie
    return _ENCODINGS[best].name if scores[best] > 0 else None


def to_unicode(text: str) -> tuple[str, str | None]:
    """``text`` in Unicode NFC and the legacy encoding it was converted from (``"tcvn3"``,
    ``"vni"``); ``text`` in NFC (decomposed marks composed: what is stored and searched) and None
    when it is not clearly legacy."""
    name = detect(text)
    if name is None:
        return unicodedata.normalize("NFC", text), None
    return next(e for e in _ENCODINGS if e.name == name).convert(text), name


def fields_to_unicode(value: Any, keys: frozenset[str]) -> tuple[Any, str | None]:
    """``value`` (JSON-like) with the text under any of ``keys``, at any depth of its objects,
    converted by to_unicode; and the encoding of the first converted. ``value`` is not changed."""
    if not isinstance(value, Mapping):
        return value, None
    found: str | None = None
    converted: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(item, str) and key in keys:
            item, name = to_unicode(item)
        else:
            item, name = fields_to_unicode(item, keys)
        converted[key], found = item, found or name
    return converted, found


def converted_notice(name: str) -> str:
    """What a page says of text converted from ``name``."""
    return f"Đã chuyển mã {NAMES[name]} sang Unicode / converted from {NAMES[name]}"
