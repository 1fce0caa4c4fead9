"""What resolving an address answers: one post-2025 ward, the street as written, and the old units
the text was written with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LegacyUnits:
    """The pre-2025 units the address was written with (canonical old names, with diacritics).

    ``ward`` is empty for an island district that became a special zone whole; ``district`` is empty
    when the text left it out and the old ward name alone does not tell which district it was.
    """

    province: str
    district: str
    ward: str


@dataclass(frozen=True)
class ResolvedAddress:
    """One post-2025 ward (GSO codes) plus the street part as written.

    ``confidence`` is 1.0 for structured input or an exact current name, about 0.95 for a current
    name without diacritics, 0.9 for an old three-tier address, 0.85 when a unit had to be skipped
    or inferred. ``candidates`` is empty: an address that is not sure raises instead.
    """

    province_code: int
    province_name: str
    ward_code: int
    ward_name: str
    street: str
    legacy: LegacyUnits | None = None
    confidence: float = 1.0
    candidates: list[dict[str, Any]] = field(default_factory=list)
