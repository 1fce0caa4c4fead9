"""PDF labels: one label per page at the label's size, or four A6 labels to an A4 sheet.

Drawn from the same `labels.layout` as the SVG and PNG, with vector bars and modules at their
exact millimetre sizes, so the PDF prints 1:1 on any printer ("actual size", not "fit").
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from itertools import islice

from labels.layout import build_layout
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.pdfwriter import LayoutPage, pdf_bytes, stream_pdf

A4 = (210.0, 297.0)


class Sheet(enum.Enum):
    """How labels are put on paper: one per page (label stock), or 4-up A6 on A4 (laser
    printers)."""

    LABEL = "label"
    A4_4UP = "a4"


def _label_pages(labels: Iterable[LabelData], size: LabelSize) -> Iterator[LayoutPage]:
    for label in labels:
        yield LayoutPage(size.width_mm, size.height_mm, ((0.0, 0.0, build_layout(label, size)),))


def _sheet_pages(labels: Iterable[LabelData]) -> Iterator[LayoutPage]:
    """Four A6 labels per A4 sheet, row by row: 2 x 105 mm across, 2 x 148 mm down."""
    width, height = LabelSize.A6.width_mm, LabelSize.A6.height_mm
    top = (A4[1] - 2 * height) / 2  # the spare millimetre split above and below
    it = iter(labels)
    while group := list(islice(it, 4)):
        placed = tuple(
            ((i % 2) * width, top + (i // 2) * height, build_layout(label, LabelSize.A6))
            for i, label in enumerate(group)
        )
        yield LayoutPage(A4[0], A4[1], placed)


def stream_labels_pdf(
    labels: Iterable[LabelData],
    size: LabelSize = DEFAULT_SIZE,
    sheet: Sheet = Sheet.LABEL,
    title: str = "Labels",
) -> Iterator[bytes]:
    """Yield one PDF of `labels` in the given order, chunk by chunk (see `stream_pdf`).

    `labels` is consumed lazily, so a generator reading consignments from the database keeps
    memory flat. With `Sheet.A4_4UP` the size is A6 whatever `size` says (100x150 does not fit
    four to a sheet). Raises ValueError (from the layout) for a label that cannot be drawn and
    FontMissing if DejaVu Sans is not installed; both before the first page is complete.
    """
    pages = _sheet_pages(labels) if sheet is Sheet.A4_4UP else _label_pages(labels, size)
    return stream_pdf(pages, title)


def render_label_pdf(label: LabelData, size: LabelSize = DEFAULT_SIZE) -> bytes:
    """One label as a one-page PDF whose page is the label size (e.g. 100 x 150 mm)."""
    return pdf_bytes(_label_pages([label], size), title=label.tracking_number)
