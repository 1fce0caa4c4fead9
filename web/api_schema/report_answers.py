"""The quality report's body (GET /api/v1/reports/quality, CONTRACT.md "Service quality"), as
web/quality_api.py builds it from tracking.service_quality. Definitions: docs/quality.md."""

import datetime as dt

from pydantic import AwareDatetime, Field

from delivery.quality import DELIVERY_TIME_BUCKETS
from delivery.status_model import NON_DELIVERY_REASONS

from .answers import Answer, Status, TrackingNumber


class PastDue(Answer):
    tracking_number: TrackingNumber
    due_at: AwareDatetime
    status: Status
    holder_kind: str = Field(description="courier | office | agency")
    holder: str = Field(description="the courier's username, the office's or agency's name")


class ReasonShare(Answer):
    reason: str = Field(json_schema_extra={"enum": list(NON_DELIVERY_REASONS)})
    count: int
    cumulative_share: float = Field(description="0..1, this reason and those before it")


class RatingSummary(Answer):
    count: int
    average: float | None


class Comment(Answer):
    tracking_number: TrackingNumber
    stars: int = Field(ge=1, le=5)
    comment: str
    given_at: AwareDatetime


class Period(Answer):
    from_: dt.date = Field(alias="from")
    to: dt.date


class QualityReport(Answer):
    """Figures of the period and the caller's scope (narrowed as asked)."""

    period: Period
    volume: int = Field(description="items created in the period")
    delivered: int = Field(description="items delivered in the period")
    on_time: int = Field(description="delivered by their due date")
    late: int = Field(description="delivered after their due date")
    without_due_date: int
    returned: int = Field(description="returned to the agency in the period")
    first_attempt_success_rate: float | None
    attempts_per_delivery: float | None
    failed_attempts: int
    failures_by_reason: dict[str, int] = Field(description="reason -> failed attempts, largest "
                                                           "first")
    failures_pareto: list[ReasonShare]
    delivery_times: dict[str, int] = Field(
        description="delivered items by time from intake to delivery: "
                    + ", ".join(key for key, _ in DELIVERY_TIME_BUCKETS))
    past_due_count: int
    past_due: list[PastDue] = Field(description="open items past due now, oldest first (at most "
                                                "100)")
    collected_vnd: int
    to_collect_vnd: int
    rating: RatingSummary
    recent_comments: list[Comment]
