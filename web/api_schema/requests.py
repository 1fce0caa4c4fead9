"""Request bodies of the HTTP API. Every rule is a constant the domain's parser checks, imported.

What a JSON Schema cannot say (a dossier date that exists, an address that resolves, a reason for a
failed attempt, proof for a delivery) is said in the field's description, and the domain checks it.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from delivery import collection_window, collections, intake, intake_address
from delivery.dossier import DOSSIER_CODE_PATTERN
from delivery.due_dates import MAX_APPOINTMENT_DAYS
from delivery.printing import MAX_BATCH as MAX_LABELS
from delivery.printing import MAX_PRINT_REASON
from delivery.recipient import NATIONAL_ID_PATTERN, PHONE_PATTERN
from delivery.requested_date import DISPATCH_DESPITE_PICKUP, EARLY_DISPATCH
from delivery.status_model import NON_DELIVERY_REASONS, SCAN_EVENTS
from labels.vietqr import MAX_AMOUNT_VND
from tracking import agency_receipt, money, pickup_proof, rating, scan_proof, scans
from tracking.batch import MAX_SCANS
from tracking.proof_files import PHOTO_ID

from ..labels_http import MIMETYPES, SHEETS, SIZES

NOT_BLANK = r"\S"  # the domain strips text first, so text of spaces only counts as missing


def _text(max_length: int | None = None, pattern: str | None = NOT_BLANK) -> type[str]:
    """A string of at most ``max_length`` characters as sent, matching ``pattern``."""
    constraints = StringConstraints(max_length=max_length, pattern=pattern)
    return Annotated[str, constraints]  # type: ignore[return-value]


DossierCode = _text(intake.MAX_DOSSIER_CODE, DOSSIER_CODE_PATTERN)
Procedure = _text(intake.MAX_PROCEDURE, pattern=None)  # blank counts as none
IntakeNote = _text(intake.MAX_NOTE, pattern=None)
RecipientName = _text(intake.MAX_NAME)
Phone = _text(intake.MAX_PHONE, PHONE_PATTERN)
NationalId = _text(pattern=NATIONAL_ID_PATTERN)
AddressText = _text(intake_address.MAX_ADDRESS)
# kept as written, with a structured one
WrittenAddress = _text(intake_address.MAX_ADDRESS, pattern=None)
EventId = _text(pattern=scans.EVENT_ID_PATTERN)
ScanNote = _text(scans.MAX_SCAN_NOTE, pattern=None)
PrintReason = _text(MAX_PRINT_REASON, pattern=None)  # blank counts as none
ReceivedBy = _text(scan_proof.MAX_RECEIVED_BY)
AuthorisationRef = _text(scan_proof.MAX_AUTHORISATION_REF, pattern=None)
Reason = _text(scans.MAX_REASON, pattern=None)
IdLast4 = _text(pattern=scan_proof.ID_LAST4_PATTERN)
PhotoId = _text(pattern=PHOTO_ID.pattern)
CollectedText = _text(pattern=money.COLLECTED_PATTERN)
CollectedVnd = Annotated[int, Field(ge=0, le=MAX_AMOUNT_VND)]
PrintReason = _text(MAX_PRINT_REASON, pattern=None)


class Recipient(BaseModel):
    name: RecipientName
    phone: Phone = Field(description="A Vietnamese mobile number; +84 or 84, and spaces, dots, "
                                     "dashes or brackets between digits, are accepted")
    national_id: NationalId | Literal[""] | None = Field(
        None, description="CCCD (12 digits) or CMND (9 digits); only its last 4 digits are kept")


class StructuredAddress(BaseModel):
    """An address given by codes (from the reference lists, or a resolve answer's candidate)."""

    street: str
    ward_code: int = Field(description="GSO code of the post-2025 ward, within the province")
    province_code: int = Field(description="GSO code of the post-2025 province")
    text: WrittenAddress | None = Field(
        None, description="The address as the citizen wrote it, kept as written")


class Payment(BaseModel):
    payer: Literal[intake.PAYERS]
    amount_vnd: int = Field(0, ge=0, le=intake.MAX_AMOUNT_VND)


class IntakeRequest(BaseModel):
    """POST /api/v1/consignments: a ready dossier result to deliver. Idempotent by dossier_code
    within the calling agency."""

    dossier_code: DossierCode = Field(
        examples=["000.00.01.H26-250609-0001"],
        description="<unit code>-YYMMDD-NNNN: the calling agency's unit code, a real date not in "
                    "the future, a number from 0001")
    procedure: Procedure | None = Field(None, description="Blank counts as none")
    recipient: Recipient
    address: AddressText | StructuredAddress = Field(
        description="As written (422 with candidates when it names no single ward), or by codes")
    payment: Payment | None = None
    note: IntakeNote | None = Field(None, description="Blank counts as none")
    appointment_date: date | None = Field(
        None, examples=["2025-06-20"],
        description="YYYY-MM-DD: the agency's date for returning the result (ngày hẹn trả kết "
                    "quả); the due date follows it. From the day in the dossier code to "
                    f"{MAX_APPOINTMENT_DAYS} days after; a date already past is accepted (the "
                    "item is then due at once). Without it the due date is counted in the "
                    "agency's working days by route")
    agency_code: str | None = Field(
        None, description="Only for a staff session (an agency the user's office serves); an "
                          "agency's key always acts for its own agency (another code: 422), and a "
                          "key of no agency cannot create items (422)")


class Proof(BaseModel):
    """Who received the item and how their identity was checked; never a copy of the document."""

    received_by: ReceivedBy
    relation: Literal[scan_proof.RELATIONS] = "self"
    id_last4: IdLast4 | None = Field(
        None, description="With relation self: the national id's, when the agency sent one")
    authorisation_ref: AuthorisationRef | None = Field(None,
                                                       description="Required with relation proxy")
    otp: str | None = Field(None, description="The code texted to the recipient, when required")
    id_source: Literal[scan_proof.ID_SOURCES] | None = Field(
        None, description="How id_last4 was taken: cccd_qr (read from the card's QR on the "
                          "phone, which sends only the last 4 digits) or typed; kept with the "
                          "event")
    collected_vnd: CollectedVnd | CollectedText | None = Field(
        None, examples=[22000],
        description="When the recipient pays (optional; without it no collection is "
                    "recorded and the amount stays unaccounted): the dong collected, a whole "
                    "number (22000; the text \"22.000\" is read too); \"22.000,5\", negatives "
                    "and fractions are refused (422)")
    payment_method: Literal[money.PAYMENT_METHODS] | None = Field(
        None, description="Required with collected_vnd: cash, or transfer (the VietQR the courier "
                          "showed, to the agency's account)")


class PickedDocument(BaseModel):
    present: bool = Field(description="The document was there at the door")
    name: str | None = Field(None, description="Ignored: documents count in the checklist's order")


class Scan(BaseModel):
    """POST /api/v1/scans: what happened to an item. Idempotent by event_id."""

    event_id: EventId = Field(description="Chosen by the client (a UUID)")
    tracking_number: str = Field(description="S10 (AA123456789VN); spaces, dashes, case forgiven")
    event: Literal[SCAN_EVENTS]
    occurred_at: AwareDatetime = Field(description="ISO 8601 with offset, from the year 2000 up to "
                                                   "10 minutes ahead")
    lat: float | None = Field(None, ge=-scans.MAX_LAT, le=scans.MAX_LAT,
                              description="With lon, or neither")
    lon: float | None = Field(None, ge=-scans.MAX_LON, le=scans.MAX_LON)
    reason: Reason | None = Field(None, description="Required for delivery_failed, then one of: "
                               + ", ".join(NON_DELIVERY_REASONS) + " ('other' needs a note)")
    note: ScanNote | None = Field(None, description=(
        "Required for out_for_delivery before the item's requested_date, or of an item the "
        "recipient asked to collect at the office (the courier's reason; the event is then "
        f"recorded with reason {EARLY_DISPATCH} or {DISPATCH_DESPITE_PICKUP})"))
    proof: Proof | None = Field(None, description="Required for delivered")
    photo: PhotoId | None = Field(None, description="A door photo's id, from its upload")
    documents: list[PickedDocument] | None = Field(
        None, max_length=collections.MAX_DOCUMENTS,
        description="Required for picked_up: one per document of the booking's checklist, in "
                    "its order (a missing one is recorded, not refused)")
    pages: int | None = Field(None, ge=0, le=pickup_proof.MAX_PAGES,
                              description="With documents: the pages photographed")


class ScanBatch(BaseModel):
    """POST /api/v1/scans/batch. Each scan is checked on its own: a bad one gets its problem in
    the results, in its place."""

    scans: list[Scan] = Field(min_length=1, max_length=MAX_SCANS)


class LabelsBatch(BaseModel):
    """POST /api/v1/labels/batch: the labels of these numbers (or a manifest's), in this order."""

    tracking_numbers: list[str] | None = Field(
        None, min_length=1, max_length=MAX_LABELS,
        description="S10 numbers (spaces and case forgiven); required unless manifest is given")
    manifest: str | None = None
    size: Literal[tuple(SIZES)] | None = None
    sheet: Literal[tuple(SHEETS)] | None = None
    background: bool = Field(False, description="Render in the background: 202, a job to poll")
    reason: PrintReason | None = Field(
        None, description="Why, when some are reprints (optional for a batch; kept on each print)")


class PrintRequest(BaseModel):
    """POST /api/v1/consignments/{tracking_number}/prints: a label of this consignment is printed
    now. Not idempotent: every call records one more print."""

    format: Literal[tuple(MIMETYPES)]
    reason: PrintReason | None = Field(
        None, description="Why: required when the label was printed before (a reprint)")


class RatingRequest(BaseModel):
    """POST /api/v1/track/{token}/rating: the citizen's rating of a delivered item. A first rating
    is accepted for RATING_DAYS_AFTER_DELIVERY days (30 by default) after delivery; it may be
    replaced for 7 days after it was first given."""

    stars: int = Field(ge=rating.MIN_STARS, le=rating.MAX_STARS,
                       description="A whole number of stars, 1 (bad) to 5 (very good)")
    comment: _text(rating.MAX_COMMENT, pattern=None) | None = Field(
        None, description="Optional, at most 1,000 characters (counted in NFC); blank counts as "
                          "none")


class ResolveRequest(BaseModel):
    """POST /api/v1/addresses/resolve."""

    text: AddressText


class CollectionWindow(BaseModel):
    day: date = Field(alias="date", description="YYYY-MM-DD, Vietnam time; not past, at most "
                                   f"{collection_window.MAX_DAYS_AHEAD} days ahead")
    from_: str = Field(alias="from", pattern=r"^([01]?\d|2[0-3])[:hH][0-5]\d$",
                       description="HH:MM, within the collecting office's opening hours")
    to: str = Field(pattern=r"^([01]?\d|2[0-3])[:hH][0-5]\d$", description="HH:MM, after from")


class ChecklistDocument(BaseModel):
    name: _text(collections.MAX_DOCUMENT_NAME)  # type: ignore[valid-type]
    copies: int = Field(1, ge=1, le=collections.MAX_COPIES)


class CollectionFee(BaseModel):
    payer: Literal[collections.FEE_PAYERS] = "citizen"
    amount_vnd: int = Field(ge=0, le=intake.MAX_AMOUNT_VND)


class CollectionRequest(BaseModel):
    """POST /api/v1/collections: collect a dossier at the citizen's address in a window.
    Idempotent by dossier_code within the calling agency, or by the whole body without one."""

    dossier_code: DossierCode | None = Field(None, description="When the agency already has one")
    procedure: _text(intake.MAX_PROCEDURE)  # type: ignore[valid-type]
    citizen: Recipient
    address: AddressText | StructuredAddress = Field(
        description="As written (422 with candidates when it names no single ward), or by codes;"
                    " a ward no post office serves is refused (422)")
    window: CollectionWindow
    documents: list[ChecklistDocument] = Field(min_length=1,
                                               max_length=collections.MAX_DOCUMENTS)
    fee: CollectionFee | None = None
    note: IntakeNote | None = Field(None, description="Blank counts as none")
    agency_code: str | None = Field(None, description="Only for a staff session")


class AgencyReceiptRequest(BaseModel):
    """POST /api/v1/consignments/{tracking_number}/agency-receipt: the agency's receipt for a
    dossier handed to it. The same receipt again answers 200; another one 409."""

    receipt_number: str = Field(
        max_length=agency_receipt.MAX_RECEIPT_NUMBER,
        pattern=agency_receipt.RECEIPT_NUMBER_PATTERN, examples=["BN-2026-001234"],
        description="The number on the agency's receipt (giấy tiếp nhận hồ sơ)")
    appointment_date: date = Field(
        description="YYYY-MM-DD: when the result is due (ngày hẹn trả), from today to "
                    f"{agency_receipt.MAX_APPOINTMENT_DAYS} days ahead")
    dossier_code: DossierCode | None = Field(
        None, description="The agency's dossier code, when the collection was booked without "
                          "one (409 if it had another, or another dossier has it)")
