"""Domain errors. The web layer maps each class to one HTTP status in one handler.

Every error carries a human-readable ``detail``; validation errors also carry
``errors`` (field -> message) and may carry ``candidates`` for addresses.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    title = "Domain error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    title = "Not found"


class Conflict(DomainError):
    """The request contradicts what is already stored (e.g. a reused dossier code)."""

    title = "Conflict"


class TransitionNotAllowed(Conflict):
    """The status model forbids this event from the consignment's current status."""

    title = "Transition not allowed"


class LimitReached(DomainError):
    """The caller asked for this more often than allowed in the period (a daily cap)."""

    title = "Too many requests"


class ValidationFailed(DomainError):
    """Input is malformed; ``errors`` maps each field to what is wrong with it."""

    title = "Validation failed"

    def __init__(self, errors: dict[str, str], detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or "; ".join(f"{k}: {v}" for k, v in errors.items()), **extra)
        self.errors = errors


class AddressNotResolved(ValidationFailed):
    """An address could not be placed on exactly one post-2025 ward.

    ``candidates`` lists the wards it could be (possibly empty for nonsense).
    """

    title = "Address not resolved"

    def __init__(self, detail: str, candidates: list[dict[str, Any]] | None = None,
                 field: str = "address") -> None:
        super().__init__({field: detail}, detail=detail)
        self.candidates = candidates or []
