"""A realistic sample label, for tests, screenshots and printer calibration prints."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from labels.model import LabelData

SAMPLE = LabelData(
    tracking_number="RR287043775VN",
    qr_url="https://ketqua.example.gov.vn/t/RR287043775VN",
    sender="Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa",
    recipient_name="Nguyễn Thị Hồng Nhung",
    recipient_phone="0901 234 567",
    street="Số 12 đường Nguyễn Thị Minh Khai, tổ 5, khu phố 3",
    ward="Phường Bến Thành",
    province="Thành phố Hồ Chí Minh",
    legacy_line="Phường Bến Thành, Quận 1, TP. Hồ Chí Minh",
    destination_office="Bưu cục Sài Gòn (700000)",
    sort_code="79-HCM",
    dossier_code="H48.15-250601-0012",
    amount_to_collect_vnd=22000,
    printed_on=datetime.date(2025, 6, 1),
)


def sample_label(**overrides: Any) -> LabelData:
    """SAMPLE with some fields replaced (fictitious person, address and numbers)."""
    return dataclasses.replace(SAMPLE, **overrides)
