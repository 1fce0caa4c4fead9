"""SVG rendering of a label: a standalone document whose user unit is 1 mm."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from labels.layout import FONT_FAMILY, Barcode, Qr, Rect, Text, build_layout
from labels.model import DEFAULT_SIZE, LabelData, LabelSize


def _num(value: float) -> str:
    """Compact decimal for coordinates (mm); 4 places is far below a printer dot."""
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _rect(rect: Rect) -> str:
    return (
        f'<rect x="{_num(rect.x)}" y="{_num(rect.y)}"'
        f' width="{_num(rect.w)}" height="{_num(rect.h)}"/>'
    )


def _text(text: Text) -> str:
    """One <text>; content is XML-escaped (names may contain <, & or quotes)."""
    weight = ' font-weight="bold"' if text.bold else ""
    fill = ' fill="#fff"' if text.inverse else ""
    return (
        f'<text x="{_num(text.x)}" y="{_num(text.y)}" font-size="{_num(text.size)}"'
        f' text-anchor="{text.anchor}"{weight}{fill}>{escape(text.text)}</text>'
    )


def _barcode_rects(barcode: Barcode) -> list[str]:
    """One <rect> per bar (a run of consecutive '1' modules), so bar widths are
    exact multiples of the module and can be checked from the SVG alone."""
    rects: list[str] = []
    start = None
    for index, bit in enumerate(barcode.modules + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit == "0" and start is not None:
            x = barcode.x + start * barcode.module
            rects.append(
                _rect(Rect(x, barcode.y, (index - start) * barcode.module, barcode.height))
            )
            start = None
    return rects


def _qr_path(qr: Qr) -> str:
    """The QR as a single <path> of unit squares in module coordinates, scaled once;
    crispEdges stops anti-aliasing seams between adjacent modules."""
    squares = [
        f"M{col} {row}h1v1h-1z"
        for row, cells in enumerate(qr.matrix)
        for col, dark in enumerate(cells)
        if dark
    ]
    transform = f"translate({_num(qr.x)} {_num(qr.y)}) scale({_num(qr.module)})"
    return f'<path class="qr" transform="{transform}" d="{"".join(squares)}"/>'


def render_label_svg(label: LabelData, size: LabelSize = DEFAULT_SIZE) -> str:
    """Render `label` as a standalone SVG document.

    The root has ``width="<W>mm" height="<H>mm" viewBox="0 0 W H"`` so 1 user unit is
    1 mm. The barcode is drawn as one <rect> per bar inside <g class="barcode">
    with a module of exactly 0.5 mm; the QR is one <path>. All user text is escaped.
    """
    layout = build_layout(label, size)
    w, h = _num(layout.width), _num(layout.height)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm"'
        f' viewBox="0 0 {w} {h}">',
        f"<title>{escape(label.tracking_number)}</title>",
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#fff"/>',
        f'<g fill="#000" shape-rendering="crispEdges" font-family={quoteattr(FONT_FAMILY)}>',
        *(_rect(rect) for rect in layout.rects),
        '<g class="barcode">',
        *_barcode_rects(layout.barcode),
        "</g>",
        _qr_path(layout.qr),
        *(_text(text) for text in layout.texts),
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
