"""A small PDF writer that streams: each page is written (and forgotten) as soon as it is drawn.

General PDF libraries keep every page object until they save, so a 1,000-label batch would
hold 1,000 pages in memory. PDF does not need that: objects may come in any order as long as
the cross-reference table at the end says where each one starts. So pages go out first, and
the shared resources (the font subsets), the page tree, the catalogue and the xref follow the
last page. What stays in memory per page is two integers (its object id and byte offset).

Drawing is in millimetres with the origin at the top left, like `labels.layout`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from labels.layout import MM_PER_INCH, Barcode, Layout, Qr, Rect, Text
from labels.pdffont import EmbeddedFont, stream

PT_PER_MM = 72.0 / MM_PER_INCH
_CATALOG, _PAGES, _RESOURCES, _INFO = 1, 2, 3, 4


def _n(value: float) -> str:
    """Compact decimal: 3 places of a mm is far below any printer's dot."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


class Canvas:
    """Content of one page in mm (origin top left); text goes through the document's fonts."""

    def __init__(self, fonts: dict[bool, EmbeddedFont], width: float, height: float) -> None:
        self.fonts, self.width, self.height = fonts, width, height
        # flip once: from here on 1 unit = 1 mm and y grows downwards
        self.ops: list[str] = [
            f"{_n(PT_PER_MM)} 0 0 {_n(-PT_PER_MM)} 0 {_n(height * PT_PER_MM)} cm 0 g"
        ]

    @contextlib.contextmanager
    def shifted(self, dx: float, dy: float) -> Iterator[None]:
        """Draw the block's content moved by (dx, dy) mm (used to put four labels on a sheet)."""
        self.ops.append(f"q 1 0 0 1 {_n(dx)} {_n(dy)} cm")
        yield
        self.ops.append("Q")

    def rects(self, rects: Iterable[Rect]) -> None:
        self.ops.extend(f"{_n(r.x)} {_n(r.y)} {_n(r.w)} {_n(r.h)} re" for r in rects)
        self.ops.append("f")

    def barcode(self, barcode: Barcode) -> None:
        """Bars as rectangles in module units: every bar is an exact multiple of the X-dimension."""
        self.ops.append(
            f"q {_n(barcode.module)} 0 0 {_n(barcode.height)} {_n(barcode.x)} {_n(barcode.y)} cm"
        )
        self.ops.extend(_runs(barcode.modules, "1", row=0))
        self.ops.append("f Q")

    def qr(self, qr: Qr) -> None:
        """Dark modules as one rectangle per horizontal run, in module units (small, exact)."""
        self.ops.append(f"q {_n(qr.module)} 0 0 {_n(qr.module)} {_n(qr.x)} {_n(qr.y)} cm")
        for row, cells in enumerate(qr.matrix):
            self.ops.extend(_runs(cells, True, row))
        self.ops.append("f Q")

    def text(self, text: Text) -> None:
        """One line; the anchor is resolved with the embedded font's own advance widths."""
        font = self.fonts[text.bold]
        x = text.x
        if text.anchor != "start":
            width = font.width(text.text, text.size)
            x -= width / 2 if text.anchor == "middle" else width
        shows = "".join(
            f"/{name} {_n(text.size)} Tf <{codes.hex()}> Tj "
            for name, codes in font.runs(text.text)
        )
        colour = ("1 g ", " 0 g") if text.inverse else ("", "")
        self.ops.append(f"{colour[0]}BT 1 0 0 -1 {_n(x)} {_n(text.y)} Tm {shows}ET{colour[1]}")

    def layout(self, layout: Layout) -> None:
        self.rects(layout.rects)
        self.barcode(layout.barcode)
        self.qr(layout.qr)
        for text in layout.texts:
            self.text(text)


def _runs(cells: Iterable[object], dark: object, row: int) -> Iterator[str]:
    """`x row len 1 re` for each run of `dark` cells in a row."""
    start = None
    index = -1
    for index, cell in enumerate(cells):
        if cell == dark and start is None:
            start = index
        elif cell != dark and start is not None:
            yield f"{start} {row} {index - start} 1 re"
            start = None
    if start is not None:
        yield f"{start} {row} {index + 1 - start} 1 re"


class Page(Protocol):
    """Something that can draw itself on a page of `width` x `height` mm."""

    width: float
    height: float

    def draw(self, canvas: Canvas) -> None: ...


@dataclass(frozen=True)
class LayoutPage:
    """A page holding one or more label layouts at offsets (mm)."""

    width: float
    height: float
    placed: tuple[tuple[float, float, Layout], ...]

    def draw(self, canvas: Canvas) -> None:
        for dx, dy, layout in self.placed:
            with canvas.shifted(dx, dy):
                canvas.layout(layout)


class Document:
    """The bookkeeping of one PDF being streamed: where each object starts, the pages so far.

    Every method returns the bytes to write next, in order; nothing but two integers per object
    is kept. `page` draws a Canvas page on the shared resources (the fonts); other page kinds
    (a photo, see labels.dossier_pages) take ids with `reserve` and write their objects with
    `emit`, then `add_page`. `ending` writes whatever the pages used and the cross-reference.
    """

    HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

    def __init__(self) -> None:
        self.fonts = _LazyFonts()
        self.offset = 0
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_id = _INFO + 1

    def start(self) -> bytes:
        return self.raw(self.HEADER)

    def reserve(self, count: int) -> int:
        """The first of `count` fresh object ids."""
        first = self.next_id
        self.next_id += count
        return first

    def emit(self, object_id: int, body: bytes) -> bytes:
        chunk = f"{object_id} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
        self.offsets[object_id] = self.offset
        self.offset += len(chunk)
        return chunk

    def raw(self, chunk: bytes) -> bytes:
        self.offset += len(chunk)
        return chunk

    def add_page(self, page_id: int, width: float, height: float, resources: str,
                 content_id: int) -> bytes:
        """The page object of a `width` x `height` mm page (`resources`: a dictionary or a
        reference), appended to the page tree."""
        self.pages.append(page_id)
        media = f"[0 0 {_n(width * PT_PER_MM)} {_n(height * PT_PER_MM)}]"
        return self.emit(
            page_id,
            f"<< /Type /Page /Parent {_PAGES} 0 R /MediaBox {media} /Resources {resources}"
            f" /Contents {content_id} 0 R >>".encode("ascii"),
        )

    def page(self, page: Page) -> bytes:
        canvas = Canvas(self.fonts, page.width, page.height)
        page.draw(canvas)
        content_id = self.reserve(2)
        return self.emit(content_id, stream("\n".join(canvas.ops).encode("ascii"))) + \
            self.add_page(content_id + 1, page.width, page.height, f"{_RESOURCES} 0 R", content_id)

    def ending(self, title: str) -> Iterator[bytes]:
        names: list[str] = []
        for font in self.fonts.used():
            for object_id, body, name in font.objects(self.next_id):
                self.next_id = max(self.next_id, object_id + 1)
                if name:
                    names.append(f"/{name} {object_id} 0 R")
                yield self.emit(object_id, body)
        yield self.emit(_RESOURCES, f"<< /Font << {' '.join(names)} >> >>".encode("ascii"))
        kids = " ".join(f"{p} 0 R" for p in self.pages)
        yield self.emit(
            _PAGES, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.pages)} >>".encode("ascii")
        )
        yield self.emit(_CATALOG, f"<< /Type /Catalog /Pages {_PAGES} 0 R >>".encode("ascii"))
        title_hex = ("\ufeff" + title).encode("utf-16-be").hex()  # PDF text string: UTF-16 with BOM
        yield self.emit(
            _INFO, f"<< /Title <{title_hex}> /Producer (buudien-ketqua labels) >>".encode("ascii")
        )
        yield self._xref()

    def _xref(self) -> bytes:
        size = self.next_id
        rows = [
            f"{self.offsets[i]:010d} 00000 n \n" if i in self.offsets else "0000000000 65535 f \n"
            for i in range(1, size)
        ]
        table = f"xref\n0 {size}\n0000000000 65535 f \n{''.join(rows)}"
        trailer = (f"trailer\n<< /Size {size} /Root {_CATALOG} 0 R /Info {_INFO} 0 R >>\n"
                   f"startxref\n{self.offset}\n%%EOF\n")
        return self.raw((table + trailer).encode("ascii"))


class _LazyFonts(dict[bool, EmbeddedFont]):
    """Regular and bold faces, loaded on first use so an all-regular page embeds no bold font."""

    def __missing__(self, bold: bool) -> EmbeddedFont:
        self[bold] = font = EmbeddedFont(bold)
        return font

    def used(self) -> list[EmbeddedFont]:
        return [font for font in self.values() if font.used]


def stream_pdf(pages: Iterable[Page], title: str = "") -> Iterator[bytes]:
    """Yield a complete PDF in chunks, one chunk per page (then the trailer).

    Contract: pages are drawn lazily, one at a time, in the order given; memory stays flat
    however many pages there are (beyond two integers per page). Raises
    labels.pdffont.FontMissing if DejaVu Sans is not installed. An empty `pages` yields a
    valid PDF with no pages.
    """
    document = Document()
    yield document.start()
    for page in pages:
        yield document.page(page)
    yield from document.ending(title)


def pdf_bytes(pages: Iterable[Page], title: str = "") -> bytes:
    """The whole PDF at once (for single labels and manifests)."""
    return b"".join(stream_pdf(pages, title))
