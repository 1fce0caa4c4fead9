"""ZPL II labels for Zebra-compatible thermal printers (203 or 300 dpi), from the shared layout.

The printer draws the symbols itself (`^BC` Code 128, `^BQ` QR), so they are as sharp as the
print head allows; positions come from `labels.layout` snapped to the printer's dots.

Injection: ZPL commands start with `^` or `~` anywhere in the stream, even inside field data,
so user text must never carry them. Every field is sent with `^FH` (hex escapes on): `^`, `~`
and `\\` are written as `\\5E`, `\\7E`, `\\5C`, which the printer turns back into the
characters only after the command parser has passed. Control characters are dropped.

Text uses `^CI28` (UTF-8) and a scalable TrueType font stored on the printer
(`E:DEJAVU.TTF` by default; the built-in font 0 lacks most Vietnamese letters). Load it once
per printer with `font_download_zpl()`. Or, with `text_as_graphics=True`, every text field is
sent as a `^GFA` graphic field drawn by our own 1-bit text code (labels.glyphs, as on the PNG
label), so any Zebra prints Vietnamese without a font download; the codes stay native.
"""

from __future__ import annotations

from pathlib import Path

from labels.glyphs import set_text
from labels.layout import MM_PER_INCH, Rect, Text, build_layout
from labels.model import DEFAULT_SIZE, LabelData, LabelSize

PRINTER_FONT = "E:DEJAVU.TTF"
PRINTER_FONT_BOLD = "E:DEJAVUB.TTF"
DPIS = (203, 300)
_ESCAPES = {"^": "\\5E", "~": "\\7E", "\\": "\\5C"}


def field_data(text: str) -> str:
    """`text` made safe for `^FH^FD...^FS`: no `^`/`~` can reach the command parser.

    Control characters (including CR/LF) are removed; `^`, `~` and `\\` become hex escapes,
    so the printed text still shows them.
    """
    return "".join(_ESCAPES.get(c, c) for c in text if c.isprintable())


class _Zpl:
    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.lines: list[str] = []

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def box(self, rect: Rect) -> None:
        w, h = max(1, self.dots(rect.w)), max(1, self.dots(rect.h))
        self.lines.append(
            f"^FO{self.dots(rect.x)},{self.dots(rect.y)}^GB{w},{h},{min(w, h)},B,0^FS"
        )

    def text(self, text: Text, width_mm: float) -> None:
        """`^FT` puts the origin on the baseline, like the layout; centred/right text uses a
        full-width `^FB` block so the printer aligns it with its own font metrics."""
        font = PRINTER_FONT_BOLD if text.bold else PRINTER_FONT
        height = self.dots(text.size)
        reverse = "^FR" if text.inverse else ""
        if text.anchor == "start":
            origin = f"^FT{self.dots(text.x)},{self.dots(text.y)}"
        else:
            block_w = (
                self.dots(2 * min(text.x, width_mm - text.x))
                if text.anchor == "middle"
                else self.dots(text.x)
            )
            left = self.dots(text.x) - (block_w // 2 if text.anchor == "middle" else block_w)
            align = "C" if text.anchor == "middle" else "R"
            origin = f"^FT{left},{self.dots(text.y)}^FB{block_w},1,0,{align},0"
        self.lines.append(
            f"{origin}^A@N,{height},{height},{font}{reverse}^FH\\^FD{field_data(text.text)}^FS"
        )

    def graphic_text(self, text: Text, width_mm: float) -> None:
        """The text as a `^GFA` field (hex, 1 = black), drawn as on the PNG label; `^FR`
        (reverse) for white text on its black band."""
        stride = 8 * (1 + (self.dots(width_mm) + 7) // 8)
        run = set_text(
            text.text, text.size * self.dpi / MM_PER_INCH, text.bold, text.anchor, stride
        )
        if run is None:
            return
        rows = run.packed_rows()
        total = len(rows) * len(rows[0])
        x, y = max(0, self.dots(text.x) + run.left), max(0, self.dots(text.y) + run.top)
        reverse = "^FR" if text.inverse else ""
        self.lines.append(
            f"^FO{x},{y}{reverse}^GFA,{total},{total},{len(rows[0])},"
            f"{b''.join(rows).hex().upper()}^FS"
        )


def render_label_zpl(
    label: LabelData, size: LabelSize = DEFAULT_SIZE, dpi: int = 203, text_as_graphics: bool = False
) -> str:
    """One label as a ZPL II program (`^XA` ... `^XZ`, UTF-8 via `^CI28`) for a `dpi` printer;
    with `text_as_graphics`, text as `^GFA` fields that need no font on the printer.

    Raises ValueError for a dpi other than 203 or 300 and whatever `build_layout` raises.
    The result contains exactly one `^XA` and one `^XZ` and no `~` command, whatever the
    label's text says.
    """
    if dpi not in DPIS:
        raise ValueError(f"dpi must be one of {DPIS}")
    layout = build_layout(label, size, dpi)
    zpl = _Zpl(dpi)
    for rect in layout.rects:
        zpl.box(rect)
    bar = layout.barcode
    zpl.lines.append(
        f"^FO{zpl.dots(bar.x)},{zpl.dots(bar.y)}^BY{zpl.dots(bar.module)}"
        f"^BCN,{zpl.dots(bar.height)},N,N,N,A^FH\\^FD{field_data(label.tracking_number)}^FS"
    )
    qr = layout.qr
    # ^BQ model 2, magnification = module size in dots; "MA," = error correction M, automatic input
    zpl.lines.append(f"^FO{zpl.dots(qr.x)},{zpl.dots(qr.y)}^BQN,2,{zpl.dots(qr.module)}"
                     f"^FH\\^FDMA,{field_data(label.qr_url)}^FS")
    for text in layout.texts:
        (zpl.graphic_text if text_as_graphics else zpl.text)(text, layout.width)
    head = [
        "^XA", "^CI28", f"^PW{zpl.dots(layout.width)}", f"^LL{zpl.dots(layout.height)}", "^LH0,0"
    ]
    return "\n".join([*head, *zpl.lines, "^PQ1", "^XZ"]) + "\n"


def font_download_zpl(path: Path, name: str = PRINTER_FONT) -> bytes:
    """A `~DY` command that stores the TrueType font at `path` on the printer as `name`
    (e.g. DejaVu Sans as E:DEJAVU.TTF); send it once per printer before the first label."""
    data = path.read_bytes()
    drive, _, filename = name.partition(":")
    stem = filename.rsplit(".", 1)[0]
    return f"~DY{drive}:{stem},B,T,{len(data)},,".encode("ascii") + data + b"\n"
