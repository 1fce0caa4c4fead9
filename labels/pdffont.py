"""DejaVu Sans embedded in a PDF as TrueType subsets, so Vietnamese prints and extracts as text.

The PDF built-in fonts have no Vietnamese letters, so every PDF we write embeds the glyphs it
uses. ReportLab parses the TTF and cuts the subsets; we only keep the bookkeeping. Each subset
is a simple TrueType font of at most 256 one-byte codes (code 0 is .notdef) with a ToUnicode
map, which is what lets `pypdfium2`/`pdftotext` give the text back.

Subsets are decided while pages are written and the font objects are written after the last
page, so a streamed document never needs to know its whole text in advance.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile, makeToUnicodeCMap

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}
_SUBSET_SIZE = 256
_subset_lock = threading.Lock()  # TTFontFile seeks a shared buffer while cutting a subset


def _base_characters() -> list[int]:
    """ASCII, every Vietnamese letter (12 vowels x 6 tones, both cases, and đ/Đ) and a few marks:
    240 characters, so almost every label needs only this one subset, cut once per process."""
    vowels = "aăâeêioôơuưy"
    letters = {unicodedata.normalize("NFC", base + tone) for base in vowels + vowels.upper()
               for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")}
    return sorted(
        {*map(ord, letters), *range(32, 127), *map(ord, "đĐ…—–•·°“”‘’")}
    )


BASE_CHARACTERS = [0, *_base_characters()]  # code 0 is .notdef


class FontMissing(RuntimeError):
    """The TrueType font a PDF needs is not installed (Debian: fonts-dejavu-core)."""


@functools.lru_cache(maxsize=2)
def font_file(bold: bool) -> TTFontFile:
    """The parsed DejaVu Sans (Bold) TTF, once per process; raises FontMissing with the fix."""
    path = FONT_FILES[bold]
    if not path.is_file():
        raise FontMissing(f"{path} not found: PDF labels embed DejaVu Sans for Vietnamese; "
                          "install the Debian package fonts-dejavu-core")
    return TTFontFile(str(path))


class EmbeddedFont:
    """One face (regular or bold) of one document: which character got which (subset, code)."""

    def __init__(self, bold: bool) -> None:
        self.bold = bold
        self.face = font_file(bold)
        # subset 0 is the same for every document, so its font program is cut and compressed
        # only once
        self.subsets: list[list[int]] = [list(BASE_CHARACTERS)]
        self.codes: dict[str, tuple[int, int]] = dict(_base_codes())
        self.used = False
        self.prefix = "FB" if bold else "FR"

    def _assign(self, char: str) -> tuple[int, int]:
        if ord(char) not in self.face.charToGlyph:
            return 0, 0  # .notdef: a visible box rather than a silently wrong letter
        if len(self.subsets[-1]) == _SUBSET_SIZE:
            self.subsets.append([0])
        subset = self.subsets[-1]
        subset.append(ord(char))
        self.codes[char] = place = (len(self.subsets) - 1, len(subset) - 1)
        return place

    def runs(self, text: str) -> Iterator[tuple[str, bytes]]:
        """`text` as (font resource name, one-byte codes) runs, assigning codes on first use."""
        self.used = True
        current, codes = -1, bytearray()
        for char in text:
            subset, code = self.codes.get(char) or self._assign(char)
            if subset != current and codes:
                yield f"{self.prefix}{current}", bytes(codes)
                codes = bytearray()
            current = subset
            codes.append(code)
        if codes:
            yield f"{self.prefix}{current}", bytes(codes)

    def width(self, text: str, size: float) -> float:
        """Advance width of `text` at em size `size` (same unit as `size`)."""
        widths, default = self.face.charWidths, self.face.defaultWidth
        return sum(widths.get(ord(c), default) for c in text) * size / 1000.0

    def objects(self, first_id: int) -> Iterator[tuple[int, bytes, str]]:
        """PDF objects for every subset as (object id, body, resource name), ids from `first_id`."""
        next_id = first_id
        for index, subset in enumerate(self.subsets):
            name = f"{_tag(self.bold, index)}+{self.face.name.decode('latin-1')}"
            file_id, cmap_id, descriptor_id, font_id = range(next_id, next_id + 4)
            yield file_id, _font_program(self.bold, tuple(subset)), ""
            yield cmap_id, _cmap(name, tuple(subset)), ""
            yield descriptor_id, self._descriptor(name, file_id), ""
            widths = _widths(self.bold, tuple(subset))
            yield font_id, (
                f"<< /Type /Font /Subtype /TrueType /BaseFont /{name}"
                f" /FirstChar 0 /LastChar {len(subset) - 1} /Widths [{widths}]"
                f" /FontDescriptor {descriptor_id} 0 R /ToUnicode {cmap_id} 0 R >>"
            ).encode("ascii"), f"{self.prefix}{index}"
            next_id += 4

    def _descriptor(self, name: str, file_id: int) -> bytes:
        face = self.face
        flags = (face.flags & ~32) | 4  # symbolic: our codes are not a standard encoding
        bbox = " ".join(str(round(v)) for v in face.bbox)
        return (
            f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{bbox}]"
            f" /ItalicAngle {face.italicAngle} /Ascent {round(face.ascent)}"
            f" /Descent {round(face.descent)}"
            f" /CapHeight {round(face.capHeight)} /StemV {round(face.stemV)}"
            f" /MissingWidth {round(face.defaultWidth)} /FontFile2 {file_id} 0 R >>"
        ).encode("ascii")


@functools.lru_cache(maxsize=1)
def _base_codes() -> tuple[tuple[str, tuple[int, int]], ...]:
    return tuple((chr(c), (0, code)) for code, c in enumerate(BASE_CHARACTERS) if code)


@functools.lru_cache(maxsize=16)
def _font_program(bold: bool, subset: tuple[int, ...]) -> bytes:
    """The FontFile2 stream of a subset (cached: the base subset is in every document)."""
    with _subset_lock:
        program = font_file(bold).makeSubset(list(subset))
    return stream(program, f"/Length1 {len(program)}")


@functools.lru_cache(maxsize=16)
def _cmap(name: str, subset: tuple[int, ...]) -> bytes:
    return stream(makeToUnicodeCMap(name, list(subset)).encode("ascii"))


@functools.lru_cache(maxsize=16)
def _widths(bold: bool, subset: tuple[int, ...]) -> str:
    face = font_file(bold)
    return " ".join(str(round(face.charWidths.get(c, face.defaultWidth))) for c in subset)


def _tag(bold: bool, index: int) -> str:
    """Six capital letters naming a subset (PDF requires the `ABCDEF+` prefix on subset fonts)."""
    digits = f"{index:05d}".translate(str.maketrans("0123456789", "ABCDEFGHIJ"))
    return ("B" if bold else "R") + digits


def stream(data: bytes, extra: str = "") -> bytes:
    """A Flate-compressed stream object body (`extra`: more dictionary entries)."""
    packed = zlib.compress(data, 6)
    header = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode("ascii")
    return header + packed + b"\nendstream"
