"""The bodies of the HTTP API (CONTRACT.md, "HTTP API") described once, as pydantic models: requests
in ``requests``, answers in ``answers``. web/openapi.py generates /api/v1/openapi.json from them.

Validation stays with the domain's parsers (``delivery.intake.parse_intake``, ``tracking.scans.
parse_scan``, ``delivery.printing.parse_tracking_numbers``, ...), and each rule has one place: a
named constant of the domain (a pattern, a length, a list of values) that its parser checks and that
a model's field is built from. The models do not validate requests themselves, because:

- the same parsers serve the counter's form, the spreadsheet import, the courier's page and the
  handover, which never pass through this layer, and domain tests call them directly: every check
  has to stay there anyway, and a second one here would be a copy;
- they report every field error at once, each with its Vietnamese / English message, next to an
  unplaced address's candidates; pydantic's errors would need a second message per rule;
- a scan is parsed inside ``record_scan``, on the scan benchmark's hot path: parsing twice costs.

What a JSON Schema cannot say (a real dossier date, an address that resolves, a reason for a failed
attempt, proof for a delivery) is said in the fields' descriptions. Where a rule has a shape, the
document and the parser agree, but for a few things the parsers forgive without promising them
(letter case in label sizes, spaces around a receiver's name beyond its length, a national id sent
as a number, the control characters U+001C-U+001F that Python counts as spaces). Two tests hold
them together: tests/web/test_openapi_models.py (each rule, both ways) and
tests/hostile/test_openapi_fuzz.py (requests generated from the document, in and out of its rules).
"""

from pydantic import BaseModel

from . import answers, report_answers, requests

REQUESTS: tuple[type[BaseModel], ...] = (
    requests.IntakeRequest, requests.Scan, requests.ScanBatch, requests.LabelsBatch,
    requests.PrintRequest, requests.ResolveRequest, requests.RatingRequest,
    requests.CollectionRequest, requests.AgencyReceiptRequest)
ANSWERS: tuple[type[BaseModel], ...] = (
    answers.Problem, answers.Consignment, answers.ScanResult, answers.ScanBatchResults,
    answers.AddressResolution, answers.PublicTracking, answers.PrintJob, answers.Prints,
    answers.RecordedPrint, answers.Health, answers.Readiness, answers.Rating,
    report_answers.QualityReport)
MODELS = REQUESTS + ANSWERS  # with the models inside them (Recipient, Event, ...)
