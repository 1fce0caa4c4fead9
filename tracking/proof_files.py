"""Photos taken at the door (the delivered item, the closed premises),
kept as files outside the database.

Files are named by a random id; the event stores only that id. Only images are accepted, recognised
by their first bytes (not by what the browser claims), and only up to a size limit. A file no event
names (the upload of a request that died before its scan was recorded; a refused scan's is
discarded at once) is deleted by sweep_unreferenced once it is old enough that no scan can still
be about to name it.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from delivery.access import Scope, visible
from delivery.errors import NotFound, ValidationFailed
from delivery.models import Consignment, TrackingEvent

MAX_BYTES = 4 * 1024 * 1024  # a phone photo; the request limit (MAX_CONTENT_LENGTH) must allow it
_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
PHOTO_ID = re.compile(r"[0-9a-f]{32}\.(jpg|png|webp)")
# A scan stores its photo just before its event is committed: far longer than any request lasts.
UNREFERENCED_AFTER = timedelta(hours=1)


def image_kind(data: bytes) -> str | None:
    """``jpg``, ``png`` or ``webp`` from the file's first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in _SIGNATURES.items() if data.startswith(magic)), None)


def store_photo(folder: Path, data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """Write ``data`` under ``folder`` and return its id; raises ValidationFailed
    (field ``photo``)."""
    if not data:
        raise ValidationFailed({"photo": "ảnh trống / the photo is empty"})
    if len(data) > max_bytes:
        raise ValidationFailed({"photo": f"ảnh quá {max_bytes // 1024 // 1024} MB / "
                                         f"photo larger than {max_bytes // 1024 // 1024} MB"})
    kind = image_kind(data)
    if kind is None:
        raise ValidationFailed({"photo": "chỉ nhận ảnh JPEG, PNG hoặc WebP / "
                                         "only JPEG, PNG or WebP photos"})
    proof_id = f"{uuid.uuid4().hex}.{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / proof_id).write_bytes(data)
    return proof_id


def photo_of_visible_item(session: Session, proof_id: str, scope: Scope) -> bool:
    """Whether ``proof_id`` is the door photo of a delivery on an item ``scope`` sees (a photo no
    event names is nobody's to read)."""
    if not PHOTO_ID.fullmatch(proof_id or ""):
        return False
    return session.exec(
        select(TrackingEvent.id).join(Consignment, Consignment.id == TrackingEvent.consignment_id)
        .where(col(TrackingEvent.proof).contains(f'"{proof_id}"'), visible(scope))
    ).first() is not None


def discard_photo(folder: Path, proof_id: str) -> None:
    """Delete the upload of a scan that was refused: no event names it, so nobody could ever see or
    erase it (idempotent)."""
    if PHOTO_ID.fullmatch(proof_id or ""):
        (folder / proof_id).unlink(missing_ok=True)


def photo_path(folder: Path, proof_id: str) -> Path:
    """The file of ``proof_id``; raises NotFound for an unknown or malformed id
    (never a path outside)."""
    if not PHOTO_ID.fullmatch(proof_id or "") or not (folder / proof_id).is_file():
        raise NotFound("không có ảnh / no such photo")
    return folder / proof_id


def sweep_unreferenced(session: Session, folder: Path, *,
                       older_than: timedelta = UNREFERENCED_AFTER) -> list[str]:
    """Delete the photos under ``folder`` that no tracking event names and that were last written
    more than ``older_than`` ago; returns their ids. Files not named like a photo id are left
    alone. Reads every event's proof that names a photo (once, streamed). Idempotent; safe while
    scans are recorded (a photo that young is kept)."""
    candidates = _old_photos(folder, time.time() - older_than.total_seconds())
    if candidates:
        candidates -= _named_photos(session)
    for proof_id in sorted(candidates):
        (folder / proof_id).unlink(missing_ok=True)
    return sorted(candidates)


def _old_photos(folder: Path, written_before: float) -> set[str]:
    if not folder.is_dir():
        return set()
    return {entry.name for entry in folder.iterdir()
            if PHOTO_ID.fullmatch(entry.name) and entry.is_file()
            and entry.stat().st_mtime < written_before}


def _named_photos(session: Session) -> set[str]:
    """The photo ids the events' proofs name."""
    proofs = session.exec(select(TrackingEvent.proof).where(
        col(TrackingEvent.proof).contains('"photo"')).execution_options(yield_per=1000))
    named = set()
    for proof in proofs:
        data = json.loads(proof)  # an unreadable proof stops the sweep: nothing is deleted
        if isinstance(data, dict) and isinstance(data.get("photo"), str):
            named.add(data["photo"])
    return named


def photo_of_scan(session: Session, client_event_id: str) -> str | None:
    """The door photo kept with the event already stored under ``client_event_id`` (a scan that a
    phone's offline queue sends again), None when no event has that id or it kept no photo. A
    repeat names this photo, so its own upload is never written and the event keeps one file."""
    proof = session.exec(select(TrackingEvent.proof).where(
        TrackingEvent.client_event_id == client_event_id)).first()
    data = json.loads(proof) if proof else None
    photo = data.get("photo") if isinstance(data, dict) else None
    return photo if isinstance(photo, str) else None
