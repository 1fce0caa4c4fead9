"""The application shell: ``create_app`` wires config, database, jobs, blueprints and the CLI."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy import text

from . import config, cookie_session, db, i18n, outbox_push, problems, request_text
from .json_provider import OrjsonProvider


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Settings come from the environment (see README),
    then ``test_config`` on top."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)

    # imports the public views: not at module level, where it would be circular
    from . import repeat_views

    repeat_views.init_app(app)  # innermost: its answers get the security headers too
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    if app.config.get("TRUSTED_PROXIES"):  # behind a load balancer the client is in X-Forwarded-For
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"],  # type: ignore[method-assign]
                                x_proto=app.config["TRUSTED_PROXIES"])
    cookie_session.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    outbox_push.init_app(app)
    problems.init_app(app)
    request_text.init_app(app)
    _register_blueprints(app)
    _register_health(app)
    from .cli import register

    register(app)
    return app


# Every page's script and style is a file under /static (no inline code), so the policy needs no
# 'unsafe-inline'. Door photos upload from the page; the scanner reads the camera, and scans carry
# the phone's position.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """WSGI middleware adding SECURITY_HEADERS (and HSTS over HTTPS) to every response: pages, API,
    errors, static files; a header the view set itself is kept. At this level they are appended as
    ready-made tuples: setting them on Flask's response object validated each one again, a large
    share of a cached tracking page's cost (bench/README.md)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = list(SECURITY_HEADERS.items())
        self.hsts = ("Strict-Transport-Security", "max-age=31536000")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        secure = environ.get("wsgi.url_scheme") == "https"

        def with_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in self.headers if h[0].lower() not in present)
            if secure and "strict-transport-security" not in present:
                headers.append(self.hsts)
            return start_response(status, headers, exc_info)

        return self.app(environ, with_headers)


def _register_blueprints(app: Flask) -> None:
    from . import (  # noqa: F401 (some add routes to pages)
        admin_beats,
        admin_calendar,
        admin_directory,
        admin_offices,
        admin_payment,
        admin_users,
        api,
        at_risk_pages,
        audit_pages,
        citizen_rating,
        collections_api,
        counter,
        courier,
        door_pickup,
        door_scan,
        dossier_files,
        language_choice,
        outbox_admin,
        pages,
        print_views,
        public,
        public_booking,
        public_lookup,
        quality_api,
        quality_pages,
        quality_pdf,
        rating_pages,
        receipt_hooks,
        reconciliation_pages,
        supervision,
    )

    app.register_blueprint(api.bp)
    app.register_blueprint(quality_api.bp)
    app.register_blueprint(collections_api.bp)
    app.register_blueprint(quality_pages.bp)
    app.register_blueprint(quality_pdf.bp)
    language_choice.init_app(app)
    app.register_blueprint(pages.bp)
    from . import (  # noqa: F401 (their views join counter.bp before it is registered)
        counter_collections,
        counter_dossiers,
        counter_imports,
        counter_reception,
    )

    app.register_blueprint(counter.bp)
    app.register_blueprint(print_views.bp)
    app.register_blueprint(outbox_admin.bp)
    app.register_blueprint(receipt_hooks.bp)
    app.register_blueprint(audit_pages.bp)
    app.register_blueprint(supervision.bp)
    app.register_blueprint(rating_pages.bp)
    app.register_blueprint(admin_users.bp)
    app.register_blueprint(admin_directory.bp)
    app.register_blueprint(admin_payment.bp)
    app.register_blueprint(admin_offices.bp)
    app.register_blueprint(admin_beats.bp)
    app.register_blueprint(admin_calendar.bp)
    app.register_blueprint(at_risk_pages.bp)
    app.register_blueprint(reconciliation_pages.bp)
    pages.init_app(app)


def _register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        checks = {"database": _check_database()}
        if app.config.get("REDIS_URL"):
            checks["redis"] = _check_redis()
        ready = all(v == "ok" for v in checks.values())
        return (jsonify({"status": "ok" if ready else "unavailable", **checks}),
                200 if ready else 503)


def _check_database() -> str:
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as e:  # noqa: BLE001 (any failure means "not ready")
        return f"error: {type(e).__name__}"


def _check_redis() -> str:
    from .jobs import redis_connection

    try:
        redis_connection().ping()
        return "ok"
    except Exception as e:  # noqa: BLE001
        return f"error: {type(e).__name__}"
