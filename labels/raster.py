"""A 1-bit page kept packed as PNG stores it, and its PNG encoding.

Pillow keeps a 1-bit image as one byte a pixel and packs it on every save, which cost
more than a whole label's drawing. Here the page is held packed from the start: each
row is PNG's filter byte (0, "none") followed by the row's pixels, eight to a byte.
Drawing works on whole bands of rows at once as Python integers (bit `8 + x` of a row
is dot x, least significant bit first, set = black), so encoding is one byte
translation (to PNG's most-significant-first, 0 = black) and one deflate (ISA-L's).
Rows that are still white are written without converting them to integers first.
"""

from __future__ import annotations

import functools
import operator
import struct
import zlib

from isal import isal_zlib

from labels.glyphs import Run

_TO_PNG = bytes(0xFF ^ int(f"{b:08b}"[::-1], 2) for b in range(256))  # bit order reversed, inverted
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_METRES_PER_INCH = 0.0254


@functools.lru_cache(maxsize=64)  # one per band height: a few dozen on a label
def _white_rows(row_bytes: int, rows: int) -> tuple[bytes, int]:
    """`rows` white rows as bytes and as one integer: filter bytes (0xFF until inverted), no ink."""
    white = (b"\xff" + bytes(row_bytes - 1)) * rows
    return white, int.from_bytes(white, "little")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class Page:
    """A page of `width` x `height` dots: white, or a copy of `data` taken from another
    page of the same size (a template). Drawing outside it is clipped."""

    def __init__(self, width: int, height: int, data: bytes | None = None) -> None:
        self.width, self.height = width, height
        self.row_bytes = 1 + (width + 7) // 8
        self.stride = self.row_bytes * 8
        # filter bytes start as 0xFF so that they come out as 0 ("none") after inversion
        self.data = bytearray(
            (b"\xff" + bytes(self.row_bytes - 1)) * height if data is None else data
        )
        if len(self.data) != self.row_bytes * height:
            raise ValueError("template data does not fit this page")

    def ink(self, x: int, y: int, bits: int, rows: int, width: int, white: bool = False) -> None:
        """Blacken (or, with `white`, clear) the set bits of a band of `rows` rows whose
        bit `row * stride + col` is dot (x + col, y + row), `width` dots wide."""
        if x < 0 or x + width > self.width:  # clip columns: shifting would spill into other rows
            bits = self._clip_columns(bits, x, rows, width)
            width, x = min(width, self.width - x) - max(0, -x), max(0, x)
        if y < 0 or y + rows > self.height:  # clip rows
            top, bottom = max(0, y), min(self.height, y + rows)
            if top >= bottom:
                return
            bits = (bits >> ((top - y) * self.stride)) & ((1 << ((bottom - top) * self.stride)) - 1)
            y, rows = top, bottom - top
        if width <= 0 or rows <= 0:
            return
        start, end = y * self.row_bytes, (y + rows) * self.row_bytes
        drawn = bits << (8 + x)
        if white:
            band = int.from_bytes(self.data[start:end], "little") & ~drawn
        elif self._white(start, end):
            # nothing to keep but the filter bytes: no conversion of the page
            band = drawn | _white_rows(self.row_bytes, rows)[1]
        else:
            band = int.from_bytes(self.data[start:end], "little") | drawn
        self.data[start:end] = band.to_bytes(end - start, "little")

    def _white(self, start: int, end: int) -> bool:
        """True if rows data[start:end] (whole rows) have no black dot: one memcmp, where
        converting the rows to an integer to OR into them costs much more."""
        return (
            self.data[start:end] == _white_rows(self.row_bytes, (end - start) // self.row_bytes)[0]
        )

    def _clip_columns(self, bits: int, x: int, rows: int, width: int) -> int:
        """Keep only the columns that land on the page, moved to start at column 0."""
        first, last = max(0, -x), min(width, self.width - x)
        if last <= first:
            return 0
        keep = (1 << (last - first)) - 1
        out = 0
        for row in range(rows):
            out |= ((bits >> (row * self.stride + first)) & keep) << (row * self.stride)
        return out

    def fill(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Blacken dots x0..x1-1, y0..y1-1 (half-open, like the mm geometry)."""
        x0, x1 = max(0, x0), min(self.width, x1)
        if x1 > x0 and y1 > y0:
            self.repeat_row(((1 << (x1 - x0)) - 1) << x0, y0, y1 - y0)

    def repeat_row(self, row: int, y: int, rows: int) -> None:
        """Blacken the set bits of `row` (bit x = dot x) on `rows` rows from `y`."""
        self.stack_rows([(row, rows)], y)

    def stack_rows(self, rows: list[tuple[int, int]], y: int) -> None:
        """Blacken rows from `y` down: each (row, count) is `count` rows alike, bit x of
        `row` = dot x. Rows beyond the page's edges are dropped."""
        limit = (1 << self.width) - 1
        rows = [(row & limit, count) for row, count in rows]
        union = functools.reduce(operator.or_, (row for row, _ in rows), 0)
        top, bottom = max(0, y), min(self.height, y + sum(count for _, count in rows))
        if not union or bottom <= top:
            return
        start, end = top * self.row_bytes, bottom * self.row_bytes
        if self._white(start, end):
            # a symbol's own band: its rows copied whole, filter bytes included
            drawn = b"".join(
                ((row << 8) | 0xFF).to_bytes(self.row_bytes, "little") * count
                for row, count in rows
            )
            self.data[start:end] = drawn[(top - y) * self.row_bytes :][: end - start]
            return
        # else only the byte columns the rows touch (a QR beside text: a third of the row)
        first, last = ((union & -union).bit_length() - 1) // 8, (union.bit_length() - 1) // 8
        span = last - first + 1
        block = b"".join(
            (row >> (8 * first)).to_bytes(span, "little") * count for row, count in rows
        )
        self._or_columns(1 + first, top, span, block[(top - y) * span : (bottom - y) * span])

    def _or_columns(self, column: int, y: int, span: int, block: bytes) -> None:
        """OR `block` (rows of `span` bytes, top to bottom) into the page from byte `column` of
        row `y` down, a byte column at a time: an extended slice moves a whole column in one
        C call, so a narrow block costs its own width, not its rows'. Copied if still white."""
        rows = len(block) // span
        start, step = y * self.row_bytes + column, self.row_bytes
        columns = [slice(start + c, start + c + rows * step, step) for c in range(span)]
        new = b"".join([block[c::span] for c in range(span)])  # column-major, like `old`
        old = b"".join([self.data[col] for col in columns])
        if old != bytes(len(old)):
            new = (int.from_bytes(old, "little") | int.from_bytes(new, "little")).to_bytes(
                len(new), "little"
            )
        for c, col in enumerate(columns):
            self.data[col] = new[c * rows : (c + 1) * rows]

    def run(self, run: Run, x: int, y: int, white: bool = False) -> None:
        """Ink a set line whose anchor point is dot (x, y); `run` must use this page's stride."""
        if run.stride != self.stride:
            raise ValueError(f"run packed at {run.stride} bits a row, the page at {self.stride}")
        self.ink(x + run.left, y + run.top, run.bits, run.height, run.width, white)

    def png(self, dpi: int) -> bytes:
        """The page as a 1-bit greyscale PNG with its resolution (pHYs) recorded."""
        header = struct.pack(">IIBBBBB", self.width, self.height, 1, 0, 0, 0, 0)
        per_metre = int(dpi / _METRES_PER_INCH + 0.5)
        # ISA-L's level 1 deflate: cheaper than zlib's level 1 on a label, and smaller
        # (bench/results-labels.md); translate copies: the page stays as it is
        pixels = isal_zlib.compress(self.data.translate(_TO_PNG), 1)
        return b"".join(
            (
                _SIGNATURE,
                _chunk(b"IHDR", header),
                _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                _chunk(b"IDAT", pixels),
                _chunk(b"IEND", b""),
            )
        )
