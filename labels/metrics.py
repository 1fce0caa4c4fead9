"""Text measurement for layout, without loading a font file.

Layout must be identical for SVG and PNG, so it cannot depend on Pillow or on which
fonts a viewer has. We carry DejaVu Sans advance widths (font units, 2048/em, taken
from the Debian fonts-dejavu-core TTFs) for ASCII plus the Vietnamese letters whose
width differs from their base letter. Other accented letters are measured as their
base letter, which matches DejaVu (a diacritic does not change the advance width).
Arial, the SVG fallback, is narrower, so text laid out for DejaVu still fits.
"""

from __future__ import annotations

import unicodedata

_UNITS_PER_EM = 2048
_CHARS = "".join(chr(c) for c in range(32, 127)) + "ĐđƠơƯư…"
_REGULAR = (
    "651 821 942 1716 1303 1946 1597 563 799 799 1024 1716 651 739 651 690 1303 1303 1303 1303 "
    "1303 1303 1303 1303 1303 1303 690 690 1716 1716 1716 1087 2048 1401 1405 1430 1577 1294 1178 "
    "1587 1540 604 604 1343 1141 1767 1532 1612 1235 1612 1423 1300 1251 1499 1401 2025 1403 1251 "
    "1403 799 690 799 1716 1024 1024 1255 1300 1126 1300 1260 721 1300 1298 569 569 1186 569 1995 "
    "1298 1253 1300 1300 842 1067 803 1298 1212 1675 1212 1212 1075 1303 690 1303 1716 1587 1300 "
    "1870 1253 1757 1298 2048"
)
_BOLD = (
    "713 934 1067 1716 1425 2052 1786 627 936 936 1071 1716 778 850 778 748 1425 1425 1425 1425 "
    "1425 1425 1425 1425 1425 1425 819 819 1716 1716 1716 1188 2048 1585 1561 1503 1700 1399 1399 "
    "1681 1714 762 762 1587 1305 2038 1714 1741 1501 1741 1577 1475 1397 1663 1585 2259 1579 1483 "
    "1485 936 748 936 1716 1024 1024 1382 1466 1214 1466 1389 891 1466 1458 702 702 1362 702 2134 "
    "1458 1407 1466 1466 1010 1219 979 1458 1335 1892 1321 1335 1192 1458 748 1458 1716 1716 1466 "
    "1789 1407 1711 1458 2048"
)
_WIDTHS = {
    False: dict(zip(_CHARS, map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARS, map(int, _BOLD.split()), strict=True)),
}
_KNOWN = frozenset(_CHARS)  # the width tables grow with memoised characters; this set does not
_MEMO_LIMIT = 4096
_HORN = "\u031b"  # combining horn: ơ/ư are wider than o/u, so keep it when folding
ELLIPSIS = "…"


def _fold(char: str) -> str:
    """Map a character to one present in the width table (best effort)."""
    if char in _KNOWN:
        return char
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if _HORN in decomposed and base in "OoUu":
        return unicodedata.normalize("NFC", base + _HORN)
    return base if base in _KNOWN else "W"  # unknown: assume a wide glyph


def _char_width(char: str, bold: bool) -> int:
    """Width of one character in font units, memoised in the table itself: labels reuse
    the same few hundred characters, and folding each one every time dominated layout."""
    width = _WIDTHS[bold][_fold(char)]
    if len(_WIDTHS[bold]) < _MEMO_LIMIT:  # bounded: odd input must not grow it without end
        _WIDTHS[bold][char] = width
    return width


def text_width(text: str, size_mm: float, bold: bool = False) -> float:
    """Advance width of `text` in mm when set in DejaVu Sans at `size_mm` (em size)."""
    table = _WIDTHS[bold]
    try:
        units = sum(map(table.__getitem__, text))
    except KeyError:  # a character not seen before: fold and remember it
        units = sum(table[c] if c in table else _char_width(c, bold) for c in text)
    return units * size_mm / _UNITS_PER_EM


def truncate(text: str, max_mm: float, size_mm: float, bold: bool = False) -> str:
    """`text` unchanged if it fits in `max_mm`, else cut and ended with an ellipsis."""
    if text_width(text, size_mm, bold) <= max_mm:
        return text
    while text and text_width(text + ELLIPSIS, size_mm, bold) > max_mm:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(
    text: str, max_mm: float, size_mm: float, bold: bool = False, max_lines: int = 2
) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines no wider than `max_mm`.

    Words longer than a line and text beyond `max_lines` are truncated with an
    ellipsis: a label must never overflow its box, and the barcode/QR carry the
    authoritative data anyway.
    """
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if not current or text_width(candidate, size_mm, bold) <= max_mm:
            current = candidate
            continue
        if len(lines) == max_lines - 1:
            rest = " ".join([current, *words[index:]])
            return [*lines, truncate(rest, max_mm, size_mm, bold)]
        lines.append(truncate(current, max_mm, size_mm, bold))
        current = word
    if current:
        lines.append(truncate(current, max_mm, size_mm, bold))
    return lines


def shrink_to_fit(
    text: str, max_mm: float, size_mm: float, min_mm: float, bold: bool = False, max_lines: int = 1
) -> tuple[float, list[str]]:
    """Wrap `text` at the largest size in [`min_mm`, `size_mm`] (0.2 mm steps) that needs
    no truncation; at `min_mm` it is truncated. Identifiers and names are better small
    than cut."""
    size = size_mm
    while True:
        lines = wrap(text, max_mm, size, bold, max_lines)
        if size - 0.2 < min_mm or " ".join(lines) == " ".join(text.split()):  # nothing was cut
            return size, lines
        size = round(size - 0.2, 4)


def fit_size(text: str, max_mm: float, preferred_mm: float, bold: bool = True) -> float:
    """Largest font size <= `preferred_mm` at which `text` fits in `max_mm` on one line."""
    width_at_1mm = text_width(text, 1.0, bold)
    if width_at_1mm == 0:
        return preferred_mm
    return min(preferred_mm, max_mm / width_at_1mm)
