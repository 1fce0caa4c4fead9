"""Text arriving in a request may hold anything but what delivery.typed_text refuses (NUL and the
other control characters, lone surrogates) or nesting deeper than it allows: one check before every
view refuses it with 422 naming the field (``recipient.name``, ``note``, ``path``), so no view, no
database and no label ever meets it. Every other character (markup, quotes, printer commands, bidi
overrides) is stored as written and escaped where it is shown: Jinja autoescaping on pages, XML
escaping in SVG, ``^FH`` hex escapes in ZPL.

A view whose body holds many records judged one by one (the scan batch: one refused scan must not
refuse the others) is marked ``judges_items_itself`` and gets its JSON body unchecked here; its
parser applies the same rule to each record. A page marked ``keeps_its_form`` gets its form fields
unchecked here and checks them itself (form_refusals), to show the form again with the message
next to the field and the rest of what was typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Flask, current_app, request

from delivery.errors import ValidationFailed
from delivery.typed_text import first_refusal, refused_character

View = TypeVar("View", bound=Callable[..., Any])


def judges_items_itself(view: View) -> View:
    """Mark a view that checks the text of each record of its JSON body itself (see above)."""
    view.judges_items_itself = True  # type: ignore[attr-defined]
    return view


def keeps_its_form(view: View) -> View:
    """Mark a page whose form answers refused text itself, shown again with the message next to
    the field (form_refusals) rather than on the error page."""
    view.keeps_its_form = True  # type: ignore[attr-defined]
    return view


def form_refusals(form: Any) -> dict[str, str]:
    """Every field of ``form`` (a MultiDict) holding text that may not be kept, with why."""
    found: dict[str, str] = {}
    for key, value in form.items(multi=True):
        if (refusal := first_refusal({key: value})) and refusal[0] not in found:
            found[refusal[0]] = refusal[1]
    return found


def _fields(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    for key, value in pairs:
        if refusal := first_refusal({key: value}):
            return refusal
    return None


def _marked(mark: str) -> bool:
    return getattr(current_app.view_functions.get(request.endpoint or ""), mark, False)


def _has_body() -> bool:
    return bool(request.content_length) or "Transfer-Encoding" in request.headers


def _json_refusal() -> tuple[str, str] | None:
    if _marked("judges_items_itself"):
        return None
    body = request.get_json(silent=True)  # cached: the view reads the very same object
    return first_refusal(body) if body is not None else None


def _refusal() -> tuple[str, str] | None:
    """The first field of the request holding text that may not be kept, with why; or None."""
    if message := refused_character(request.path):
        return "path", message
    if request.query_string and (found := _fields(request.args.items(multi=True))):
        return found
    if not _has_body():  # no body, as in most GETs
        return None
    if request.is_json:
        return _json_refusal()
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None if _marked("keeps_its_form") else _fields(request.form.items(multi=True))
    return None


def refuse_unprintable() -> None:
    """Raises ValidationFailed (422 problem on the API, the error page elsewhere) naming the first
    field that holds a refused character (or nests too deep)."""
    if refusal := _refusal():
        raise ValidationFailed({refusal[0]: refusal[1]})


def init_app(app: Flask) -> None:
    app.before_request(refuse_unprintable)
