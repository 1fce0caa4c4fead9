"""A delivery office's beats (tuyến phát): each a set of the office's wards, with the courier who
walks it. The same contract as delivery.directory: an entry is the whole wanted state, save_beat
is idempotent, errors are ValidationFailed keyed by the directory's field names, no commit.

Two beats of one office may share a ward (a large ward split between couriers by streets).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from .directory import Saved, find_office
from .directory_fields import text
from .errors import ValidationFailed
from .models import OfficeWard, PostOffice, User, Ward
from .organisation import Beat, BeatWard
from .served import listing, ward_label

_BEAT_CODE_LENGTH = 20


@dataclass(frozen=True)
class BeatEntry:
    office: str  # the delivery office's code
    code: str  # unique within the office, e.g. T01
    name: str = ""
    wards: tuple[int, ...] = ()  # GSO codes, each among the office's wards
    courier: str = ""  # username of a courier of that office; "" for none yet


def save_beat(session: Session, entry: BeatEntry, *, new: bool = False) -> Saved[Beat]:
    """Create or update the beat ``entry.code`` of office ``entry.office`` to match ``entry``;
    with ``new`` (a creation form) a code the office already has is refused instead. Raises
    ValidationFailed: office (unknown, or not a delivery office), code, name, wards (none, or one
    the office does not serve), courier (unknown, not a courier, of another office,
    disabled)."""
    errors: dict[str, str] = {}
    office = _delivery_office(session, entry.office, errors)
    code, name = text(entry.code), text(entry.name)
    if not code or len(code) > _BEAT_CODE_LENGTH:
        errors["code"] = f"bắt buộc, tối đa {_BEAT_CODE_LENGTH} ký tự / required, at most " \
                         f"{_BEAT_CODE_LENGTH} characters"
    elif new and office and _find_beat(session, office, code):
        errors["code"] = (f"bưu cục {office.code} đã có tuyến {code} / office {office.code} "
                          f"already has beat {code}")
    if len(name) > 200:
        errors["name"] = "tối đa 200 ký tự / at most 200 characters"
    courier_id = _courier_id(session, office, entry.courier, errors) if office else None
    if office:
        _check_beat_wards(session, office, entry.wards, errors)
    if errors:
        raise ValidationFailed(errors)
    assert office is not None  # an unknown office is an error above
    return _write_beat(session, office, code, name, courier_id, entry.wards)


def delete_beat(session: Session, office_code: str, code: str) -> bool:
    """Remove the beat (its wards stay with the office); False when there was none
    (idempotent)."""
    office = find_office(session, office_code)
    beat = _find_beat(session, office, text(code)) if office else None
    if beat is None:
        return False
    for beat_ward in session.exec(select(BeatWard).where(BeatWard.beat_id == beat.id)):
        session.delete(beat_ward)
    session.flush()  # no ORM relationship tells the flush that the beat's wards go first
    session.delete(beat)
    session.flush()
    return True


def beat_entries(session: Session, office: PostOffice) -> list[BeatEntry]:
    """The office's beats as entries, by code."""
    beats = session.exec(select(Beat).where(Beat.office_id == office.id).order_by(Beat.code))
    couriers = dict(session.exec(select(User.id, User.username)
                                 .join(Beat, col(Beat.courier_id) == User.id)
                                 .where(Beat.office_id == office.id)).all())
    return [BeatEntry(office.code, beat.code, beat.name, _beat_wards(session, beat),
                      couriers.get(beat.courier_id, "")) for beat in beats]


def _write_beat(session: Session, office: PostOffice, code: str, name: str,
                courier_id: int | None, wards: tuple[int, ...]) -> Saved[Beat]:
    beat = _find_beat(session, office, code)
    created = beat is None
    if beat is None:
        beat = Beat(office_id=office.id, code=code, name=name, courier_id=courier_id)
        session.add(beat)
        session.flush()
    changed = created or (beat.name, beat.courier_id) != (name, courier_id)
    beat.name, beat.courier_id = name, courier_id
    current = {row.ward_code: row for row in
               session.exec(select(BeatWard).where(BeatWard.beat_id == beat.id))}
    for ward in set(wards) - current.keys():
        session.add(BeatWard(beat_id=beat.id, ward_code=ward))
    for ward in current.keys() - set(wards):
        session.delete(current[ward])
    session.flush()
    return Saved(beat, created, changed or set(wards) != current.keys())


def _delivery_office(session: Session, code: str, errors: dict[str, str]) -> PostOffice | None:
    office = find_office(session, code) if text(code) else None
    if office is None:
        errors["office"] = (f"không có bưu cục mã {text(code)!r} / no office with code "
                            f"{text(code)!r}" if text(code) else "bắt buộc / required")
        return None
    if office.kind != "delivery_office":
        errors["office"] = (f"tuyến phát chỉ thuộc bưu cục phát; {office.code} không phải / beats "
                            f"belong to delivery offices only, and {office.code} is not one")
        return None
    return office


def _check_beat_wards(session: Session, office: PostOffice, codes: tuple[int, ...],
                      errors: dict[str, str]) -> None:
    if not codes:
        errors["wards"] = "ít nhất một phường xã / at least one ward"
        return
    served = set(session.exec(select(OfficeWard.ward_code)
                              .where(OfficeWard.office_id == office.id)).all())
    outside = [code for code in codes if code not in served]
    if outside:
        names = dict(session.exec(select(Ward.code, Ward.name)
                                  .where(col(Ward.code).in_(outside))).all())
        labels = [ward_label(c, names[c]) if c in names else f"{c:05d}" for c in outside]
        errors["wards"] = (f"bưu cục {office.code} không phát phường xã này / not among the wards "
                           f"office {office.code} serves: {listing(labels)}")


def _courier_id(session: Session, office: PostOffice, username: str,
                errors: dict[str, str]) -> int | None:
    username = text(username)
    if not username:
        return None
    user = session.exec(select(User).where(User.username == username)).first()
    problem = None
    if user is None:
        problem = f"không có tài khoản {username!r} / no user named {username!r}"
    elif user.role != "courier":
        problem = f"{username} không phải bưu tá / {username} is not a courier"
    elif user.office_id != office.id:
        problem = (f"{username} không thuộc bưu cục {office.code} / {username} does not work at "
                   f"office {office.code}")
    elif not user.active:
        problem = f"tài khoản {username} đã khóa / {username} is disabled"
    if problem:
        errors["courier"] = problem
        return None
    return user.id


def _find_beat(session: Session, office: PostOffice, code: str) -> Beat | None:
    return session.exec(select(Beat).where(Beat.office_id == office.id,
                                           Beat.code == code)).first()


def _beat_wards(session: Session, beat: Beat) -> tuple[int, ...]:
    return tuple(session.exec(select(BeatWard.ward_code).where(BeatWard.beat_id == beat.id)
                              .order_by(BeatWard.ward_code)).all())
