"""Printing's HTTP views (blueprint ``printing``): recording a print (API and the counter's Print
buttons), batch label PDFs (streamed, or rendered in the background with progress), the HTML print
view, the record of prints and reprints, and the handover manifest PDF.

Only POSTs record prints (and their audit rows): showing a label, or the print view, is a GET and
records nothing, so a link on another site cannot write a print with a reason of its choosing.

Views parse, make one domain call, commit, enqueue, render; ``labels`` does all the drawing.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from delivery.audit import record_audit
from delivery.errors import DomainError, ValidationFailed
from delivery.lookup import get_consignment
from delivery.manifests import get_manifest, manifest_consignments
from delivery.models import Consignment
from delivery.print_models import LabelPrint, PrintJob
from delivery.printing import (
    consignments_in_order,
    create_print_job,
    manifest_data,
    parse_tracking_numbers,
    print_reason,
    prints_of,
    record_label_print,
    record_prints,
)
from labels.manifest import render_manifest_pdf
from labels.pdf import stream_labels_pdf
from labels.svg import render_label_svg

from .audit_pages import audit_label_prints
from .auth import current_actor, current_scope, require, who
from .db import get_session
from .i18n import gettext as _
from .i18n import lazy_gettext, one_language
from .jobs import enqueue
from .labels_http import MIMETYPES, SHEETS, SIZES, choice, labels_for
from .print_jobs import job_path, render_print_job

bp = Blueprint("printing", __name__)
COUNTER = ("counter", "supervisor")
BACKGROUND_ABOVE = 50  # more labels than this go to a background job from the counter's page
PRINT_FIELDS = {"format": lazy_gettext("Định dạng"), "reason": lazy_gettext("Lý do in lại")}
# The batch form's fields as the form names them (errors say which one is wrong).
BATCH_FIELDS = {"tracking_numbers": lazy_gettext("Số hiệu"), "numbers": lazy_gettext("Số hiệu"),
                "manifest": lazy_gettext("Số biên bản"), "size": lazy_gettext("Khổ nhãn"),
                "sheet": lazy_gettext("Giấy"), "reason": lazy_gettext("Lý do in lại")}


def _batch_request(body: Any) -> dict[str, Any]:
    """Numbers (given, or those of a manifest), size, sheet and reason of a batch;
    422 naming the field."""
    if not isinstance(body, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    # free text; anything else would reach the database as an object
    if body.get("manifest") is not None and not isinstance(body["manifest"], str):
        raise ValidationFailed({"manifest": "phải là chuỗi / must be a string"})
    reason = print_reason(body.get("reason"))
    if body.get("manifest"):
        numbers = [c.tracking_number for c in manifest_consignments(
            get_session(), get_manifest(get_session(), body["manifest"], current_scope()))]
    else:
        numbers = parse_tracking_numbers(body.get("tracking_numbers"))
    size_key = str(body.get("size") or "100x150").lower()
    sheet_key = str(body.get("sheet") or "label").lower()
    choice("size", SIZES, "100x150", size_key)
    choice("sheet", SHEETS, "label", sheet_key)
    return {"numbers": numbers, "size": size_key, "sheet": sheet_key, "reason": reason}


def _start_job(batch: dict[str, Any]) -> PrintJob:
    job = create_print_job(get_session(), batch["numbers"], current_actor().ref, batch["size"],
                           batch["sheet"], current_scope(), batch["reason"])
    audit_label_prints(get_session(), consignments_in_order(get_session(), batch["numbers"],
                                                             current_scope()),
                       None, "pdf", batch["reason"], print_job_id=job.id)
    get_session().commit()
    enqueue(render_print_job, job.id)
    get_session().refresh(job)
    return job


@bp.post("/api/v1/labels/batch")
@require("read", roles=COUNTER)
def batch() -> Response | tuple[Response, int]:
    """One PDF with the labels in the given order, streamed page by page; with
    ``"background": true``, 202 and a print job to poll instead."""
    body = request.get_json(silent=True)
    batch_request = _batch_request(body)
    if body.get("background"):
        job = _start_job(batch_request)
        return jsonify(_job_json(job)), 202
    consignments = consignments_in_order(get_session(), batch_request["numbers"], current_scope())
    labels = labels_for(get_session(), consignments)
    prints = record_prints(get_session(), consignments, current_actor().ref, "pdf",
                           reason=batch_request["reason"])
    audit_label_prints(get_session(), consignments, prints, "pdf", batch_request["reason"])
    get_session().commit()
    pdf = stream_labels_pdf(labels, SIZES[batch_request["size"]], SHEETS[batch_request["sheet"]])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="labels-{len(labels)}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _job_json(job: PrintJob) -> dict[str, Any]:
    done = job.state == "done"
    return {"id": job.id, "state": job.state, "done": job.done, "total": job.total,
            "error": job.error, "status_url": url_for("printing.job_status", job_id=job.id),
            "download_url": url_for("printing.job_download", job_id=job.id) if done else None}


def _own_job(job_id: int) -> PrintJob:
    """The job, if the caller started it (supervisors and admins see every job); 404 otherwise."""
    job = get_session().get(PrintJob, job_id)
    actor = current_actor()
    if job is None or (job.created_by != actor.ref and actor.role not in ("supervisor", "admin")):
        abort(404, description="Không có lệnh in / no such print job")
    return job


@bp.get("/api/v1/print-jobs/<row_id:job_id>")
@require("read", roles=COUNTER)
def job_status(job_id: int) -> Response:
    return jsonify(_job_json(_own_job(job_id)))


@bp.get("/api/v1/print-jobs/<row_id:job_id>/labels.pdf")
@require("read", roles=COUNTER)
def job_download(job_id: int) -> Response:
    job = _own_job(job_id)
    if job.state != "done" or not job_path(job.id).is_file():
        abort(409, description="Lệnh in chưa xong / the print job has not finished")
    record_audit(get_session(), "export.print_job", who(), subject=f"print_job:{job.id}",
                 detail={"labels": job.total})
    get_session().commit()
    return send_file(job_path(job.id), mimetype="application/pdf",
                     download_name=f"labels-job-{job.id}.pdf")


@bp.get("/api/v1/consignments/<tracking_number>/prints")
@require("read", roles=COUNTER)
def prints(tracking_number: str) -> Response:
    """Every print of this consignment's label: who, when, format, whether a reprint, and why."""
    consignment = get_consignment(get_session(), tracking_number, current_scope())
    rows = prints_of(get_session(), consignment)
    return jsonify({"tracking_number": consignment.tracking_number,
                    "prints": [_print_json(p) for p in rows]})


def _print_json(row: LabelPrint) -> dict[str, Any]:
    return {"at": row.printed_at.isoformat(), "actor": row.actor, "format": row.format,
            "reprint": row.reprint, "reason": row.reason, "print_job": row.print_job_id}


def _label_format(raw: object) -> str:
    """One of the label formats (pdf, svg, png, zpl); ValidationFailed on ``format`` otherwise."""
    if not isinstance(raw, str) or raw not in MIMETYPES:
        raise ValidationFailed({"format": "một trong / one of: " + ", ".join(MIMETYPES)})
    return raw


def _record_one(consignment: Consignment, fmt: object, reason: object) -> LabelPrint:
    """Record one print of ``consignment``'s label in ``fmt``, with its audit row, and commit.
    ValidationFailed on ``format`` (not a label format) or ``reason`` (record_label_print)."""
    row = record_label_print(get_session(), consignment, current_actor().ref,
                             _label_format(fmt), reason)
    audit_label_prints(get_session(), [consignment], [row], row.format, row.reason)
    get_session().commit()
    return row


@bp.post("/api/v1/consignments/<tracking_number>/prints")
@require("read", roles=COUNTER)
def record_print(tracking_number: str) -> tuple[Response, int]:
    """Record that a label of this consignment is printed now: ``{"format", "reason"}``; a reprint
    needs a reason. 201 with the print record and where to fetch the label; not idempotent."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    fmt = _label_format(body.get("format"))  # a bad body gets its 422 before any lookup
    consignment = get_consignment(get_session(), tracking_number, current_scope())
    row = _record_one(consignment, fmt, body.get("reason"))
    label_url = url_for("api.label", tracking_number=consignment.tracking_number, fmt=row.format)
    return jsonify({**_print_json(row), "label_url": label_url}), 201


@bp.post("/print/consignments/<tracking_number>")
@require(roles=COUNTER)
def print_label(tracking_number: str) -> Response:
    """The counter's Print buttons (a form: format, reason): record the print, then show the
    label. A refused print goes back to the consignment's page saying why."""
    consignment = get_consignment(get_session(), tracking_number, current_scope())
    try:
        row = _record_one(consignment, request.form.get("format"), request.form.get("reason"))
    except ValidationFailed as error:
        flash(_("Chưa in: %(why)s", why="; ".join(
            f"{PRINT_FIELDS.get(field, field)}: {one_language(message)}"
            for field, message in error.errors.items())))
        return redirect(url_for("counter.show", tracking_number=consignment.tracking_number))
    return redirect(url_for("api.label", tracking_number=consignment.tracking_number,
                            fmt=row.format), 303)


@bp.get("/api/v1/manifests/<number>/manifest.pdf")
@require("read", roles=COUNTER)
def manifest_pdf(number: str) -> Response:
    manifest = get_manifest(get_session(), number, current_scope())
    record_audit(get_session(), "export.manifest", who(), subject=f"manifest:{manifest.number}")
    get_session().commit()
    response = Response(render_manifest_pdf(manifest_data(get_session(), manifest)),
                        mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{manifest.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/print/labels")
@require(roles=COUNTER)
def print_view() -> str:
    """The labels as inline SVG, one per printed page (CSS @page sets the paper size): prints
    1:1. Records nothing: the batch form's POST recorded these prints (batch_page)."""
    size_key = request.args.get("size", "100x150").lower()
    size = choice("size", SIZES, "100x150")
    numbers = parse_tracking_numbers(request.args.getlist("n"), field="n")
    consignments = consignments_in_order(get_session(), numbers, current_scope())
    svgs = [render_label_svg(label, size).split("?>", 1)[1]
            for label in labels_for(get_session(), consignments)]
    return render_template("printing/labels.html", svgs=svgs, size_key=size_key)


@bp.route("/print/batch", methods=["GET", "POST"])
@require(roles=COUNTER)
def batch_page() -> Response | str:
    """The counter's batch form: numbers (one per line) or a manifest number; small batches open the
    print view at once, large ones become a background job with a progress page."""
    if request.method == "GET":  # the counter's lists link here with ?n=... or ?manifest=...
        prefill = {"numbers": "\n".join(request.args.getlist("n")),
                   "manifest": request.args.get("manifest", "")}
        return _batch_form(prefill)
    form = request.form
    body = {"tracking_numbers": form.get("numbers", "").split(),
            "manifest": form.get("manifest", "").strip(),
            "size": form.get("size"), "sheet": form.get("sheet"),
            "reason": form.get("reason", "").strip()}
    try:
        batch_request = _batch_request(body)
        if len(batch_request["numbers"]) <= BACKGROUND_ABOVE and batch_request["sheet"] == "label":
            return _print_small_batch(batch_request)
        return redirect(url_for("printing.job_page", job_id=_start_job(batch_request).id))
    except DomainError as error:
        return _batch_form(form, getattr(error, "errors", None) or {"manifest": error.detail})


def _batch_form(form: Any, errors: dict[str, str] | None = None) -> str:
    return render_template("printing/batch.html", form=form, errors=errors, fields=BATCH_FIELDS,
                           most=BACKGROUND_ABOVE)


def _print_small_batch(batch: dict[str, Any]) -> Response:
    """The clerk confirmed a small batch: its prints are recorded now, once (unknown numbers are
    named before anything is recorded), then the print view shows them."""
    consignments = consignments_in_order(get_session(), batch["numbers"], current_scope())
    prints = record_prints(get_session(), consignments, current_actor().ref, "html",
                           reason=batch["reason"])
    audit_label_prints(get_session(), consignments, prints, "html", batch["reason"])
    get_session().commit()
    return redirect(url_for("printing.print_view", n=batch["numbers"], size=batch["size"]))


@bp.get("/print/jobs/<row_id:job_id>")
@require(roles=COUNTER)
def job_page(job_id: int) -> str:
    return render_template("printing/job.html", job=_job_json(_own_job(job_id)))
