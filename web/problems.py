"""RFC 9457 problem details: the one error handler that maps domain errors to HTTP on API paths."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from delivery.errors import (
    AddressNotResolved,
    Conflict,
    DomainError,
    LimitReached,
    NotFound,
    TransitionNotAllowed,
    ValidationFailed,
)

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (AddressNotResolved, 422),
    (ValidationFailed, 422),
    (TransitionNotAllowed, 409),
    (Conflict, 409),
    (NotFound, 404),
    (LimitReached, 429),
    (DomainError, 400),
]
PROBLEM_TYPE = "https://buudien.example/problems/"


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def problem_type(title: str) -> str:
    return PROBLEM_TYPE + title.lower().replace(" ", "-")


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": problem_type(title), "title": title, "status": status,
            "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def status_for(error: DomainError) -> int:
    return next(code for cls, code in STATUS_OF if isinstance(error, cls))


def problem_fields(error: DomainError) -> dict[str, Any]:
    """What a problem document carries beyond type/title/status/detail:
    field errors, candidates, context."""
    extra: dict[str, Any] = dict(error.extra)
    if isinstance(error, ValidationFailed):
        extra["errors"] = error.errors
    if isinstance(error, AddressNotResolved):
        extra["candidates"] = error.candidates
    return extra


def _domain_error(error: DomainError) -> Response | tuple[str, int]:
    status = status_for(error)
    if is_api_request():
        return problem(status, error.title, error.detail, **problem_fields(error))
    return render_template("error.html", status=status, title=error.title,
                           detail=error.detail), status


def wants_json() -> bool:
    """An API path, or a page request from a script that asked for JSON (Accept)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json",
                                                "application/problem+json"])
    return is_api_request() or best in ("application/json", "application/problem+json")


def _too_large() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return (f"Nội dung hoặc ảnh gửi lên quá lớn (tối đa {limit / 1048576:.0f} MB) / "
            f"the body or photo is too large (at most {limit / 1048576:.0f} MB)")


def _http_error(error: HTTPException) -> Response | HTTPException | tuple[str, int]:
    """Problem details on the API, a page in the reader's language elsewhere (Werkzeug's own page
    is English only), with the exception's headers (Allow, Retry-After). A too-large upload (a
    door photo) gets a problem when the page's script asked for JSON."""
    if error.code is None or error.code < 400:  # routing's redirects
        return error
    detail = _too_large() if error.code == 413 else error.description
    if is_api_request() or (error.code == 413 and wants_json()):
        return problem(error.code, error.name, detail or error.name)
    response = error.get_response()
    # Werkzeug's stock sentence is English only: the page then says it in the reader's words
    own = detail if detail != type(error).description else None
    response.set_data(render_template("error.html", status=error.code, title=error.name,
                                      detail=own))
    response.mimetype = "text/html"
    return response


# Route arguments a log must not keep: a private tracking link's token opens the citizen's page.
SECRET_ROUTE_ARGS = ("token",)


def path_for_log() -> str:
    """The request's path as a log may keep it: ``/t/<token>/requests``, the token left out."""
    path = request.path
    for name in SECRET_ROUTE_ARGS:
        if value := (request.view_args or {}).get(name):
            path = path.replace(str(value), f"<{name}>")
    return path


RETRY_AFTER_SECONDS = 5  # a restarted or failed-over database is usually back within seconds


def _database_error(error: DBAPIError) -> Response | tuple[str, int]:
    """The database unreachable (connection refused, cut mid-request, being restarted): 503 with
    Retry-After, and the client sends the same request again (scans are idempotent by event_id).
    Nothing was written: the transaction died with its connection, which SQLAlchemy invalidates so
    the pool reconnects. Any other driver error is a bug (500)."""
    if not (isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated):
        return _unexpected(error)
    current_app.logger.warning("database unavailable on %s: %s", path_for_log(),
                               type(error.orig).__name__)
    detail = ("Cơ sở dữ liệu tạm thời không truy cập được / "
              "the database is unavailable, try again shortly")
    if is_api_request():
        response = problem(503, "Service Unavailable", detail)
    else:
        response = Response(render_template("error.html", status=503, title="Service Unavailable",
                                            detail=detail),
                            503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unexpected(error: Exception) -> Response | tuple[str, int]:
    current_app.logger.exception("unhandled error on %s", path_for_log())
    detail = "Lỗi hệ thống, đã được ghi lại / internal error, it has been logged"
    if is_api_request():
        return problem(500, "Internal Server Error", detail)
    return render_template("error.html", status=500, title="Internal Server Error",
                           detail=detail), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected)
