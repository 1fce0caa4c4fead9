"""Money at the door: what a recipient who pays hands the courier, in cash or by a VietQR transfer.

A ``delivered`` scan of an item the recipient pays carries ``proof.collected_vnd`` and
``proof.payment_method`` (the courier's form always sends them; for API clients they stay optional,
since the published contract's delivery proof has no money fields: a delivery recorded without them
has no Collection, which the reconciliation shows as money not accounted for). When either is sent
both must be valid. A Collection row is written in the same transaction as the event, so a
courier's day is one SUM over it. The office's reconciliation (expected vs collected per courier
and day, the supervisor's sign-off: tracking.reconciliation) reads each delivered event with its
Collection against the delivered item's amount_vnd.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Index, func, select
from sqlmodel import Field, Session, SQLModel

from delivery.labelling import PAYS_AT_THE_DOOR
from delivery.models import Agency, Consignment, PostOffice, UTCDateTime
from delivery.payment_account import receiving_account
from delivery.status_model import RecordedEvent
from delivery.vietnam_day import day_bounds
from delivery.vnd_amount import parse_vnd
from labels.vietqr import MAX_AMOUNT_VND, Transfer, vietqr_payload

PAYMENT_METHODS = ("cash", "transfer")
RECIPIENT_PAYS = "recipient"
# the events at which money changes hands at the door
MONEY_EVENTS = ("delivered", "picked_up")
# What the courier's field suggests to the browser: 22000, or 22.000 with the dot grouping
# thousands as in Vietnam; the server reads every form delivery.vnd_amount accepts.
COLLECTED_PATTERN = r"^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)$"
COLLECTED_ERROR = ("Số tiền đã thu phải là số đồng nguyên, không âm (vd 22000 hoặc 22.000) / "
                   "Amount collected must be a whole number of dong, not negative (e.g. 22000)")
METHOD_ERROR = ("Cách thu: tiền mặt hoặc chuyển khoản VietQR / "
                "How it was paid: cash or VietQR transfer")


class Collection(SQLModel, table=True):
    """Money a courier took at the door for one delivery; written with its ``delivered`` event."""

    __table_args__ = (Index("ix_collection_actor_collected", "actor", "collected_at"),
                      Index("ix_collection_office_collected", "office_id", "collected_at"))

    id: int | None = Field(default=None, primary_key=True)
    consignment_id: int = Field(foreign_key="consignment.id")
    event_id: int = Field(foreign_key="trackingevent.id", unique=True)
    actor: str = Field(max_length=60)  # as on the event: "user:<id>" for a courier
    office_id: int | None = Field(default=None, foreign_key="postoffice.id")
    amount_vnd: int = Field(sa_type=BigInteger)  # up to field 54's 13 digits, past int4
    method: str = Field(max_length=20)  # cash | transfer
    collected_at: datetime = Field(sa_type=UTCDateTime)


def collected_vnd(value: Any) -> int | None:
    """A collected amount as typed or sent (an integer, or text delivery.vnd_amount reads), or
    None when it is not a whole, non-negative number of dong ("22.000,5", -1, 22000.5, true)."""
    if isinstance(value, int) and not isinstance(value, bool):
        amount = value
    elif isinstance(value, str) and (read := parse_vnd(value)) is not None:
        amount = read
    else:
        return None
    return amount if 0 <= amount <= MAX_AMOUNT_VND else None


def payment_proof(value: Any, errors: dict[str, str]) -> dict[str, Any]:
    """``collected_vnd`` and ``payment_method`` of a scan's proof, checked (errors by field);
    empty when neither was sent (or the proof is not an object: tracking.scans says so)."""
    if not isinstance(value, dict):
        return {}
    amount, method = value.get("collected_vnd"), value.get("payment_method")
    if amount is None and method is None:
        return {}
    parsed = collected_vnd(amount)
    if parsed is None:
        errors["proof.collected_vnd"] = COLLECTED_ERROR
    if method not in PAYMENT_METHODS:
        errors["proof.payment_method"] = METHOD_ERROR
    return {"collected_vnd": parsed, "payment_method": method}


def record_collection(session: Session, event: RecordedEvent,
                      proof: dict[str, Any] | None) -> None:
    """Add the Collection of a just written ``delivered`` (or a collection's ``picked_up``: the
    citizen's fee) event whose proof says money was taken (no commit: it belongs to the event's
    transaction). Money said on any other event is kept in its proof only: it was not taken at
    the door."""
    if event.event not in MONEY_EVENTS or not proof or proof.get("collected_vnd") is None:
        return
    session.add(Collection(consignment_id=event.consignment_id, event_id=event.id,
                           actor=event.actor, office_id=event.office_id,
                           amount_vnd=proof["collected_vnd"], method=proof["payment_method"],
                           collected_at=event.occurred_at))
    session.flush()


def transfer_for(agency: Agency | PostOffice, tracking_number: str,
                 amount_vnd: int) -> str | None:
    """The VietQR payload for paying ``amount_vnd`` to ``agency``'s (or an office's) account with
    the tracking number as purpose, or None when it has no (valid) account configured."""
    try:
        return vietqr_payload(Transfer(agency.payment_bank_bin or "", agency.payment_account or "",
                                       amount_vnd, tracking_number))
    except ValueError:
        return None


class DoorMoney(NamedTuple):
    """What the courier collects for one item: ``amount_vnd``, and the VietQR ``payload`` to the
    agency's account (None when the agency configured none) with the holder's name."""

    amount_vnd: int
    payload: str | None
    account_name: str | None


def door_money(session: Session, item: Consignment) -> DoorMoney | None:
    """The money to take at the door for ``item``, or None when the recipient pays nothing."""
    if item.payer not in PAYS_AT_THE_DOOR or not item.amount_vnd:
        return None
    holder = receiving_account(session, item.agency_id, item.destination_office_id)
    return DoorMoney(item.amount_vnd, transfer_for(holder, item.tracking_number, item.amount_vnd),
                     holder.payment_account_name)


class CourierDay(NamedTuple):
    """What one courier collected on one day: totals by method and each collection with its item's
    tracking number."""

    totals: dict[str, int]
    collections: list[tuple[Collection, str]]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def courier_day(session: Session, actor: str, day: date) -> CourierDay:
    """``actor``'s collections on ``day`` (Vietnam time), oldest first, and totals by method."""
    start, end = day_bounds(day)
    window = (Collection.actor == actor, Collection.collected_at >= start,
              Collection.collected_at < end)
    totals = dict(session.exec(select(Collection.method, func.sum(Collection.amount_vnd))
                               .where(*window).group_by(Collection.method)).all())
    rows = session.exec(select(Collection, Consignment.tracking_number)
                        .join(Consignment, Consignment.id == Collection.consignment_id)
                        .where(*window).order_by(Collection.collected_at, Collection.id)).all()
    return CourierDay({m: int(totals.get(m) or 0) for m in PAYMENT_METHODS},
                      [(row, number) for row, number in rows])
