"""Label printing in the domain's words: which consignments a batch prints, in what order, and who
printed what when (so a reprint — a second label for the same item — is always accountable).

Functions take a Session and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from labels.manifest import ManifestData, ManifestLine

from . import s10
from .access import Scope, visible
from .accounts import actor_names
from .address import ward_and_province_of
from .errors import ValidationFailed
from .manifest_models import Manifest
from .manifests import manifest_consignments
from .models import VIETNAM_TIME, Agency, Consignment, PostOffice
from .print_models import LabelPrint, PrintJob

MAX_BATCH = 5000
MAX_PRINT_REASON = 300  # LabelPrint.reason and PrintJob.reason hold this many characters


def parse_tracking_numbers(raw: object, field: str = "tracking_numbers") -> list[str]:
    """A non-empty list of S10 numbers (spaces and case forgiven), duplicates dropped, order kept.

    Raises ValidationFailed naming `field` for anything else, listing the malformed numbers.
    """
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) for n in raw):
        raise ValidationFailed({field: "cần danh sách số hiệu / "
                                       "a non-empty list of tracking numbers is required"})
    if len(raw) > MAX_BATCH:
        raise ValidationFailed({field: f"tối đa / at most {MAX_BATCH}"})
    numbers = [s10.normalise(n) for n in raw]
    bad = [raw[i] for i, n in enumerate(numbers) if not s10.is_valid(n)]
    if bad:
        raise ValidationFailed({field: "số hiệu không hợp lệ / not valid S10 numbers: "
                                       + ", ".join(bad[:20])})
    return list(dict.fromkeys(numbers))


def consignments_in_order(session: Session, numbers: list[str], scope: Scope
                          ) -> list[Consignment]:
    """The consignments with these (normalised) numbers, in the given order.

    Raises ValidationFailed on ``tracking_numbers`` listing every number that does not exist or
    that ``scope`` does not see (the same words for both: existence never leaks).
    """
    found: dict[str, Consignment] = {}
    # keeps each IN (...) list within every database's limits
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        found |= {c.tracking_number: c for c in session.exec(
            select(Consignment).where(Consignment.tracking_number.in_(chunk), visible(scope))
        ).all()}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise ValidationFailed({"tracking_numbers": "không có bưu gửi / unknown: "
                                                    + ", ".join(unknown[:50])},
                               unknown=unknown)
    return [found[n] for n in numbers]


def print_reason(raw: object, field: str = "reason") -> str | None:
    """Why a label is printed (again): None when not given or blank, else the text without
    surrounding spaces.

    Raises ValidationFailed naming ``field`` for anything but a string of at most
    MAX_PRINT_REASON characters, counted as sent (spaces included, as the API document counts).
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValidationFailed({field: "phải là chuỗi / must be a string"})
    if len(raw) > MAX_PRINT_REASON:
        raise ValidationFailed({field: f"tối đa {MAX_PRINT_REASON} ký tự / "
                                       f"at most {MAX_PRINT_REASON} characters"})
    return raw.strip() or None


def record_prints(session: Session, consignments: list[Consignment], actor: str, fmt: str,
                  reason: str | None = None, print_job_id: int | None = None) -> list[LabelPrint]:
    """Record that labels of `consignments` were handed out; each one is a reprint when that
    consignment had been printed before. Not idempotent: every call is one more print.

    A batch's reason is optional (it mixes first prints and reprints); ValidationFailed on
    ``reason`` when it is not one (print_reason)."""
    reason = print_reason(reason)
    printed_before = _printed_before(session, [c.id for c in consignments])
    rows = [LabelPrint(consignment_id=c.id, actor=actor, format=fmt, reprint=c.id in printed_before,
                       reason=reason, print_job_id=print_job_id)
            for c in consignments]
    session.add_all(rows)
    session.flush()
    return rows


def record_label_print(session: Session, consignment: Consignment, actor: str, fmt: str,
                       reason: object = None) -> LabelPrint:
    """Record one label of `consignment` handed out by `actor` in `fmt`. Not idempotent: every
    call is one more print.

    A reprint (the consignment was printed before) must say why: ValidationFailed on ``reason``
    when it does not, or when the reason is not one (print_reason)."""
    reason = print_reason(reason)
    if reason is None and _printed_before(session, [consignment.id]):
        raise ValidationFailed({"reason": "nhãn này đã in rồi: in lại cần ghi lý do / "
                                          "already printed: a reprint needs a reason"})
    (row,) = record_prints(session, [consignment], actor, fmt, reason)
    return row


def _printed_before(session: Session, ids: list[int]) -> set[int]:
    seen: set[int] = set()
    for start in range(0, len(ids), 500):
        seen |= set(session.exec(select(LabelPrint.consignment_id).where(
            LabelPrint.consignment_id.in_(ids[start:start + 500]))).all())
    return seen


def prints_of(session: Session, consignment: Consignment) -> list[LabelPrint]:
    """Every recorded print of this consignment's label, oldest first."""
    return list(session.exec(select(LabelPrint).where(LabelPrint.consignment_id == consignment.id)
                             .order_by(LabelPrint.id)).all())


def create_print_job(session: Session, numbers: list[str], actor: str, size: str, sheet: str,
                     scope: Scope, reason: str | None = None) -> PrintJob:
    """A queued background print job for these consignments (checked now, against the caller's
    ``scope``, not at render time); ValidationFailed for a ``reason`` print_reason refuses."""
    consignments_in_order(session, numbers, scope)
    job = PrintJob(created_by=actor, size=size, sheet=sheet, reason=print_reason(reason),
                   tracking_numbers=json.dumps(numbers), total=len(numbers))
    session.add(job)
    session.flush()
    return job


def job_numbers(job: PrintJob) -> list[str]:
    return json.loads(job.tracking_numbers)


def manifest_data(session: Session, manifest: Manifest) -> ManifestData:
    """What the printed manifest shows: who gives and who takes, the items (S10, the ward of the
    citizen's address) and the signatories. Results come from the agency to the office; collected
    dossiers go from the office to the agency (biên bản bàn giao hồ sơ) or to another office."""
    lines = []
    for c in manifest_consignments(session, manifest):
        ward, province = ward_and_province_of(session, c)
        collect = c.amount_vnd if c.payer == "recipient" and c.amount_vnd else None
        lines.append(ManifestLine(c.tracking_number, ward.name if ward else "",
                                  province.name if province else "", collect))
    office = session.get(PostOffice, manifest.office_id)
    agency = session.get(Agency, manifest.agency_id).name
    creator = actor_names(session, [manifest.created_by]).get(manifest.created_by,
                                                              manifest.created_by)
    parties = _parties(session, manifest, agency, f"{office.name} ({office.code})")
    return ManifestData(
        number=manifest.number, created_by=creator,
        created_at=manifest.created_at.astimezone(VIETNAM_TIME),
        items=tuple(lines), agency_signatory=manifest.agency_signatory,
        received_by=manifest.received_by, **parties,
    )


def _parties(session: Session, manifest: Manifest, agency: str, office: str) -> dict[str, Any]:
    """The header's giver (``agency``) and taker (``office``) fields of ManifestData, by the
    manifest's direction, with the dossiers' signatories."""
    if manifest.direction == "from_agency":
        return {"agency": agency, "office": office}
    if manifest.direction == "to_agency":
        return {"agency": office, "office": agency, "kind": "dossiers",
                "giver": manifest.received_by, "taker": manifest.agency_signatory}
    to_office = session.get(PostOffice, manifest.to_office_id)
    return {"agency": office, "office": f"{to_office.name} ({to_office.code})",
            "kind": "dossiers", "taker": manifest.received_by}
