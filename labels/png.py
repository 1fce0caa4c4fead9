"""PNG rendering of a label, drawn directly at the printer's resolution.

Nothing is drawn large and scaled down: scaling smears bar edges, and a Code 128
module must be a whole number of dots (3 at 203 dpi, 4 at 300 dpi) for every bar to
keep its width ratio. The layout (labels.layout) has already snapped the symbols'
module sizes and origins to the dot grid for the requested dpi.

Everything is drawn in 1 bit straight into a packed page (labels.raster): a thermal
printer prints dots, not greys. Text is composed from glyphs FreeType rasterised once
per font and size (labels.glyphs), so a label costs little beyond making its two codes.
"""

from __future__ import annotations

import functools

from labels.glyphs import set_text
from labels.layout import MM_PER_INCH, Barcode, Layout, Qr, Rect, Text, build_layout
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.raster import Page

_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # a QR row of booleans as '0'/'1' text


def _dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / MM_PER_INCH)


def _bars(modules: bytes, module_dots: int) -> int:
    """A row of b'1'/b'0' modules widened to `module_dots` dots each, as an integer with
    dot 0 in the least significant bit."""
    wide = modules[::-1].replace(b"1", b"1" * module_dots).replace(b"0", b"0" * module_dots)
    return int(wide, 2)


def _barcode(page: Page, barcode: Barcode, dpi: int) -> None:
    """Each bar spans a whole number of modules of exactly `module` dots."""
    row = _bars(barcode.modules.encode(), _dots(barcode.module, dpi)) << _dots(barcode.x, dpi)
    page.repeat_row(row, _dots(barcode.y, dpi), _dots(barcode.height, dpi))


def _qr(page: Page, qr: Qr, dpi: int) -> None:
    """Each module a square of exactly `module` dots."""
    module, x = _dots(qr.module, dpi), _dots(qr.x, dpi)
    rows = [(_bars(bytes(cells).translate(_DIGITS), module) << x, module) for cells in qr.matrix]
    page.stack_rows(rows, _dots(qr.y, dpi))


def _text(page: Page, text: Text, dpi: int) -> None:
    run = set_text(text.text, text.size * dpi / MM_PER_INCH, text.bold, text.anchor, page.stride)
    if run is not None:
        page.run(run, _dots(text.x, dpi), _dots(text.y, dpi), white=text.inverse)


@functools.lru_cache(maxsize=32)
def _template(
    width: int, height: int, rects: tuple[Rect, ...], captions: tuple[Text, ...], dpi: int
) -> bytes:
    """The page with its frames, rules and captions: the same on every label of a layout
    variant (a dozen variants at most: stock, dpi, one or two office lines, cash or not)."""
    page = Page(width, height)
    for rect in rects:
        x0, y0 = _dots(rect.x, dpi), _dots(rect.y, dpi)
        page.fill(x0, y0, x0 + max(1, _dots(rect.w, dpi)), y0 + max(1, _dots(rect.h, dpi)))
    for text in captions:
        _text(page, text, dpi)
    return bytes(page.data)


def draw_layout(layout: Layout, dpi: int) -> Page:
    """The laid-out label on a 1-bit page at `dpi`: rects and captions from the cached
    template, then the symbols and the label's own text (inverse text after its band)."""
    width, height = _dots(layout.width, dpi), _dots(layout.height, dpi)
    captions = tuple(text for text in layout.texts if text.fixed)
    page = Page(width, height, _template(width, height, tuple(layout.rects), captions, dpi))
    _barcode(page, layout.barcode, dpi)
    _qr(page, layout.qr, dpi)
    for text in layout.texts:
        if not text.fixed:
            _text(page, text, dpi)
    return page


def render_label_png(label: LabelData, size: LabelSize = DEFAULT_SIZE, dpi: int = 203) -> bytes:
    """Render `label` as a 1-bit PNG at `dpi` (pHYs/dpi metadata set), ready for a
    thermal printer: image size is the label size in dots, e.g. 799x1199 at 203 dpi."""
    return draw_layout(build_layout(label, size, dpi), dpi).png(dpi)
