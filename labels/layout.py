"""The one place where the label's geometry is decided (all units mm, origin top-left).

Both renderers only translate the primitives below into SVG elements or Pillow draw
calls, so the two formats cannot drift apart. Given a `dpi`, symbol modules and their
origins are snapped to whole printer dots (scanners need every bar/module to be the
same width); without it (SVG) the nominal sizes are used exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from labels import metrics
from labels.codes import code128_modules, qr_matrix, spaced_s10
from labels.model import DEFAULT_SIZE, LabelData, LabelSize

MM_PER_INCH = 25.4
BAR_MODULE_MM = 0.5  # 4 dots at 203 dpi, 6 at 300: a phone still reads it from 25-30 cm
BAR_HEIGHT_MM = 17.0
BAR_QUIET_MODULES = 10
QR_QUIET_MODULES = 4
QR_MIN_SYMBOL_MM = 25.0
QR_MIN_MODULE_MM = 0.5  # below this a phone at arm's length struggles; refuse instead
MARGIN = 3.0
RULE = 0.4
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Text:
    """One line of text. `y` is the baseline; `size` the em size in mm."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    anchor: Anchor = "start"
    inverse: bool = False  # white text (drawn on a black Rect listed before it)
    # a caption, the same on every label: raster renderers may draw it once and keep it
    fixed: bool = False


@dataclass(frozen=True)
class Rect:
    """A filled black rectangle (rules, frames, inverse backgrounds)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Barcode:
    """Code 128 symbol: `modules` ('1' = bar) starting at `x`; quiet zones lie outside."""

    x: float
    y: float
    module: float
    height: float
    modules: str

    @property
    def width(self) -> float:
        return len(self.modules) * self.module


@dataclass(frozen=True)
class Qr:
    """QR symbol with its top-left dark-module corner at (x, y); quiet zone lies outside."""

    x: float
    y: float
    module: float
    matrix: list[list[bool]]

    @property
    def width(self) -> float:
        return len(self.matrix) * self.module


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    rects: list[Rect]
    texts: list[Text]
    barcode: Barcode
    qr: Qr


def _snap(mm: float, dpi: int | None) -> float:
    """Round a length to the printer's dot grid (identity for vector output)."""
    return mm if dpi is None else round(mm * dpi / MM_PER_INCH) * MM_PER_INCH / dpi


def _whole_dots_below(mm: float, dpi: int | None) -> float:
    """Largest whole-dot length <= `mm` (identity for vector output)."""
    return mm if dpi is None else math.floor(mm * dpi / MM_PER_INCH) * MM_PER_INCH / dpi


def frame(x: float, y: float, w: float, h: float, stroke: float) -> list[Rect]:
    """Outline of a box as four filled rects (so renderers need only one primitive)."""
    return [
        Rect(x, y, w, stroke),
        Rect(x, y + h - stroke, w, stroke),
        Rect(x, y, stroke, h),
        Rect(x + w - stroke, y, stroke, h),
    ]


class _Column:
    """Flows text lines downwards inside a column, never below `bottom`."""

    def __init__(self, x: float, top: float, width: float, bottom: float) -> None:
        self.x, self.cursor, self.width, self.bottom = x, top, width, bottom
        self.texts: list[Text] = []

    def add(
        self,
        text: str,
        size: float,
        bold: bool = False,
        max_lines: int = 1,
        gap: float = 0.0,
        min_size: float | None = None,
        fixed: bool = False,
    ) -> None:
        """Wrap `text` (shrinking it down to `min_size` rather than truncating, if given)
        and place it; lines that would pass `bottom` are dropped. `fixed`: a caption."""
        size, lines = metrics.shrink_to_fit(
            text, self.width, size, min_size or size, bold, max_lines
        )
        for line in lines:
            # 1 em above baseline: room for Vietnamese stacked accents
            baseline = self.cursor + gap + size
            if baseline + 0.25 * size > self.bottom:
                return
            self.texts.append(Text(self.x, baseline, line, size, bold, fixed=fixed))
            self.cursor, gap = baseline + 0.25 * size, 0.0


def _barcode(label: LabelData, width: float, top: float, dpi: int | None) -> Barcode:
    """Centered Code 128; raises ValueError if it cannot fit with its quiet zones."""
    modules = code128_modules(label.tracking_number)
    module = _snap(BAR_MODULE_MM, dpi)
    needed = (len(modules) + 2 * BAR_QUIET_MODULES) * module
    if needed > width - 2 * MARGIN:
        raise ValueError(
            f"barcode needs {needed:.1f} mm but the label has {width - 2 * MARGIN:.1f} mm"
        )
    x = _snap((width - len(modules) * module) / 2, dpi)
    return Barcode(x, _snap(top, dpi), module, _snap(BAR_HEIGHT_MM, dpi), modules)


def _qr(url: str, x: float, y: float, side: float, dpi: int | None) -> Qr:
    """QR centered in the square (x, y, side) which includes the 4-module quiet zone."""
    matrix = qr_matrix(url)
    module = _whole_dots_below(side / (len(matrix) + 2 * QR_QUIET_MODULES), dpi)
    symbol = len(matrix) * module
    if module < QR_MIN_MODULE_MM or symbol < QR_MIN_SYMBOL_MM:
        raise ValueError(
            f"qr_url too long for a label QR ({len(matrix)} modules, {module:.2f} mm each)"
        )
    offset = (side - symbol) / 2
    return Qr(_snap(x + offset, dpi), _snap(y + offset, dpi), module, matrix)


def _header(label: LabelData, width: float, bottom: float) -> tuple[list[Rect], list[Text]]:
    """Sender on the left; the hub sort code, as large as fits, boxed on the right."""
    box_w, box_x = 34.0, width - MARGIN - 34.0
    box_h = bottom - MARGIN - 1.5
    sender = _Column(MARGIN, MARGIN - 0.6, box_x - MARGIN - 2.0, bottom)
    sender.add("Người gửi / From:", 2.3, fixed=True)
    sender.add(label.sender, 3.3, bold=True, max_lines=3, gap=0.3, min_size=2.6)
    code_size = metrics.fit_size(label.sort_code, box_w - 3.0, preferred_mm=10.0)
    texts = [
        *sender.texts,
        Text(box_x + box_w / 2, MARGIN + 3.2, "Mã chia / Sort", 2.1, anchor="middle", fixed=True),
        # cap height of DejaVu is ~0.73 em: centre the capitals in the space under the caption
        Text(
            box_x + box_w / 2,
            MARGIN + 4.2 + (box_h - 4.2 + 0.73 * code_size) / 2,
            label.sort_code,
            code_size,
            bold=True,
            anchor="middle",
        ),
    ]
    return frame(box_x, MARGIN, box_w, box_h, 0.6), texts


def _recipient(label: LabelData, width: float, top: float, bottom: float) -> list[Text]:
    """Name, phone and address, largest first; legacy units in small print last."""
    col = _Column(MARGIN, top, width - 2 * MARGIN, bottom)
    col.add("Người nhận / To:", 2.4, gap=0.6, fixed=True)
    col.add(label.recipient_name, 5.2, bold=True, max_lines=2, gap=0.4, min_size=3.6)
    col.add(f"ĐT / Tel: {label.recipient_phone}", 3.9, bold=True, gap=0.4)
    col.add(label.street, 3.9, max_lines=2, gap=0.6, min_size=3.0)
    col.add(label.ward, 3.9, min_size=3.0)
    col.add(label.province, 4.3, bold=True, min_size=3.0)
    if label.legacy_line:
        col.add(f"Địa chỉ cũ / Former: {label.legacy_line}", 2.6, max_lines=2, gap=0.6)
    return col.texts


def _format_vnd(amount: int) -> str:
    """Vietnamese money format: dot as thousands separator, ``22.000 đ``."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _bottom_left(
    label: LabelData,
    x: float,
    top: float,
    width: float,
    bottom: float,
) -> tuple[list[Rect], list[Text]]:
    """Destination office, dossier code, cash-on-delivery band and print date."""
    col = _Column(x, top, width, bottom - 4.0)
    col.add("Bưu cục phát / Deliver to:", 2.3, gap=0.6, fixed=True)
    col.add(label.destination_office, 3.6, bold=True, max_lines=2, gap=0.3, min_size=2.6)
    col.add("Mã hồ sơ / Dossier:", 2.3, gap=1.0, fixed=True)
    col.add(label.dossier_code, 3.4, bold=True, gap=0.3, min_size=2.2)
    rects: list[Rect] = []
    texts = col.texts
    if label.amount_to_collect_vnd is not None:
        # inverse band: couriers must not miss that cash is to be collected
        text = f"Thu hộ / Collect: {_format_vnd(label.amount_to_collect_vnd)}"
        size = metrics.fit_size(text, width - 3.0, preferred_mm=4.2)
        band_y = col.cursor + 1.6
        rects.append(Rect(x, band_y, width, size + 2.4))
        texts.append(
            Text(
                x + width / 2,
                band_y + 1.2 + 0.85 * size,
                text,
                size,
                bold=True,
                anchor="middle",
                inverse=True,
            )
        )
    printed = label.printed_on.strftime("%d/%m/%Y")
    texts.append(Text(x, bottom - 0.6, f"Ngày in / Printed: {printed}", 2.3, fixed=True))
    return rects, texts


def _bottom(
    label: LabelData,
    width: float,
    height: float,
    top: float,
    dpi: int | None,
) -> tuple[list[Rect], list[Text], Qr]:
    """Bottom band: routing details on the left, the tracking QR (with caption) on the right."""
    side = min(42.0, height - MARGIN - 3.2 - top)  # leave room for the caption under the QR
    qr_x = width - MARGIN - side
    qr = _qr(label.qr_url, qr_x, top, side, dpi)
    caption = Text(
        qr_x + side / 2,
        height - MARGIN - 0.3,
        "Quét để tra cứu / Scan to track",
        2.1,
        anchor="middle",
        fixed=True,
    )
    rects, texts = _bottom_left(label, MARGIN, top, qr_x - MARGIN - 1.0, height - MARGIN)
    return rects, [*texts, caption], qr


def build_layout(
    label: LabelData, size: LabelSize = DEFAULT_SIZE, dpi: int | None = None
) -> Layout:
    """Position everything on the label (mm); with `dpi`, symbols are snapped to whole dots.

    Contract: every primitive lies inside the page; barcode and QR keep their quiet
    zones clear (nothing else is placed in the barcode band or the QR square). Raises
    ValueError for a non-S10 tracking number or a URL too long for a scannable QR.
    """
    spaced = spaced_s10(label.tracking_number)  # validates S10 before any symbol is built
    width, height = size.width_mm, size.height_mm
    header_bottom, band_bottom, recipient_bottom = 21.0, 49.5, 101.0
    header_rects, header_texts = _header(label, width, header_bottom)
    barcode = _barcode(label, width, header_bottom + 3.0, dpi)
    s10 = Text(width / 2, barcode.y + barcode.height + 5.0, spaced, 4.6, bold=True, anchor="middle")
    recipient = _recipient(label, width, band_bottom + RULE, recipient_bottom)
    bottom_rects, bottom_texts, qr = _bottom(label, width, height, recipient_bottom + RULE, dpi)
    rule_ys = (header_bottom, band_bottom, recipient_bottom)
    rules = [Rect(MARGIN, y, width - 2 * MARGIN, RULE) for y in rule_ys]
    texts = [*header_texts, s10, *recipient, *bottom_texts]
    return Layout(width, height, [*header_rects, *rules, *bottom_rects], texts, barcode, qr)
