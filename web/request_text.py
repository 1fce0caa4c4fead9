"""Text arriving in a request may hold anything but NUL: PostgreSQL cannot store it in a text column
(the driver fails the whole transaction) and no name, address or note has a use for it. One check
before every view refuses it with 422 naming where it was, so both databases behave alike and no
view needs to care. Every other character (markup, quotes, printer commands, bidi overrides) is
stored as written and escaped where it is shown: Jinja autoescaping on pages, XML escaping in SVG,
``^FH`` hex escapes in ZPL."""

from __future__ import annotations

from flask import Flask, request

from delivery.errors import ValidationFailed

NUL_REFUSED = "ký tự NUL (\\u0000) không được phép / the NUL character (\\u0000) is not allowed"


def _where_nul() -> str | None:
    """The part of the request holding a NUL, or None. A JSON body can only carry one escaped (a raw
    NUL byte is not valid JSON and fails parsing anyway)."""
    if "\x00" in request.path:
        return "path"
    if request.query_string and any("\x00" in value for value in request.args.values()):
        return "query"
    # no body, as in most GETs
    if not request.content_length and "Transfer-Encoding" not in request.headers:
        return None
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        return "body"
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and any(
            "\x00" in value for value in request.form.values()):
        return "form"
    return None


def refuse_nul() -> None:
    """Raises ValidationFailed (422 problem on the API,
    the error page elsewhere) when any text holds a NUL."""
    if where := _where_nul():
        raise ValidationFailed({where: NUL_REFUSED})


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
