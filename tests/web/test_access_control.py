"""Who may call what: every route of the app (read from app.url_map, so a new route without an entry
here fails) against every role, with the expected table written out; CSRF on every
session-authenticated write; the session cookie's flags and the security headers on every kind of
response."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from delivery.accounts import create_api_client, create_user
from delivery.models import Agency, Consignment, User
from tests.conftest import PASSWORD
from tests.payloads import intake_body
from tests.web.test_pages import csrf_of, login
from web import create_app
from web.auth import login_session_values

ROLES = ("anonymous", "citizen", "courier", "counter", "supervisor", "admin", "api:intake",
         "api:scan", "api:read")
PUBLIC = set(ROLES)
TOKEN_HOLDERS = PUBLIC - {"anonymous"}  # anonymous here means: holding a wrong tracking token
ADMIN = {"admin"}
SUPERVISION = {"supervisor", "admin"}
COUNTER = {"counter", "supervisor", "admin"}
COURIER_PAGES = {"courier", "counter", "supervisor", "admin"}

# (endpoint, method) -> the roles allowed; every other role must be refused (401, 403 or the login
# form).
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("static", "GET"): PUBLIC,
    ("healthz", "GET"): PUBLIC,
    ("readyz", "GET"): PUBLIC,
    ("pages.index", "GET"): PUBLIC,  # the public lookup, or a redirect to the role's home
    ("pages.login", "GET"): PUBLIC,
    ("pages.login", "POST"): PUBLIC,
    ("pages.logout", "POST"): PUBLIC,
    ("pages.choose_language", "POST"): PUBLIC,  # a visitor's choice, before logging in
    ("api.openapi", "GET"): PUBLIC,
    ("api.unknown", "GET"): PUBLIC, ("api.unknown", "POST"): PUBLIC, ("api.unknown", "PUT"): PUBLIC,
    ("api.unknown", "PATCH"): PUBLIC, ("api.unknown", "DELETE"): PUBLIC,
    ("api.track_lookup", "GET"): PUBLIC,
    ("pages.track_lookup", "GET"): PUBLIC,
    # the citizen books a collection: the form, the texted code, a new code, the confirmation
    ("pages.collect_new", "GET"): PUBLIC, ("pages.collect_new", "POST"): PUBLIC,
    ("pages.collect_code", "GET"): PUBLIC, ("pages.collect_code", "POST"): PUBLIC,
    ("pages.collect_resend", "POST"): PUBLIC, ("pages.collect_done", "GET"): PUBLIC,
    ("pages.courier_service_worker", "GET"): PUBLIC,  # a static script
    ("api.track", "GET"): TOKEN_HOLDERS,
    ("pages.track", "GET"): TOKEN_HOLDERS,
    ("pages.track_request", "POST"): TOKEN_HOLDERS,
    ("pages.track_rating", "POST"): TOKEN_HOLDERS,
    ("api.rate", "POST"): TOKEN_HOLDERS,
    ("api.create", "POST"): {"api:intake", "counter", "admin"},
    ("collections_api.create", "POST"): {"api:intake", "counter", "admin"},
    ("collections_api.agency_receipt", "POST"): {"api:intake", "admin"},
    ("api.resolve", "POST"): {"api:intake"} | COUNTER,
    ("api.show", "GET"): {"api:read"} | COURIER_PAGES,
    ("quality_api.report", "GET"): {"api:read"} | SUPERVISION,
    ("quality.dashboard", "GET"): SUPERVISION,
    ("quality.export", "GET"): SUPERVISION,
    ("quality_pdf.monthly_pdf", "GET"): SUPERVISION,
    ("api.label", "GET"): {"api:read"} | COUNTER,
    # the digitised dossier: the agency's key and the postal staff who see the item
    ("api.dossier_pages_pdf", "GET"): {"api:read"} | COURIER_PAGES,
    ("pages.track_receipt_pdf", "GET"): TOKEN_HOLDERS,
    ("pages.courier_pickup", "POST"): {"courier", "admin"},
    ("api.scan", "POST"): {"api:scan"} | COURIER_PAGES,
    ("api.scan_batch", "POST"): {"api:scan"} | COURIER_PAGES,
    ("printing.batch", "POST"): {"api:read"} | COUNTER,
    ("printing.job_status", "GET"): {"api:read"} | COUNTER,
    ("printing.job_download", "GET"): {"api:read"} | COUNTER,
    ("printing.prints", "GET"): {"api:read"} | COUNTER,
    ("printing.record_print", "POST"): {"api:read"} | COUNTER,
    ("printing.print_label", "POST"): COUNTER,
    ("printing.manifest_pdf", "GET"): {"api:read"} | COUNTER,
    ("printing.print_view", "GET"): COUNTER,
    ("printing.batch_page", "GET"): COUNTER,
    ("printing.batch_page", "POST"): COUNTER,
    ("printing.job_page", "GET"): COUNTER,
    ("counter.home", "GET"): COUNTER,
    ("counter.new", "GET"): COUNTER,
    ("counter.new", "POST"): COUNTER,
    ("counter.new_collection", "GET"): COUNTER,
    ("counter.new_collection", "POST"): COUNTER,
    ("counter.show", "GET"): COUNTER,
    ("counter.resend_link", "POST"): COUNTER,
    ("counter.receive_dossier", "POST"): COUNTER,
    ("counter.new_manifest", "GET"): COUNTER,
    ("counter.new_manifest", "POST"): COUNTER,
    ("counter.manifest", "GET"): COUNTER,
    ("supervision.custody", "GET"): SUPERVISION,
    ("counter.new_dossier_manifest", "GET"): COUNTER,
    ("counter.new_dossier_manifest", "POST"): COUNTER,
    ("counter.dispatch_manifest", "POST"): COUNTER,
    ("counter.scan_manifest", "GET"): COUNTER,
    ("counter.scan_manifest", "POST"): COUNTER,
    ("counter.take_manifest", "POST"): COUNTER,
    ("counter.handover", "POST"): COUNTER,
    ("counter.new_import", "GET"): COUNTER,
    ("counter.new_import", "POST"): COUNTER,
    ("counter.import_run", "GET"): COUNTER,
    ("counter.import_progress", "GET"): COUNTER,
    ("counter.create_import_row", "POST"): COUNTER,
    ("pages.courier_home", "GET"): {"courier", "supervisor", "admin"},
    ("pages.courier_scan_page", "GET"): COURIER_PAGES,
    ("pages.courier_item", "GET"): COURIER_PAGES,
    ("pages.courier_scan", "POST"): COURIER_PAGES,
    ("pages.courier_new_code", "POST"): COURIER_PAGES,
    ("pages.proof_photo", "GET"): COUNTER,
    ("at_risk.at_risk", "GET"): SUPERVISION,
    ("reconciliation.page", "GET"): SUPERVISION,
    ("reconciliation.sign", "POST"): SUPERVISION,
    ("reconciliation.export", "GET"): SUPERVISION,
    ("outbox_admin.citizen_requests", "GET"): COURIER_PAGES,
    ("outbox_admin.outbox", "GET"): SUPERVISION,
    ("outbox_admin.outbox_row", "GET"): SUPERVISION,
    ("outbox_admin.redeliver_row", "POST"): SUPERVISION,
    # providers' delivery receipts: no login, each request carries its signature
    ("receipt_hooks.esms", "GET"): PUBLIC,
    ("receipt_hooks.zalo", "POST"): PUBLIC,
    ("audit.consignment_audit", "GET"): SUPERVISION,
    ("supervision.reroute_item", "POST"): SUPERVISION,
    ("supervision.move_to_courier", "POST"): SUPERVISION,
    ("ratings.ratings", "GET"): SUPERVISION,
    ("audit.audit_log", "GET"): SUPERVISION,
    ("audit.api_clients", "GET"): ADMIN,
    ("audit.revoke", "POST"): ADMIN,
    ("admin_users.staff", "GET"): ADMIN,
    ("admin_users.new", "GET"): ADMIN,
    ("admin_users.new", "POST"): ADMIN,
    ("admin_users.edit", "GET"): ADMIN,
    ("admin_users.place", "POST"): ADMIN,
    ("admin_users.disable", "POST"): ADMIN,
    ("admin_users.enable", "POST"): ADMIN,
    ("admin_users.reset_password", "POST"): ADMIN,
    ("admin_directory.agencies", "GET"): ADMIN,
    ("admin_directory.new_agency", "GET"): ADMIN,
    ("admin_directory.new_agency", "POST"): ADMIN,
    ("admin_directory.agency", "GET"): ADMIN,
    ("admin_directory.update_agency", "POST"): ADMIN,
    ("admin_directory.rotate_secret", "POST"): ADMIN,
    ("admin_directory.coverage", "GET"): ADMIN,
    ("admin_calendar.save_routes", "POST"): ADMIN,
    ("admin_calendar.save_day", "POST"): ADMIN,
    ("admin_calendar.remove_day", "POST"): ADMIN,
    ("admin_calendar.recompute", "POST"): ADMIN,
    ("admin_payment.save_agency_account", "POST"): ADMIN,
    ("admin_payment.save_office_account", "POST"): ADMIN,
    ("admin_offices.offices", "GET"): ADMIN,
    ("admin_offices.new_office", "GET"): ADMIN,
    ("admin_offices.new_office", "POST"): ADMIN,
    ("admin_offices.office", "GET"): ADMIN,
    ("admin_offices.update_office", "POST"): ADMIN,
    ("admin_offices.wards", "POST"): ADMIN,
    ("admin_offices.agencies", "POST"): ADMIN,
    ("admin_beats.new_beat", "GET"): ADMIN,
    ("admin_beats.new_beat", "POST"): ADMIN,
    ("admin_beats.beat", "GET"): ADMIN,
    ("admin_beats.beat", "POST"): ADMIN,
    ("admin_beats.delete", "GET"): ADMIN,
    ("admin_beats.delete", "POST"): ADMIN,
    ("pages.change_password", "GET"): COURIER_PAGES,
    ("pages.change_password", "POST"): COURIER_PAGES,
}
# api.unknown answers 404 to everyone; api.rate is authorised by the private link in its path,
# never by a cookie, and takes JSON only (a foreign page's form cannot send it); Zalo's receipts
# are authorised by their signature, never by a cookie
CSRF_EXEMPT = {"api.unknown", "api.rate", "receipt_hooks.zalo"}
KEYS = {"api:intake": "bk_matrix-intake", "api:scan": "bk_matrix-scan",
        "api:read": "bk_matrix-read"}
CSRF = "matrix-csrf-token"


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.fixture
def world(demo, client, api_headers):
    """The demo, an admin, one API client per scope, and one consignment (its number and token)."""
    body = intake_body(1)
    client.post("/api/v1/consignments", json=body, headers=api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        for role, key in KEYS.items():
            create_api_client(db, role.replace(":", "-"), role.split(":")[1], agency.id, key=key)
        db.commit()
        consignment = db.exec(select(Consignment)).one()
        users = {u.username: u.id for u in db.exec(select(User))}
    return demo, consignment.tracking_number, consignment.tracking_token, users


def url_of(app, rule, number, token, role):
    values = {"tracking_number": number, "token": token if role != "anonymous" else "not-the-token",
              "fmt": "svg", "filename": "app.css", "_anything": "nothing-here",
              "proof_id": "0" * 32 + ".jpg"}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{a: values.get(a, "999999") for a in rule.arguments})


def client_as(app, role, users):
    """A test client acting as ``role``: a logged-in session (with its CSRF token) or a bearer
    key."""
    client, headers = app.test_client(), {}
    if role in KEYS:
        headers["Authorization"] = f"Bearer {KEYS[role]}"
    else:
        with client.session_transaction() as session:
            session["csrf_token"] = CSRF
            if role in users:
                session.update(logged_in(app, users[role]))
        headers["X-CSRF-Token"] = CSRF
    return client, headers


def logged_in(app, user_id):
    """A login session of the user, under their current generation (logout, among the routes
    called, ends every session of whoever calls it)."""
    with Session(app.extensions["db_engine"]) as db:
        return login_session_values(user_id, db.get(User, user_id).session_generation)


def call(app, rule, method, role, world_values, headers_extra=None):
    _, number, token, users = world_values
    client, headers = client_as(app, role, users)
    headers.update(headers_extra or {})
    url = url_of(app, rule, number, token, role)
    if rule.rule.startswith("/api/") and method != "GET":
        return client.open(url, method=method, json={}, headers=headers)
    form = {"csrf_token": form_token(app, token)} if rule.endpoint in CITIZEN_FORMS and \
        "X-CSRF-Token" not in (headers_extra or {}) else {}
    return client.open(url, method=method, data=form, headers=headers)


CITIZEN_FORMS = ("pages.track_request", "pages.track_rating")


def form_token(app, token):
    """The token the citizen's page puts in its request forms (the one for the real tracking
    token)."""
    with app.test_client().get(f"/t/{token}") as page:
        return csrf_of(page.data)


def refused(response, rule, role) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code == 302 and "/login?next=" in response.headers.get("Location", ""):
        return True
    # a label's page sends visitors who are not logged in to the public lookup (with the login)
    if response.status_code == 302 and "staff_next=" in response.headers.get("Location", ""):
        return True
    # A wrong tracking token gets nothing: 404, or 400 when the form's token does not match it
    # either.
    return role == "anonymous" and "token" in rule.arguments and response.status_code in (400, 404)


def test_it_has_an_expected_row_for_every_route_and_no_stale_rows(demo):
    present = {(rule.endpoint, method) for rule, method in routes(demo)}
    assert sorted(present - EXPECTED.keys()) == [] and sorted(EXPECTED.keys() - present) == []


def test_it_allows_and_refuses_every_route_for_every_role_as_the_table_says(world):
    app = world[0]
    wrong, errors = {}, {}
    for rule, method in routes(app):
        for role in ROLES:
            with call(app, rule, method, role, world) as response:
                pass
            allowed = role in EXPECTED[(rule.endpoint, method)]
            if refused(response, rule, role) == allowed:
                wrong[f"{method} {rule.rule} as {role}"] = response.status_code
            if response.status_code >= 500:
                errors[f"{method} {rule.rule} as {role}"] = response.status_code
    assert wrong == {} and errors == {}


def test_it_refuses_every_session_write_without_or_with_a_wrong_csrf_token(world):
    app, _, _, users = world
    unprotected = {}
    for rule, method in routes(app):
        if method == "GET" or rule.endpoint in CSRF_EXEMPT:
            continue
        role = "admin" if EXPECTED[(rule.endpoint, method)] & {"admin"} else "citizen"
        for sent in (None, "forged-token"):
            with call(app, rule, method, role, world,
                      headers_extra={"X-CSRF-Token": sent or ""}) as response:
                pass
            if response.status_code != 400:
                unprotected[f"{method} {rule.rule} token={sent}"] = response.status_code
    assert unprotected == {}


def test_it_sets_the_session_cookie_httponly_and_samesite_lax(demo, client):
    response = login(client, "courier")
    cookie = response.headers["Set-Cookie"]
    # development: plain http
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_it_makes_the_session_cookie_secure_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SMS_GATEWAY", "http")
    monkeypatch.setenv("SMS_HTTP_URL", "https://sms.example/send")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/static/app.css",
                                  "/no-such-page", "/api/v1/nothing", "/counter", "/t/not-a-token"])
def test_it_sends_the_security_headers_on_every_kind_of_response(demo, client, path):
    with client.get(path) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert ("default-src 'self'" in csp and "frame-ancestors 'none'" in csp
            and "unsafe-inline" not in csp)
    assert (headers["X-Content-Type-Options"] == "nosniff"
            and headers["Referrer-Policy"] == "no-referrer")
    assert "camera=(self)" in headers["Permissions-Policy"]


def test_it_keeps_every_template_free_of_inline_script_and_style(repo_root):
    """The CSP forbids inline code; a template that had some would break in the browser."""
    offenders = []
    for template in (repo_root / "web" / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8").lower()
        if ("<script>" in text or "<style" in text or " style=" in text or " onclick=" in text
                or "javascript:" in text):
            offenders.append(template.name)
    assert offenders == []


def test_it_adds_hsts_over_https_only(demo, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert client.get("/login", base_url="https://localhost").headers[
        "Strict-Transport-Security"].startswith("max-age=")


def test_it_keeps_a_security_header_a_view_set_itself(demo):
    @demo.get("/own-policy")
    def own_policy():  # a view with a stricter policy of its own
        return "ok", 200, {"Content-Security-Policy": "default-src 'none'"}

    response = demo.test_client().get("/own-policy")
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_shows_each_role_only_navigation_links_its_pages_allow():
    from web.navigation import links_for

    refused = [(role, link.endpoint) for role in ("courier", "counter", "supervisor", "admin")
               for link in links_for(role) if role not in EXPECTED[(link.endpoint, "GET")]]
    assert refused == [] and len(links_for("counter")) >= 5


def test_it_links_the_batch_print_from_every_counter_page(demo, client):
    login(client, "counter")
    for path in ("/counter", "/counter/consignments/new", "/counter/manifests/new"):
        html = client.get(path).get_data(as_text=True)
        assert 'href="/print/batch"' in html and "Quality" not in html
    assert 'href="/counter" aria-current="page"' in client.get("/counter").get_data(as_text=True)
