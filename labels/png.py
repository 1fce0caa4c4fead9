"""PNG rendering of a label, drawn directly at the printer's resolution.

Nothing is drawn large and scaled down: scaling smears bar edges, and a Code 128
module must be a whole number of dots (3 at 203 dpi, 4 at 300 dpi) for every bar to
keep its width ratio. The layout (labels.layout) has already snapped the symbols'
module sizes and origins to the dot grid for the requested dpi.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labels.layout import MM_PER_INCH, Barcode, Qr, Rect, Text, build_layout
from labels.model import DEFAULT_SIZE, LabelData, LabelSize

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # left/middle/right, on the baseline
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.lru_cache(maxsize=64)
def _font(px: float, bold: bool) -> Font:
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


class _Canvas:
    """An 8-bit white page addressed in mm, rounded to whole dots."""

    def __init__(self, width_mm: float, height_mm: float, dpi: int) -> None:
        self.dpi = dpi
        self.image = Image.new("1", (self.dots(width_mm), self.dots(height_mm)), 1)
        self.draw = ImageDraw.Draw(self.image)
        self.draw.fontmode = "1"  # glyphs straight to 1 bit: no anti-aliasing to threshold away afterwards

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def box(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Fill dots x0..x1-1, y0..y1-1 (half-open, like the mm geometry); never empty."""
        self.draw.rectangle((x0, y0, max(x0, x1 - 1), max(y0, y1 - 1)), fill=0)

    def rect(self, rect: Rect) -> None:
        x0, y0 = self.dots(rect.x), self.dots(rect.y)
        self.box(x0, y0, x0 + max(1, self.dots(rect.w)), y0 + max(1, self.dots(rect.h)))

    def barcode(self, barcode: Barcode) -> None:
        """Each bar spans a whole number of modules of exactly `module_dots` dots."""
        x0, y0, module = self.dots(barcode.x), self.dots(barcode.y), self.dots(barcode.module)
        y1 = y0 + self.dots(barcode.height)
        start = None
        for index, bit in enumerate(barcode.modules + "0"):
            if bit == "1" and start is None:
                start = index
            elif bit == "0" and start is not None:
                self.box(x0 + start * module, y0, x0 + index * module, y1)
                start = None

    def qr(self, qr: Qr) -> None:
        x0, y0, module = self.dots(qr.x), self.dots(qr.y), self.dots(qr.module)
        for row, cells in enumerate(qr.matrix):
            for col, dark in enumerate(cells):
                if dark:
                    x, y = x0 + col * module, y0 + row * module
                    self.box(x, y, x + module, y + module)

    def text(self, text: Text) -> None:
        font = _font(text.size * self.dpi / MM_PER_INCH, text.bold)
        self.draw.text(
            (self.dots(text.x), self.dots(text.y)),
            text.text,
            font=font,
            fill=1 if text.inverse else 0,
            anchor=_ANCHORS[text.anchor],
        )


def render_label_png(label: LabelData, size: LabelSize = DEFAULT_SIZE, dpi: int = 203) -> bytes:
    """Render `label` as a 1-bit PNG at `dpi` (pHYs/dpi metadata set), ready for a
    thermal printer: image size is the label size in dots, e.g. 799x1199 at 203 dpi.

    Everything is drawn in 1 bit with FreeType's hinted monochrome glyphs: a thermal
    printer prints dots, not greys, and skipping a grey canvas and its threshold pass
    keeps the render cheap.
    """
    layout = build_layout(label, size, dpi)
    canvas = _Canvas(layout.width, layout.height, dpi)
    for rect in layout.rects:
        canvas.rect(rect)
    canvas.barcode(layout.barcode)
    canvas.qr(layout.qr)
    for text in layout.texts:
        canvas.text(text)
    bitmap = canvas.image
    out = io.BytesIO()
    # Fast deflate: a 1-bit label compresses well anyway, and optimize=True cost more than all the drawing.
    bitmap.save(out, format="PNG", dpi=(dpi, dpi), compress_level=1)
    return out.getvalue()
