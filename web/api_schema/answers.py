"""Response bodies of the HTTP API, as web/serialise.py, tracking.timeline and web/printing.py
build them.

They forbid members they do not list, so the generated-requests test
(tests/hostile/test_openapi_fuzz.py) fails on a field added to an answer but not described here.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, create_model

from delivery import s10
from delivery.due_dates import DUE_DATE_CHANGED
from delivery.intake import PAYERS
from delivery.legacy_encoding import NAMES as LEGACY_ENCODINGS
from delivery.rerouting import REROUTED
from delivery.status_model import DIRECTIONS, EVENTS, REQUEST_EVENTS, STATUSES

from ..serialise import LABEL_FORMATS
from .answer_base import Answer
from .collection_answers import AgencyReceipt, ChecklistEntry, Fee, Window

TrackingNumber = Annotated[str, StringConstraints(pattern=s10.PATTERN)]
Status = Literal[STATUSES]
ConvertedFrom = Annotated[Literal[tuple(LEGACY_ENCODINGS)] | None, Field(
    description="Only when the text was typed in a legacy Vietnamese encoding (TCVN3/ABC or "
                "VNI-Windows) and was converted to Unicode before use")]


class Unit(Answer):
    """A post-2025 ward or province: GSO code and official name."""

    code: int
    name: str | None


class NamedUnit(Answer):
    code: int
    name: str


class LegacyUnits(Answer):
    """The pre-2025 units the address was written with."""

    province: str | None
    district: str | None
    ward: str | None


class Candidate(Answer):
    """A ward an unresolved address could be."""

    ward: NamedUnit
    province: NamedUnit


class Problem(BaseModel):
    """RFC 9457 problem details; more members give context (from_status, event, ...)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] = Field({}, description="On 422: field -> what is wrong with it")
    candidates: list[Candidate] = Field([], description="When an address names no single ward")


class Event(Answer):
    event_id: str
    # scans and system events, and those that leave the status as it was (the citizen's requests,
    # a re-routing, a due date moved with the calendar)
    event: Literal[(*EVENTS, *REQUEST_EVENTS, REROUTED, DUE_DATE_CHANGED)]
    upu_code: str | None
    status: Status
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    lat: float | None
    lon: float | None
    actor: str
    reason: str | None
    note: str | None
    proof: dict[str, Any] | None


class Contact(Answer):
    name: str
    phone: str


class Address(Answer):
    street: str
    ward: Unit
    province: Unit
    legacy: LegacyUnits | None
    text: str = Field(description="As written")


class Office(Answer):
    code: str
    name: str


class RouteLeg(Answer):
    code: str
    name: str
    kind: str
    reached: bool


class PaymentDue(Answer):
    payer: Literal[PAYERS]
    amount_vnd: int | None


# One URL per label format: the formats are the ones web/serialise.py links to.
LabelUrls = create_model("LabelUrls", __base__=Answer, **dict.fromkeys(LABEL_FORMATS, (str, ...)))


class Consignment(Answer):
    tracking_number: TrackingNumber
    dossier_code: str | None = Field(description="Null only for a collection booked without one")
    direction: Literal[DIRECTIONS] = Field(
        description="to_citizen: a result going to the citizen; to_agency: a collected dossier")
    status: Status
    tracking_url: str
    label_urls: LabelUrls
    recipient: Contact
    address: Address
    destination_office: Office | None
    route: list[RouteLeg]
    payment: PaymentDue | None
    attempts: int
    created_at: AwareDatetime
    due_at: AwareDatetime | None = Field(description="End of the due day, Vietnam time")
    appointment_date: dt.date | None = Field(description="As intake sent it, or null")
    events: list[Event]
    converted_from: ConvertedFrom = None
    window: Window | None = Field(None, description="Collections only")
    documents: list[ChecklistEntry] | None = Field(None, description="Collections only")
    fee: Fee | None = Field(None, description="Collections only, when a fee was booked")
    agency_receipt: AgencyReceipt | None = Field(
        None, description="Collections only: the agency's receipt once it has the dossier")


class ScanResult(Answer):
    event: Event
    status: Status


class ScanOutcome(Answer):
    """One scan of a batch: its HTTP status, and the result or the problem it would get alone."""

    http_status: int
    event: Event | None = None
    status: Status | None = None
    problem: Problem | None = None


class ScanBatchResults(Answer):
    results: list[ScanOutcome]


class Correction(Answer):
    """A unit name as written and the official name it was read as."""

    written: str = Field(description="As written, e.g. 'Phường Bến Ngé'")
    official: str = Field(description="The official name it was read as, e.g. 'Phường Bến Nghé' "
                                      "(the old name for an old unit)")


class AddressResolution(Answer):
    province: NamedUnit
    ward: NamedUnit
    street: str
    legacy: LegacyUnits | None
    confidence: float = Field(ge=0, le=1, description=(
        "1.0 exact; 0.85-0.95 read through old units, without diacritics or with the province "
        "inferred; below 0.8 the text was corrected (see corrections): ask the person to confirm"))
    candidates: list[Candidate]
    corrections: list[Correction] = Field(description=(
        "Ward names read as another spelling (one typo, other tone marks): show them as "
        "'written -> official?' for confirmation; empty when the text was read as written"))
    converted_from: ConvertedFrom = None


class PublicEvent(Answer):
    at: AwareDatetime
    event: Literal[EVENTS]
    label: str
    place: str


class Step(Answer):
    key: str
    label: str
    state: Literal["done", "current", "todo"]


class PublicRouteLeg(Answer):
    name: str
    kind: str
    reached: bool


class Destination(Answer):
    ward: str | None
    province: str | None


class CitizenRequests(Answer):
    """Empty once the document has expired."""

    date: dt.date | None = None
    pickup: bool = False
    instructions: bool = False


class PublicTracking(Answer):
    """Never the phone, the street, the national id or the full name."""

    tracking_number: TrackingNumber
    status: Status
    status_label: str
    recipient: str = Field(description="The masked name (N*** V** A)")
    destination: Destination
    eta: dt.date | None
    events: list[PublicEvent]
    steps: list[Step]
    route: list[PublicRouteLeg]
    requests: CitizenRequests
    expired: bool = Field(description="Some days after a final status: only number and status")


class Rating(Answer):
    """The citizen's rating of a delivered item, as recorded."""

    stars: int = Field(ge=1, le=5)
    comment: str | None
    created_at: AwareDatetime = Field(description="When it was first given")
    updated_at: AwareDatetime = Field(description="When it was last changed")
    changeable_until: AwareDatetime = Field(description="7 days after it was first given")


class PrintJob(Answer):
    id: int
    state: Literal["queued", "running", "done", "failed"]
    done: int
    total: int
    error: str | None
    status_url: str
    download_url: str | None


class LabelPrint(Answer):
    at: AwareDatetime
    actor: str
    format: str
    reprint: bool
    reason: str | None
    print_job: int | None


class RecordedPrint(LabelPrint):
    label_url: str = Field(description="Where to fetch the label just recorded (GET)")


class Prints(Answer):
    tracking_number: TrackingNumber
    prints: list[LabelPrint]


class Health(Answer):
    status: Literal["ok"]


class Readiness(Answer):
    status: Literal["ok", "unavailable"]
    database: str = Field(description="ok, or the error")
    redis: str | None = Field(None, description="ok, or the error; only when Redis is configured")

