"""The counter books a collection (a view of web.counter's blueprint): a citizen at the counter, or
on the phone, asks the post to collect their dossier at home. Parsed as the API's body and booked
through ``book_and_notify``, as every booking is."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for

from delivery.collection_fields import booking_body
from delivery.collections import MAX_DOCUMENTS, parse_collection
from delivery.errors import AddressNotResolved, DomainError
from delivery.intake_agency import agencies_taking_dossiers, agency_taking_dossier
from delivery.legacy_encoding import converted_notice

from .auth import current_actor, require
from .collection_form import form_errors, labels, rows_of, shown_rows, typed_rows
from .collections_api import book_and_notify
from .counter import COUNTER, bp
from .db import get_session
from .i18n import gettext as _
from .i18n import one_language
from .intake_form import check_typed_text, typed
from .request_text import keeps_its_form


def _page(form: dict[str, str], errors: dict[str, str], rows: list[tuple[str, str]],
          candidates: list) -> str:
    return render_template("counter/new_collection.html",
                           agencies=agencies_taking_dossiers(get_session()), form=form,
                           errors=errors, fields=labels(errors), rows=shown_rows(rows),
                           candidates=candidates, max_documents=MAX_DOCUMENTS)


@bp.route("/collections/new", methods=["GET", "POST"])
@keeps_its_form  # a control character typed in a field is shown next to it, not on the error page
@require(roles=COUNTER)
def new_collection() -> Response | tuple[str, int] | str:
    if request.method == "GET":
        return _page({}, {}, [], [])
    rows = rows_of(request.form)
    try:
        check_typed_text(request.form)
        # any shop takes any agency's dossier: the paper travels on to the agency by post
        agency = agency_taking_dossier(get_session(), request.form.get("agency_code", ""))
        booking = parse_collection(booking_body(request.form, rows), agency_code=agency.code)
        item, created = book_and_notify(get_session(), booking, agency, current_actor().ref,
                                        taken_at=current_actor().office_id)
    except DomainError as error:
        candidates = (error.candidates if isinstance(error, AddressNotResolved)
                      else error.extra.get("candidates", []))
        return _page(typed(request.form), form_errors(error, rows), typed_rows(request.form),
                     candidates), 422
    flash(_("Đã đặt lịch thu gom %(number)s", number=item.tracking_number) if created
          else _("Lịch thu gom này đã có: %(number)s", number=item.tracking_number))
    if booking.converted_from:  # typed in TCVN3 or VNI: the clerk sees it was converted
        flash(one_language(converted_notice(booking.converted_from)))
    return redirect(url_for("counter.show", tracking_number=item.tracking_number))
