"""Request bodies as the upstream system and the courier app send them."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

CONTRACT_INTAKE: dict[str, Any] = {
    "dossier_code": "000.00.01.H26-250609-0001",
    "procedure": "Cấp giấy phép xây dựng",
    "recipient": {"name": "Nguyễn Văn An", "phone": "0912345678", "national_id": "001085012345"},
    "address": "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội",
    "payment": {"payer": "recipient", "amount_vnd": 22000},
    "note": "Gọi trước khi giao",
}
VN = timezone(timedelta(hours=7))
# The contract's item is paid by the recipient at the door: a delivery says what was collected, how.
PROOF = {"received_by": "Nguyễn Văn An", "relation": "self", "id_last4": "2345",
         "collected_vnd": 22000, "payment_method": "cash"}


def intake_body(number: int = 1, **overrides: Any) -> dict[str, Any]:
    """The contract's example, with the dossier's daily number set to ``number``."""
    body = copy.deepcopy(CONTRACT_INTAKE)
    body["dossier_code"] = f"000.00.01.H26-250609-{number:04d}"
    body.update(overrides)
    return body


def with_otp(body: dict[str, Any], code: str) -> dict[str, Any]:
    """A delivery scan carrying the OTP the recipient read out (``proof.otp``)."""
    return {**body, "proof": {**body.get("proof", PROOF), "otp": code}}


def scan_body(tracking_number: str, event: str, **extra: Any) -> dict[str, Any]:
    body = {"event_id": str(uuid.uuid4()), "tracking_number": tracking_number, "event": event,
            "occurred_at": datetime.now(VN).isoformat()}
    if event == "delivery_failed":
        body["reason"] = "recipient_absent"
    if event == "delivered":
        body["proof"] = dict(PROOF)
    if event == "picked_up":  # collection_body's three documents, all there, on 4 pages
        body.update(documents=[{"present": True}] * 3, pages=4)
    body.update(extra)
    return body


# The events that take a consignment from `created` to each status, in order.
PATH_TO: dict[str, list[str]] = {
    "created": [],
    "accepted": ["accepted"],
    "in_transit": ["accepted", "arrived_hub"],
    "at_delivery_office": ["accepted", "arrived_hub", "arrived_delivery_office"],
    "out_for_delivery": ["accepted", "arrived_delivery_office", "out_for_delivery"],
    "attempt_failed": ["accepted", "arrived_delivery_office", "out_for_delivery",
                       "delivery_failed"],
    "held_for_pickup": ["accepted", "arrived_delivery_office", "held_for_pickup"],
    "delivered": ["accepted", "arrived_delivery_office", "out_for_delivery", "delivered"],
    "returning": ["accepted", "arrived_delivery_office", "out_for_delivery", "delivery_failed",
                  "out_for_delivery", "delivery_failed"],
    "returned": ["accepted", "arrived_delivery_office", "out_for_delivery", "delivery_failed",
                 "returned_to_agency"],
    "cancelled": ["cancelled"],
}


# The events that take a collection from `created` to each of its statuses.
COLLECTION_PATH_TO: dict[str, list[str]] = {
    "created": [],
    "picked_up": ["picked_up"],
    "accepted": ["accepted"],
    "attempt_failed": ["delivery_failed"],
    "in_transit": ["picked_up", "arrived_hub"],
    "at_delivery_office": ["picked_up", "arrived_hub", "arrived_delivery_office"],
    "handed_to_agency": ["picked_up", "arrived_hub", "handed_to_agency"],
    "cancelled": ["cancelled"],
}


def collection_body(number: int | None = 1, *, days_ahead: int = 1, **overrides: Any
                    ) -> dict[str, Any]:
    """A booking as CONTRACT.md "Collections" shows it: tomorrow 08:00-10:00 at the contract's
    address in Hoàn Kiếm (the demo's office 100100 collects there); no dossier code when
    ``number`` is None."""
    day = (datetime.now(VN) + timedelta(days=days_ahead)).date()
    body: dict[str, Any] = {
        "procedure": "Đăng ký khai sinh",
        "citizen": {"name": "Trần Thị Bình", "phone": "0987654321", "national_id": "001190012345"},
        "address": "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội",
        "window": {"date": day.isoformat(), "from": "08:00", "to": "10:00"},
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "copies": 1},
                      {"name": "Giấy chứng sinh", "copies": 1},
                      {"name": "Giấy chứng nhận kết hôn của cha mẹ (bản sao)", "copies": 2}],
        "fee": {"payer": "citizen", "amount_vnd": 15000},
    }
    if number is not None:
        body["dossier_code"] = f"000.00.01.H26-250609-{number:04d}"
    body.update(overrides)
    return body
