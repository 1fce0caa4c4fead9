"""Input data for a postal label, and the label stock sizes we print on.

Deliberately there is no field for the administrative procedure or the dossier's
contents: the label travels through many hands, so it carries only what routing and
hand-over need (privacy by construction — keep it that way).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass


class LabelSize(enum.Enum):
    """Label stock, as (width_mm, height_mm). Portrait orientation."""

    THERMAL_100X150 = (100.0, 150.0)
    A6 = (105.0, 148.0)

    @property
    def width_mm(self) -> float:
        return self.value[0]

    @property
    def height_mm(self) -> float:
        return self.value[1]


DEFAULT_SIZE = LabelSize.THERMAL_100X150


@dataclass(frozen=True)
class LabelData:
    """Everything printed on one consignment label.

    `tracking_number` is a 13-character UPU S10 number (e.g. ``RR287043775VN``),
    encoded in the Code 128 barcode exactly as given. `qr_url` is encoded verbatim in
    the QR code. All other strings are free text and are escaped by the renderers.
    """

    tracking_number: str
    qr_url: str
    sender: str
    recipient_name: str
    recipient_phone: str
    street: str
    ward: str
    province: str
    legacy_line: str | None
    destination_office: str
    sort_code: str
    dossier_code: str
    amount_to_collect_vnd: int | None
    printed_on: datetime.date
