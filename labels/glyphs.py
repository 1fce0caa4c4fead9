"""Text set in 1 bit from cached glyph bitmaps, for the raster renderers (PNG, ZPL ^GF).

Asking FreeType to lay out and rasterise every string (Pillow's `ImageDraw.text`) re-hints
each glyph every time; it cost more than everything else on a PNG label together. A label
uses a few hundred distinct characters at a dozen sizes, so each glyph is rasterised once
per (font, pixel size) with FreeType's hinted monochrome renderer (through Pillow) and kept
as bits, and each string is composed from them with HarfBuzz's advances and pair kerning
(asked once per pair through Pillow's raqm layout). The result matches Pillow's own
rendering of the whole string, except that Pillow may shift a whole line by one dot (it
positions a line by the glyphs' outline boxes but draws them by their bitmap boxes).

Only simple text takes this path: Latin and Vietnamese letters (precomposed, NFC),
digits, punctuation. Anything that needs real shaping (combining marks, right-to-left or
complex scripts) is drawn by Pillow as a whole string, which is slower but right.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # left/middle/right, on the baseline
# the tallest capitals (stacked diacritics); which is tallest varies by size
_TALL = "ẨẪẲẴỂỄỔỖǺǼǾ"
_LIGATURES = ("ff", "fi", "fl")  # DejaVu's default ligatures: one glyph for two letters
_MEMO_LIMIT = 2048  # per face: odd input must not grow the caches without end
_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))  # MSB-first <-> LSB-first bytes


@functools.lru_cache(maxsize=64)
def font(px: float, bold: bool) -> Font:
    """DejaVu Sans (which has all Vietnamese letters) at `px`; Pillow's default font if
    the file is missing, logged because diacritics may then render as boxes."""
    path = FONT_FILES[bold]
    try:
        return ImageFont.truetype(str(path), px)
    except OSError as exc:
        log.warning(
            "label font %s unavailable (%s); using Pillow's default font, "
            "Vietnamese diacritics may not render — install fonts-dejavu-core",
            path,
            exc,
        )
        return ImageFont.load_default(px)


@functools.lru_cache(maxsize=4096)
def is_simple(text: str) -> bool:
    """True if every character can be drawn on its own: Latin (Vietnamese included,
    precomposed), general punctuation and currency signs; no marks, controls, bidi or
    ligatures."""
    return all(_simple_char(char) for char in text) and not any(pair in text for pair in _LIGATURES)


@functools.lru_cache(maxsize=4096)
def _simple_char(char: str) -> bool:
    code = ord(char)
    in_range = (
        0x20 <= code < 0x250
        or 0x1E00 <= code < 0x1F00
        or 0x2010 <= code < 0x2060
        or 0x20A0 <= code < 0x20D0
    )
    return in_range and unicodedata.category(char) not in ("Cc", "Cf", "Mn", "Me", "Zl", "Zp")


def _draw(image: Image.Image) -> ImageDraw.ImageDraw:
    """A drawing context that asks FreeType for hinted 1-bit glyphs (Pillow's default on
    a 1-bit image is anti-aliased glyphs thresholded, which loses thin strokes)."""
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    return draw


@dataclass(frozen=True, slots=True)
class Glyph:
    """One rasterised character. Its ink's top-left dot lies `dx` dots right of the pen
    and `dy` dots below the baseline (negative: above); `rows` are its ink rows as
    integers, bit i = column dx + i (least significant bit leftmost), set = ink."""

    dx: int
    dy: int
    width: int
    rows: tuple[int, ...]
    advance: int  # 26.6 fixed point, as HarfBuzz gives it


@dataclass(frozen=True, slots=True)
class Run:
    """A set line: ink rows packed at `stride` bits a row (bit `row * stride + col`,
    set = ink), whose top-left dot lies `left` dots right of and `top` dots below the
    anchor point (the text's x and baseline)."""

    left: int
    top: int
    width: int
    height: int
    stride: int
    bits: int

    def packed_rows(self) -> list[bytes]:
        """Rows as MSB-first bytes, set = ink (the layout of ZPL ^GF and of 1-bit PNG)."""
        row_bytes = (self.width + 7) // 8
        mask = (1 << self.width) - 1
        return [
            ((self.bits >> (row * self.stride)) & mask)
            .to_bytes(row_bytes, "little")
            .translate(_REVERSED)
            for row in range(self.height)
        ]


class Face:
    """DejaVu Sans at one pixel size and weight: glyph bitmaps and pair kerning, cached."""

    def __init__(self, px: float, bold: bool) -> None:
        self.font = font(px, bold)
        self.glyphs: dict[str, Glyph] = {}
        self.kerning: dict[str, int] = {}
        self.strided: dict[int, dict[str, int]] = {}  # stride -> char -> bits
        self.lead: tuple[str, int] | None = None  # see _rasterise

    def _length(self, text: str) -> int:
        return round(self.font.getlength(text, mode="1") * 64)

    def glyph(self, char: str) -> Glyph:
        found = self.glyphs.get(char)
        if found is None:
            found = self._rasterise(char)
            if len(self.glyphs) < _MEMO_LIMIT:
                self.glyphs[char] = found
        return found

    def _ink(self, text: str, from_x: int) -> tuple[Image.Image, int, int] | None:
        """`text` drawn by Pillow; its ink right of `from_x` cropped, with the ink's left and
        top in dots from the anchor (start of the baseline); None if it has no ink there."""
        x0, y0, x1, y1 = self.font.getbbox(text, mode="1", anchor="ls")
        image = Image.new("1", (max(1, x1 - x0), max(1, y1 - y0)), 0)
        _draw(image).text((-x0, -y0), text, font=self.font, fill=1, anchor="ls")
        skip = max(0, from_x - x0)
        box = image.crop((skip, 0, image.width, image.height)).getbbox()
        if box is None:
            return None
        return (
            image.crop((box[0] + skip, box[1], box[2] + skip, box[3])),
            box[0] + skip + x0,
            box[1] + y0,
        )

    def _rasterise(self, char: str) -> Glyph:
        """Draw `char` after a tall capital and two spaces, and keep its ink relative to
        its pen. Pillow places a string by its glyphs' outline boxes but draws them by their
        bitmap boxes, which may differ by a dot at the string's left and top edges; after
        the lead those edges belong to the capital (alike for every glyph of this face),
        so each glyph keeps its true place relative to the others."""
        advance = self._length(char)
        if self.lead is None:
            tallest = min(
                _TALL, key=lambda capital: self.font.getbbox(capital, mode="1", anchor="ls")[1]
            )
            lead = self._ink(tallest + "  ", 0)
            self.lead = (tallest + "  ", 0 if lead is None else lead[1] + lead[0].width)
        lead_text, lead_right = self.lead
        drawn = self._ink(lead_text + char, lead_right)
        if drawn is None:  # a space: advance only
            return Glyph(0, 0, 0, (), advance)
        ink, left, top = drawn
        pen = (self._length(lead_text + char) - advance + 32) >> 6
        row_bytes = (ink.width + 7) // 8
        data = ink.tobytes().translate(_REVERSED)
        rows = tuple(
            int.from_bytes(data[r * row_bytes : (r + 1) * row_bytes], "little")
            for r in range(ink.height)
        )
        return Glyph(left - pen, top, ink.width, rows, advance)

    def kern(self, pair: str) -> int:
        """HarfBuzz's adjustment between two characters, 26.6 (0 for most pairs)."""
        found = self.kerning.get(pair)
        if found is None:
            found = self._length(pair) - self.glyph(pair[0]).advance - self.glyph(pair[1]).advance
            if len(self.kerning) < _MEMO_LIMIT:
                self.kerning[pair] = found
        return found

    def strided_bits(self, char: str, stride: int) -> int:
        """The glyph's rows packed at `stride` bits a row (cached: labels reuse letters)."""
        table = self.strided.setdefault(stride, {})
        found = table.get(char)
        if found is None:
            found = 0
            for index, row in enumerate(self.glyph(char).rows):
                found |= row << (index * stride)
            if len(table) < _MEMO_LIMIT:
                table[char] = found
        return found


@functools.lru_cache(maxsize=64)
def face(px: float, bold: bool) -> Face:
    return Face(px, bold)


def _placed(
    face_: Face, text: str
) -> tuple[list[tuple[str, Glyph, int]], int, tuple[int, int, int, int]]:
    """The inked glyphs of `text` with their pen positions in whole dots (rounded as
    FreeType does), the total advance in 26.6, from HarfBuzz's advances and pair kerning,
    and the ink's box (left, top, right, bottom) in dots from the start of the baseline.
    One tight loop: this runs for every line of every label."""
    glyphs, kerning = face_.glyphs, face_.kerning
    placed = []
    position = 0
    previous = ""
    left = top = 1 << 30
    right = bottom = -(1 << 30)
    for char in text:
        if previous:
            pair = previous + char
            kern = kerning.get(pair)
            position += face_.kern(pair) if kern is None else kern
        glyph = glyphs.get(char) or face_.glyph(char)
        if glyph.rows:
            x = ((position + 32) >> 6) + glyph.dx
            placed.append((char, glyph, x))
            if x < left:
                left = x
            if x + glyph.width > right:
                right = x + glyph.width
            if glyph.dy < top:
                top = glyph.dy
            if glyph.dy + len(glyph.rows) > bottom:
                bottom = glyph.dy + len(glyph.rows)
        position += glyph.advance
        previous = char
    return placed, position, (left, top, right, bottom)


# a label's ~20 lines: captions stay, each citizen's own lines pass
@functools.lru_cache(maxsize=128)
def set_text(text: str, px: float, bold: bool, anchor: str, stride: int) -> Run | None:
    """`text` set in DejaVu Sans at `px` against the anchor point ("start", "middle" or
    "end" of the baseline), packed at `stride` bits a row (at least the run's width).
    None if the text has no ink. Raises ValueError if the text is wider than `stride`.

    Cached (bounded): the captions, and the sender, office and sort code of a day's
    batch, are the same on every label."""
    if not is_simple(text):
        return _set_by_pillow(text, px, bold, anchor, stride)
    face_ = face(px, bold)
    placed, total, (left, top, right, bottom) = _placed(face_, text)
    if not placed:
        return None
    shift = {"start": 0, "middle": ((total // 2) + 32) >> 6, "end": (total + 32) >> 6}[anchor]
    if right - left > stride:
        raise ValueError(f"text is {right - left} dots wide, more than the stride {stride}")
    strided = face_.strided.get(stride) or {}
    bits = 0
    for char, glyph, x in placed:
        rows = strided.get(char) or face_.strided_bits(char, stride)
        bits |= rows << ((glyph.dy - top) * stride + x - left)
    return Run(left - shift, top, right - left, bottom - top, stride, bits)


def _set_by_pillow(text: str, px: float, bold: bool, anchor: str, stride: int) -> Run | None:
    """The whole string through Pillow (raqm shaping): right for any script, slower."""
    font_ = font(px, bold)
    x0, y0, x1, y1 = font_.getbbox(text, mode="1", anchor=_ANCHORS[anchor])
    image = Image.new("1", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    _draw(image).text((-x0, -y0), text, font=font_, fill=1, anchor=_ANCHORS[anchor])
    if image.getbbox() is None:
        return None
    if image.width > stride:
        raise ValueError(f"text is {image.width} dots wide, more than the stride {stride}")
    row_bytes = (image.width + 7) // 8
    data = image.tobytes().translate(_REVERSED)
    bits = 0
    for row in range(image.height):
        bits |= (
            int.from_bytes(data[row * row_bytes : (row + 1) * row_bytes], "little")
            << (row * stride)
        )
    return Run(x0, y0, image.width, image.height, stride, bits)
