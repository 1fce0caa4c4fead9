"""A page photo of a collected dossier, read enough to put it in a PDF without decoding it.

A JPEG is kept byte for byte; what the PDF needs (size, colour components) comes from its
frame header (SOF) and how the phone held it from the EXIF orientation tag. PNG and WebP are
decoded once with Pillow and encoded as JPEG (quality 85), the form a PDF embeds as is.
Kinds are recognised by their first bytes, as tracking.proof_files does for door photos.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

JPEG_QUALITY = 85
MAX_PIXELS = 60_000_000  # a 50 MP phone sensor, with room; beyond that it is not a page photo
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_NO_LENGTH = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn stand alone
# EXIF orientation 1-8: where stored pixel (u, v) (0..1, from the top left) is in the upright
# picture, as ImageOps.exif_transpose turns it
_UPRIGHT: dict[int, Callable[[float, float], tuple[float, float]]] = {
    1: lambda u, v: (u, v), 2: lambda u, v: (1 - u, v), 3: lambda u, v: (1 - u, 1 - v),
    4: lambda u, v: (u, 1 - v), 5: lambda u, v: (v, u), 6: lambda u, v: (1 - v, u),
    7: lambda u, v: (1 - v, 1 - u), 8: lambda u, v: (v, 1 - u)}


class PhotoRefused(ValueError):
    """A photo that cannot be a page of the dossier; `page` is its number from 1 (None: the
    dossier as a whole). The message is Vietnamese first, then English."""

    def __init__(self, page: int | None, message: str) -> None:
        super().__init__(message)
        self.page = page


@dataclass(frozen=True)
class Photo:
    """A page photo as a JPEG stream ready for DCTDecode, with what the PDF needs to know."""

    jpeg: bytes
    width: int
    height: int
    components: int
    orientation: int = 1
    inverted_cmyk: bool = False

    @property
    def upright_width(self) -> int:
        return self.height if self.orientation >= 5 else self.width

    @property
    def upright_height(self) -> int:
        return self.width if self.orientation >= 5 else self.height

    def upright(self, u: float, v: float) -> tuple[float, float]:
        """Where stored pixel (u, v) is in the upright picture (both 0..1 from the top left)."""
        return _UPRIGHT[self.orientation](u, v)


def image_kind(data: bytes) -> str | None:
    """``jpg``, ``png`` or ``webp`` from the first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return "png" if data.startswith(b"\x89PNG\r\n\x1a\n") else None


def photo_of(data: bytes, page: int) -> Photo:
    """Page `page`'s photo ready for the PDF; raises PhotoRefused when it is not a JPEG, PNG or
    WebP image, is cut short, or is larger than MAX_PIXELS."""
    kind = image_kind(data)
    if kind is None:
        raise PhotoRefused(page, f"Trang {page} không phải ảnh JPEG, PNG hoặc WebP / "
                                 f"page {page} is not a JPEG, PNG or WebP image")
    photo = _jpeg(data, page) if kind == "jpg" else _jpeg(_as_jpeg(data, page), page)
    if photo.width * photo.height > MAX_PIXELS:
        raise PhotoRefused(page, f"Ảnh trang {page} quá lớn / page {page}'s photo is too large")
    return photo


def _cut_short(page: int) -> PhotoRefused:
    return PhotoRefused(page, f"Ảnh trang {page} bị thiếu dữ liệu (tải lên chưa hết?) / "
                              f"page {page}'s photo is cut short (upload not finished?)")


def _segments(data: bytes, page: int) -> list[tuple[int, int, int]]:
    """(marker, start of payload, payload length) of each header segment up to the first scan
    (SOS included); raises PhotoRefused when the file ends before it."""
    found, at = [], 2
    while True:
        while data[at:at + 2] == b"\xff\xff":
            at += 1  # fill bytes before a marker
        if at + 4 > len(data) or data[at] != 0xFF:
            raise _cut_short(page)
        marker = data[at + 1]
        if marker in _NO_LENGTH:
            at += 2
            continue
        (length,) = struct.unpack_from(">H", data, at + 2)
        if length < 2 or at + 2 + length > len(data):
            raise _cut_short(page)
        found.append((marker, at + 4, length - 2))
        if marker == 0xDA:
            return found
        at += 2 + length


def _jpeg(data: bytes, page: int) -> Photo:
    """Size and components from the SOF, orientation from EXIF; the JPEG itself untouched."""
    segments = _segments(data, page)
    frames = [(start, size) for marker, start, size in segments if marker in _SOF]
    if not frames or frames[0][1] < 6:
        raise _cut_short(page)
    precision, height, width, components = struct.unpack_from(">BHHB", data, frames[0][0])
    if precision != 8:  # 12-bit JPEGs exist (medical, not phones); PDF's DCTDecode takes 8 only
        raise PhotoRefused(page, f"Ảnh trang {page} là JPEG {precision} bit, cần 8 bit / "
                                 f"page {page} is a {precision}-bit JPEG, 8-bit needed")
    sos_start = segments[-1][1]
    # entropy-coded data never holds FF D9 (an FF there is followed by 00): no EOI = cut short
    if width == 0 or height == 0 or components not in (1, 3, 4) or \
            data.find(b"\xff\xd9", sos_start) == -1:
        raise _cut_short(page)
    exif = next((data[start:start + size] for marker, start, size in segments
                 if marker == 0xE1 and data.startswith(b"Exif\x00\x00", start)), b"")
    adobe = any(marker == 0xEE and data.startswith(b"Adobe", start)
                for marker, start, _size in segments)
    return Photo(data, width, height, components, _orientation(exif), components == 4 and adobe)


def _orientation(app1: bytes) -> int:
    """The EXIF orientation tag (0x0112) of IFD0, 1 when absent or unreadable."""
    if not app1.startswith(b"Exif\x00\x00") or len(app1) < 14:
        return 1
    tiff = app1[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 1
    try:
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for entry in range(ifd + 2, ifd + 2 + 12 * count, 12):
            tag, _type, _n, value = struct.unpack_from(order + "HHIH", tiff, entry)
            if tag == 0x0112:
                return value if value in _UPRIGHT else 1
    except struct.error:
        return 1
    return 1


def _as_jpeg(data: bytes, page: int) -> bytes:
    """A PNG or WebP decoded once, turned upright, flattened on white and encoded as JPEG."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoRefused(page, f"Ảnh trang {page} quá lớn / "
                                             f"page {page}'s photo is too large")
                image = ImageOps.exif_transpose(opened)
                image.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, SyntaxError) as error:
        raise _cut_short(page) from error
    grey = image.mode in ("1", "L", "LA", "I", "I;16", "F")
    if "A" in image.getbands() or image.mode == "P":
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image = image.convert("L" if grey else "RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
