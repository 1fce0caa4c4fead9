"""The digitised dossier: the pages a bưu tá photographs at the citizen's door, kept as files
outside the database like the door photos, and the one PDF made of them (labels.dossier_pages).

A pick-up stores its pages in two steps around its scan, so that the files and the rows either
both stay or both go:
1. ``write_pages`` (before the scan, no database): each photo checked (an image by its first
   bytes, within the size limit, readable as a page) and written under the pages folder, then the
   PDF next to them. A bad photo raises ValidationFailed naming its page ("Ảnh trang 2 / Page 2
   photo: ..."), and every file written by then is deleted.
2. ``keep_pages`` (in the scan's transaction): a DossierPage row per photo (number, SHA-256,
   size) and the PDF's id and SHA-256 on the CollectionOrder.
If the scan is refused or its transaction fails, the caller deletes the files with
``discard_pages``. Retention erases them with the item's personal data (``erase_pages``).

The pages folder is a folder of its own under the door photos' (tracking.proof_files): the sweep
of unreferenced door photos reads only the top folder, so it never takes a page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from delivery.collection_models import CollectionOrder, DossierPage
from delivery.errors import Conflict, NotFound, ValidationFailed
from delivery.models import utcnow
from labels.dossier_pages import PhotoRefused, write_dossier_pdf

from .proof_files import MAX_BYTES, PHOTO_ID, discard_photo, store_photo

PAGES_FOLDER = "pages"
NO_PAGES = ("chụp ít nhất một trang hồ sơ / photograph at least one page of the dossier")


def pages_folder(photo_folder: Path) -> Path:
    """Where the pages and dossier PDFs live, under the door photos' folder."""
    return photo_folder / PAGES_FOLDER


@dataclass(frozen=True)
class WrittenPages:
    """The files of one pick-up's pages: the photos' ids in page order, their sizes and SHA-256,
    the PDF's id and SHA-256."""

    photos: tuple[str, ...]
    sizes: tuple[int, ...]
    page_sha256: tuple[str, ...]
    pdf: str
    pdf_sha256: str

    @property
    def count(self) -> int:
        return len(self.photos)


def _page_refused(number: int, message: str) -> ValidationFailed:
    return ValidationFailed({"pages": f"Ảnh trang {number} / Page {number} photo: {message}"})


def _store_each(folder: Path, photos: Iterable[bytes], max_bytes: int,
                written: list[str], sizes: list[int]) -> None:
    for number, data in enumerate(photos, start=1):
        if len(data) > max_bytes:
            raise _page_refused(number, f"ảnh quá {_size(max_bytes)} / photo larger than "
                                        f"{_size(max_bytes)}")
        try:
            written.append(store_photo(folder, data, max_bytes=max_bytes))
        except ValidationFailed as error:
            raise _page_refused(number, error.errors["photo"]) from None
        sizes.append(len(data))


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def _read_back(folder: Path, photos: list[str]) -> Iterator[bytes]:
    """The stored photos, one at a time (never all of a thick dossier in memory)."""
    for photo in photos:
        yield (folder / photo).read_bytes()


def write_pages(folder: Path, photos: Iterable[bytes], *, title: str,
                max_bytes: int = MAX_BYTES) -> WrittenPages:
    """Write each photo (in page order) and the dossier PDF under ``folder``; raises
    ValidationFailed (field ``pages``) for no photo at all or a photo that is not a JPEG, PNG or
    WebP image, is over ``max_bytes`` or cannot be a page, naming its page. Nothing stays written
    when it raises. Touches no database."""
    written: list[str] = []
    sizes: list[int] = []
    pdf = f"{uuid.uuid4().hex}.pdf"
    try:
        _store_each(folder, photos, max_bytes, written, sizes)
        if not written:
            raise ValidationFailed({"pages": NO_PAGES})
        with (folder / pdf).open("wb") as out:
            made = write_dossier_pdf(_read_back(folder, written), out, title=title)
    except PhotoRefused as error:
        discard_pages(folder, written, pdf)
        raise ValidationFailed({"pages": str(error)}) from None
    except BaseException:
        discard_pages(folder, written, pdf)
        raise
    return WrittenPages(tuple(written), tuple(sizes), made.page_sha256, pdf, made.sha256)


def discard_pages(folder: Path, photos: Iterable[str], pdf: str | None) -> None:
    """Delete a pick-up's page files that no row names (idempotent)."""
    for photo in photos:
        discard_photo(folder, photo)
    if pdf and _is_pdf_id(pdf):
        (folder / pdf).unlink(missing_ok=True)


def _is_pdf_id(value: str) -> bool:
    stem, _, kind = value.partition(".")
    return kind == "pdf" and len(stem) == 32 and all(c in "0123456789abcdef" for c in stem)


def keep_pages(session: Session, item_id: int, pages: WrittenPages, *, taken_by: str,
               now: datetime | None = None) -> None:
    """Record ``pages`` as the dossier of collection ``item_id`` (no commit): a row per page and
    the PDF on its booking. Raises NotFound for an item that is not a collection, Conflict when
    its dossier was digitised already."""
    order = session.get(CollectionOrder, item_id)
    if order is None:
        raise NotFound("bưu gửi này không phải hồ sơ thu gom / not a collected dossier")
    if order.pages_pdf is not None:
        raise Conflict("hồ sơ này đã được chụp / this dossier was digitised already")
    when = now or utcnow()
    session.add_all(DossierPage(consignment_id=item_id, number=number, photo=photo,
                                sha256=sha, size_bytes=size, taken_by=taken_by, taken_at=when)
                    for number, (photo, sha, size) in
                    enumerate(zip(pages.photos, pages.page_sha256, pages.sizes, strict=True), 1))
    order.pages_pdf, order.pages_pdf_sha256 = pages.pdf, pages.pdf_sha256
    session.add(order)
    session.flush()


def dossier_pdf_path(session: Session, item_id: int, photo_folder: Path) -> Path | None:
    """The file of collection ``item_id``'s dossier PDF, None while it has none (not yet
    digitised, or erased)."""
    pdf = session.exec(select(CollectionOrder.pages_pdf)
                       .where(CollectionOrder.consignment_id == item_id)).first()
    path = pages_folder(photo_folder) / pdf if pdf and _is_pdf_id(pdf) else None
    return path if path is not None and path.is_file() else None


def page_hashes(session: Session, item_id: int) -> list[dict[str, Any]]:
    """Each page's number, SHA-256 and size, in order."""
    rows = session.exec(select(DossierPage).where(DossierPage.consignment_id == item_id)
                        .order_by(col(DossierPage.number))).all()
    return [{"number": r.number, "sha256": r.sha256, "size_bytes": r.size_bytes} for r in rows]


def erase_pages(session: Session, item_ids: list[int], photo_folder: Path | None) -> int:
    """Delete the page photos and dossier PDFs of ``item_ids`` (files first) and their DossierPage
    rows, and forget the PDF's file on the booking (its SHA-256 stays: a record that the pages
    existed, with nothing personal in it). No commit; returns how many page rows went.
    Idempotent."""
    if not item_ids:
        return 0
    photos = session.exec(select(DossierPage.photo)
                          .where(col(DossierPage.consignment_id).in_(item_ids))).all()
    pdfs = session.exec(select(CollectionOrder.pages_pdf).where(
        col(CollectionOrder.consignment_id).in_(item_ids),
        col(CollectionOrder.pages_pdf).is_not(None))).all()
    if photo_folder is not None:
        folder = pages_folder(photo_folder)
        for photo in photos:
            if PHOTO_ID.fullmatch(photo):
                (folder / photo).unlink(missing_ok=True)
        for pdf in pdfs:
            discard_pages(folder, (), pdf)
    session.exec(delete(DossierPage).where(col(DossierPage.consignment_id).in_(item_ids)))
    session.exec(update(CollectionOrder).where(col(CollectionOrder.consignment_id).in_(item_ids))
                 .values(pages_pdf=None).execution_options(synchronize_session=False))
    return len(photos)

