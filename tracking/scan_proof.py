"""The proof of a scan: who received the item and how identity was checked (never a copy of the
document), the door photo's id and the money taken at the door. The limits here are the ones the
API's document states too (web/api_schema)."""

from __future__ import annotations

import re
from typing import Any

from .money import payment_proof
from .pickup_proof import pickup_proof
from .proof_files import PHOTO_ID

RELATIONS = ("self", "proxy")
ID_LAST4_PATTERN = r"^[0-9]{4}$"  # the last 4 digits of the document shown at the door
_ID_LAST4 = re.compile(ID_LAST4_PATTERN)
# How the ID digits were taken: read from the card's QR on the phone (tracking.id_card), or typed.
ID_SOURCES = ("cccd_qr", "typed")
MAX_RECEIVED_BY = 200
# With the other proof fields inside TrackingEvent.proof's 2,000 as JSON: control characters,
# which JSON writes as 6 ("\u0001"), are refused (delivery.typed_text), others take at most 2.
MAX_AUTHORISATION_REF = 200


def proof_of_scan(payload: dict[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """The proof to keep with the event from a scan body's ``proof`` and ``photo``; what is wrong
    goes into ``errors`` by field."""
    proof = _with_photo(_proof(payload.get("proof"), errors), payload.get("photo"), errors)
    if pickup := pickup_proof(payload, errors):
        proof = {**(proof or {}), **pickup}
    return {**(proof or {}), **money} if (money := payment_proof(payload.get("proof"),
                                                                 errors)) else proof


def _text_within(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value.strip()) <= limit


def _proof(value: Any, errors: dict[str, str]) -> dict[str, str] | None:
    """Who received the item and how identity was checked; never a copy of the document."""
    if value is None:
        return None
    if not isinstance(value, dict):
        errors["proof"] = "phải là đối tượng / must be an object"
        return None
    received_by, relation = value.get("received_by"), value.get("relation", "self")
    if not isinstance(received_by, str) or not 1 <= len(received_by.strip()) <= MAX_RECEIVED_BY:
        errors["proof.received_by"] = "tên người nhận / name of the person who received it"
    if relation not in RELATIONS:
        errors["proof.relation"] = f"một trong / one of: {', '.join(RELATIONS)}"
    id_last4 = value.get("id_last4")
    if id_last4 is not None and not (isinstance(id_last4, str) and _ID_LAST4.fullmatch(id_last4)):
        errors["proof.id_last4"] = "4 chữ số cuối giấy tờ / last 4 digits of the document"
    authorisation = value.get("authorisation_ref")
    if relation == "proxy" and not (isinstance(authorisation, str) and authorisation.strip()):
        errors["proof.authorisation_ref"] = ("người nhận thay cần giấy ủy quyền / "
                                             "a proxy needs the authorisation letter")
    elif authorisation is not None and not _text_within(authorisation, MAX_AUTHORISATION_REF):
        errors["proof.authorisation_ref"] = (f"tối đa {MAX_AUTHORISATION_REF} ký tự / "
                                             f"at most {MAX_AUTHORISATION_REF} characters")
    id_source = value.get("id_source")
    if id_source is not None and id_source not in ID_SOURCES:
        errors["proof.id_source"] = f"một trong / one of: {', '.join(ID_SOURCES)}"
    keep = {"received_by": received_by, "relation": relation, "id_last4": id_last4,
            "authorisation_ref": authorisation, "id_source": id_source}
    return {k: v.strip() for k, v in keep.items() if isinstance(v, str)}


def _with_photo(proof: dict[str, str] | None, photo: Any,
                errors: dict[str, str]) -> dict[str, str] | None:
    """A door photo (the id tracking.proof_files gave the upload) joins the proof kept with the
    event."""
    if photo is None:
        return proof
    if not isinstance(photo, str) or not PHOTO_ID.fullmatch(photo):
        errors["photo"] = "mã ảnh không hợp lệ / not a photo id from the upload"
        return proof
    return {**(proof or {}), "photo": photo}
