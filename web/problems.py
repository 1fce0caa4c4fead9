"""RFC 9457 problem details: the one error handler that maps domain errors to HTTP on API paths."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from delivery.errors import (
    AddressNotResolved,
    Conflict,
    DomainError,
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
    """What a problem document carries beyond type/title/status/detail: field errors, candidates, context."""
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
    return render_template("error.html", status=status, title=error.title, detail=error.detail), status


def _http_error(error: HTTPException) -> Response | HTTPException:
    if not is_api_request():
        return error
    return problem(error.code or 500, error.name, error.description or error.name)


def _database_down(error: OperationalError) -> Response | tuple[str, int]:
    detail = "Cơ sở dữ liệu tạm thời không truy cập được / the database is unavailable, try again shortly"
    if is_api_request():
        return problem(503, "Service Unavailable", detail)
    return render_template("error.html", status=503, title="Service Unavailable", detail=detail), 503


def _unexpected(error: Exception) -> Response | tuple[str, int]:
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    detail = "Lỗi hệ thống, đã được ghi lại / internal error, it has been logged"
    if is_api_request():
        return problem(500, "Internal Server Error", detail)
    return render_template("error.html", status=500, title="Internal Server Error", detail=detail), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)
