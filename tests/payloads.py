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
