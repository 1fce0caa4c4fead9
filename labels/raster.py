"""A 1-bit page kept packed as PNG stores it, and its PNG encoding.

Pillow keeps a 1-bit image as one byte a pixel and packs it on every save, which cost
more than a whole label's drawing. Here the page is held packed from the start: each
row is PNG's filter byte (0, "none") followed by the row's pixels, eight to a byte.
Drawing works on whole bands of rows at once as Python integers (bit `8 + x` of a row
is dot x, least significant bit first, set = black), so encoding is one byte
translation (to PNG's most-significant-first, 0 = black) and one deflate.
"""

from __future__ import annotations

import struct
import zlib

from labels.glyphs import Run

_TO_PNG = bytes(0xFF ^ int(f"{b:08b}"[::-1], 2) for b in range(256))  # bit order reversed, inverted
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_METRES_PER_INCH = 0.0254


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
        self.data = bytearray((b"\xff" + bytes(self.row_bytes - 1)) * height if data is None else data)
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
        band = int.from_bytes(self.data[start:end], "little")
        band = band & ~(bits << (8 + x)) if white else band | (bits << (8 + x))
        self.data[start:end] = band.to_bytes(end - start, "little")

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
        drawn = b"".join(((row & limit) << 8).to_bytes(self.row_bytes, "little") * count for row, count in rows)
        skip = max(0, -y) * self.row_bytes
        start = max(0, y) * self.row_bytes
        end = min(len(self.data), start + len(drawn) - skip)
        if end <= start:
            return
        band = int.from_bytes(self.data[start:end], "little")
        band |= int.from_bytes(drawn[skip : skip + end - start], "little")
        self.data[start:end] = band.to_bytes(end - start, "little")

    def run(self, run: Run, x: int, y: int, white: bool = False) -> None:
        """Ink a set line whose anchor point is dot (x, y); `run` must use this page's stride."""
        if run.stride != self.stride:
            raise ValueError(f"run packed at {run.stride} bits a row, the page at {self.stride}")
        self.ink(x + run.left, y + run.top, run.bits, run.height, run.width, white)

    def png(self, dpi: int) -> bytes:
        """The page as a 1-bit greyscale PNG with its resolution (pHYs) recorded."""
        header = struct.pack(">IIBBBBB", self.width, self.height, 1, 0, 0, 0, 0)
        per_metre = int(dpi / _METRES_PER_INCH + 0.5)
        # Fast deflate: a label is mostly white rows, which compress well at any level.
        pixels = zlib.compress(self.data.translate(_TO_PNG), 1)  # translate copies: the page stays as it is
        return b"".join(
            (
                _SIGNATURE,
                _chunk(b"IHDR", header),
                _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                _chunk(b"IDAT", pixels),
                _chunk(b"IEND", b""),
            )
        )
