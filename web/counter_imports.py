"""The counter's imports (views of web.counter's blueprint): upload a spreadsheet, follow its
progress, read what it created and refused, and create a row whose address was unsure with the ward
the clerk picks. Views parse, make one domain call, commit, enqueue, render."""

from __future__ import annotations

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for

from delivery.errors import DomainError, ValidationFailed
from delivery.import_rows import create_with_ward, created_items, refused_rows
from delivery.importing import get_import, row_notices, start_import
from delivery.models import Agency
from tracking.notify import queue_created

from . import tasks
from .auth import current_actor, current_scope, require
from .counter import COUNTER, _chosen_agency, _code, _staff_agencies, bp
from .creating import after_creation
from .db import get_session
from .i18n import gettext as _
from .i18n import one_language, why_refused
from .intake_form import field_names
from .jobs import enqueue


@bp.route("/imports/new", methods=["GET", "POST"])
@require(roles=COUNTER)
def new_import() -> Response | tuple[str, int] | str:
    session = get_session()
    agencies = _staff_agencies()
    if request.method == "GET":
        return render_template("counter/import_new.html", agencies=agencies, error=None)
    upload = request.files.get("file")
    code = request.form.get("agency_code", "")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed({"file": _("chọn tệp CSV hoặc Excel")})
        agency = _chosen_agency()
        # only checked and kept here: the rows are read by the job (delivery.import_file)
        run = start_import(session, agency, upload.filename, upload.read(), current_actor().ref)
        session.commit()
    except DomainError as error:
        session.rollback()
        return render_template("counter/import_new.html", agencies=agencies,
                               error=why_refused(error),
                               chosen=code), 422
    enqueue(tasks.process_import, run.id)
    return redirect(url_for("counter.import_run", import_id=run.id))


@bp.get("/imports/<row_id:import_id>")
@require(roles=COUNTER)
def import_run(import_id: int) -> str:
    session = get_session()
    run = get_import(session, import_id, current_scope())
    return render_template("counter/import_run.html", run=run,
                           agency=session.get(Agency, run.agency_id),
                           created=created_items(session, run.agency_id, run.row_notices),
                           refused=refused_rows(run.row_errors), field_names=field_names,
                           notices=row_notices(run))


@bp.post("/imports/<row_id:import_id>/rows/<int:row>")
@require(roles=COUNTER)
def create_import_row(import_id: int, row: int) -> Response:
    """Create a refused row's item with the ward picked among its candidates ("ward:province")."""
    session = get_session()
    run = get_import(session, import_id, current_scope())
    ward, _colon, province = request.form.get("candidate", "").partition(":")
    try:
        if _code(ward) is None or _code(province) is None:
            raise ValidationFailed({"ward_code": _("chọn phường/xã")})
        consignment, created = create_with_ward(
            session, run, row, _code(ward), _code(province),
            indicator=current_app.config["S10_SERVICE_INDICATOR"])
        outbox_ids = queue_created(session, consignment) if created else []
        session.commit()
    except DomainError as error:
        session.rollback()
        why = "; ".join(f"{name}: {one_language(message)}" if name else one_language(message)
                        for name, message in _named(error).items())
        flash(_("Dòng %(row)s: chưa tạo được: %(why)s", row=row, why=why))
        return redirect(url_for("counter.import_run", import_id=import_id))
    after_creation([consignment.id] if created else [], outbox_ids)
    flash(_("Dòng %(row)s: đã tạo bưu gửi %(number)s", row=row,
            number=consignment.tracking_number) if created
          else _("Dòng %(row)s: hồ sơ đã có bưu gửi %(number)s", row=row,
                 number=consignment.tracking_number))
    return redirect(url_for("counter.import_run", import_id=import_id, _anchor=f"row-{row}"))


def _named(error: DomainError) -> dict[str, str]:
    return field_names(error.errors if isinstance(error, ValidationFailed) else {"": error.detail})


@bp.get("/imports/<row_id:import_id>.json")
@require(roles=COUNTER)
def import_progress(import_id: int) -> Response:
    run = get_import(get_session(), import_id, current_scope())
    return jsonify({"state": run.state, "total": run.total, "processed": run.processed,
                    "created": run.created_count, "existing": run.existing_count,
                    "failed": run.failed_count})
