"""A collected dossier as ONE PDF: a page per photo the bưu tá took at the citizen's door.

Each photo becomes an A4 page (portrait or landscape as the photo is) with the photo fitted
inside, centred, without a margin: the PDF is the archive of the paper, not something to print
on a desk printer. A JPEG goes in as it came from the phone (DCTDecode: not decoded, not
re-encoded, so its pixels are exactly the phone's); a PNG or WebP is converted once to JPEG.
A phone that writes the EXIF orientation tag instead of turning the pixels is honoured by
turning the image on the page, still without touching its bytes.

Photos are taken from an iterable one at a time and written to `out` at once, so 30 photos of
4 MB each never sit in memory together. The SHA-256 of each photo (as given) and of the PDF (as
written) are computed on the way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from labels.dossier_photos import Photo, PhotoRefused, photo_of
from labels.pdfwriter import PT_PER_MM, Document, stream

A4_SHORT, A4_LONG = 210.0, 297.0

__all__ = ["DossierPdf", "PhotoRefused", "write_dossier_pdf"]


@dataclass(frozen=True)
class DossierPdf:
    """What was written: SHA-256 (hex) of each photo's bytes as given, in page order, and of the
    whole PDF; the PDF's size in bytes."""

    page_sha256: tuple[str, ...]
    page_count: int
    sha256: str
    size: int


class _HashingOut:
    """`out` that also counts and hashes what goes through it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.size, self.hash = out, 0, hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.out.write(chunk)
        self.hash.update(chunk)
        self.size += len(chunk)


def _numbered(photos: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(page number from 1, photo); refuses an empty dossier before anything is written."""
    it = iter(photos)
    first = next(it, None)
    if first is None:
        raise PhotoRefused(None, "hồ sơ không có trang nào / the dossier has no pages")
    yield 1, first
    yield from enumerate(it, start=2)


def _placement(photo: Photo) -> tuple[float, float, tuple[float, float, float, float]]:
    """Page width, height (mm) and where the upright picture goes on it (x, y, w, h in points,
    PDF's origin bottom left): A4 turned like the picture, the picture as large as fits."""
    wide = photo.upright_width > photo.upright_height
    page_w, page_h = (A4_LONG, A4_SHORT) if wide else (A4_SHORT, A4_LONG)
    room_w, room_h = page_w * PT_PER_MM, page_h * PT_PER_MM
    scale = min(room_w / photo.upright_width, room_h / photo.upright_height)
    w, h = photo.upright_width * scale, photo.upright_height * scale
    return page_w, page_h, ((room_w - w) / 2, (room_h - h) / 2, w, h)


def _image_matrix(photo: Photo, box: tuple[float, float, float, float]) -> str:
    """The `cm` operands that put the image's unit square on `box`, turned by its orientation.

    PDF paints an image on the unit square with its first row at the top, so stored pixel
    (u, v) (0..1, v downwards) is at (u, 1 - v); the orientation moves it to (u', v') of the
    upright picture, which is at (x + w u', y + h (1 - v')) on the page. Three corners fix it.
    """
    x, y, w, h = box

    def on_page(ux: float, uy: float) -> tuple[float, float]:
        up, vp = photo.upright(ux, 1 - uy)
        return x + w * up, y + h * (1 - vp)

    e, f = on_page(0, 0)
    (a, b), (c, d) = ((px - e, py - f) for px, py in (on_page(1, 0), on_page(0, 1)))
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in (a, b, c, d, e, f))


def _image_object(photo: Photo) -> bytes:
    colour = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[photo.components]
    # Adobe's CMYK JPEGs store the inks inverted (Photoshop's convention, marked by APP14)
    decode = " /Decode [1 0 1 0 1 0 1 0]" if photo.inverted_cmyk else ""
    return (f"<< /Type /XObject /Subtype /Image /Width {photo.width} /Height {photo.height}"
            f" /ColorSpace {colour} /BitsPerComponent 8{decode} /Filter /DCTDecode"
            f" /Length {len(photo.jpeg)} >>\nstream\n").encode("ascii") + photo.jpeg + \
        b"\nendstream"


def _photo_page(document: Document, photo: Photo) -> Iterator[bytes]:
    image_id = document.reserve(3)
    yield document.emit(image_id, _image_object(photo))
    page_w, page_h, box = _placement(photo)
    content = f"q {_image_matrix(photo, box)} cm /Im0 Do Q".encode("ascii")
    yield document.emit(image_id + 1, stream(content))
    yield document.add_page(image_id + 2, page_w, page_h,
                            f"<< /XObject << /Im0 {image_id} 0 R >> >>", image_id + 1)


def write_dossier_pdf(photos: Iterable[bytes], out: BinaryIO, title: str = "") -> DossierPdf:
    """Write the dossier's photos to `out` as one PDF, a page per photo in the order given.

    `photos`: the bytes of each JPEG, PNG or WebP as the phone uploaded it, taken one at a time.
    `title`: the PDF's /Title (the item's tracking number). Raises PhotoRefused (a ValueError
    whose message names the page in Vietnamese and English) for no photos at all (before
    writing anything) or a photo that is not an image or is cut short; what was written to
    `out` by then is not a PDF and is to be thrown away. Writes with `out.write` only.
    """
    document, sink = Document(), _HashingOut(out)
    hashes: list[str] = []
    for number, data in _numbered(photos):
        photo = photo_of(data, number)
        if not hashes:
            sink.write(document.start())
        hashes.append(hashlib.sha256(data).hexdigest())
        for chunk in _photo_page(document, photo):
            sink.write(chunk)
        del photo, data  # let this photo go before the next is read: never two at once
    for chunk in document.ending(title):
        sink.write(chunk)
    return DossierPdf(tuple(hashes), len(hashes), sink.hash.hexdigest(), sink.size)
