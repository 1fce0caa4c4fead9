"""What a pick-up at the door records (event ``picked_up`` of a collection, or ``accepted`` when the
citizen hands the dossier in at a counter): each document of the booking's checklist present or
missing, and how many pages were photographed. A missing document
is recorded, not refused: the citizen may still send the dossier (the agency decides).

The scan body carries ``documents`` (one ``{"present": bool}`` per checklist entry, in the
checklist's order; a ``name`` may come along and is ignored) and ``pages``. The proof kept with the
event is small whatever the checklist's length: ``{"documents": n, "missing": [numbers], "pages":
p}``, numbers counting from 1; the names stay on the booking.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from delivery.collection_models import CollectionOrder
from delivery.collections import MAX_DOCUMENTS, checklist_of
from delivery.errors import ValidationFailed

MAX_PAGES = 300  # a thick dossier; more is a mistake at the door
# The events that take a collection's dossier into the post's hands, checked against its checklist:
# at the citizen's door, or handed in at a counter.
CHECKED_EVENTS = frozenset({"picked_up", "accepted"})


def pickup_proof(payload: dict[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """The pick-up part of a scan's proof, from the body's ``documents`` and ``pages``; None when
    neither is sent. What is wrong goes into ``errors`` by field."""
    documents, pages = payload.get("documents"), payload.get("pages")
    if documents is None and pages is None:
        return None
    if not isinstance(documents, list) or len(documents) > MAX_DOCUMENTS or not all(
            isinstance(d, dict) and isinstance(d.get("present"), bool) for d in documents):
        errors["documents"] = ("mỗi giấy tờ trong danh mục: có hay thiếu / each checklist "
                               "document as {\"present\": true|false}, in the checklist's order")
        documents = []
    if not isinstance(pages, int) or isinstance(pages, bool) or not 0 <= pages <= MAX_PAGES:
        errors["pages"] = (f"số trang đã chụp, 0 đến {MAX_PAGES} / "
                           f"pages photographed, 0..{MAX_PAGES}")
    missing = [number for number, d in enumerate(documents, start=1) if not d["present"]]
    return {"documents": len(documents), "missing": missing, "pages": pages}


def check_pickup(session: Session, item_id: int, proof: dict[str, Any] | None) -> None:
    """A pick-up must say, for every document of the booking's checklist, whether it was there;
    ValidationFailed (field ``documents``) otherwise."""
    order = session.get(CollectionOrder, item_id)
    expected = len(checklist_of(order)) if order else 0
    if not proof or proof.get("documents") != expected:
        raise ValidationFailed({"documents": (
            f"cần đối chiếu đủ {expected} giấy tờ trong danh mục / say for each of the "
            f"{expected} checklist documents whether it is there")})
