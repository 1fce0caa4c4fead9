"""What resolving an address answers: one post-2025 ward, the street as written, and the old units
the text was written with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

# An answer below this confidence is a suggestion for a person to confirm, never a sure placement.
CONFIDENT = 0.8
TYPO_CONFIDENCE = 0.7  # a ward name read as the one official name one edit away
MARKS_CONFIDENCE = 0.75  # a ward name read with other tone or vowel marks than its official name


@dataclass(frozen=True, slots=True)
class LegacyUnits:
    """The pre-2025 units the address was written with (canonical old names, with diacritics).

    ``ward`` is empty for an island district that became a special zone whole; ``district`` is empty
    when the text left it out and the old ward name alone does not tell which district it was.
    """

    province: str
    district: str
    ward: str


class Correction(NamedTuple):
    """A unit name as written and the official name it was read as ("Phường Bến Ngé" →
    "Phường Bến Nghé"): old official names for an old unit, so the clerk recognises it."""

    written: str
    official: str


@dataclass(frozen=True)
class ResolvedAddress:
    """One post-2025 ward (GSO codes) plus the street part as written.

    ``confidence`` is 1.0 for structured input or an exact current name, about 0.95 for a current
    name without diacritics, 0.9 for an old three-tier address, 0.85 when a unit had to be skipped
    or inferred (the province left out, when the rest names one unit in the whole country); below
    ``CONFIDENT`` when the ward's name was corrected (``corrections`` says from what to what:
    ``MARKS_CONFIDENCE`` for other tone marks, ``TYPO_CONFIDENCE`` for one letter), which a person
    should confirm. ``candidates`` is empty: an address that is not sure raises instead.
    """

    province_code: int
    province_name: str
    ward_code: int
    ward_name: str
    street: str
    legacy: LegacyUnits | None = None
    confidence: float = 1.0
    candidates: list[dict[str, Any]] = field(default_factory=list)
    corrections: tuple[Correction, ...] = ()
