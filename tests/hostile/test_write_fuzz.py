"""Random JSON shapes and Unicode (lone surrogates, control characters, huge and deeply nested
values, wrong types) posted to every write endpoint that takes text, on the app's test client: never
a 5xx; the API refuses with a problem document (422 with ``errors``), a page answers with a page or
a redirect. Generated bodies start from a valid one with some fields (nested ones too) replaced,
dropped or joined by unknown ones, so they reach past the first check."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.manifests import create_manifest
from delivery.models import Agency, PostOffice, User
from delivery.status_model import SCAN_EVENTS
from tests.conftest import PASSWORD
from tests.payloads import PROOF, intake_body, scan_body
from tests.web.public_helpers import create_item, move, page_csrf
from tests.web.test_pages import csrf_of, login

EXAMPLES = 40  # per endpoint
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # surrogates, controls
NASTY = ("\ud800", "a\udfffb", "\x00", "Nguyễn\x07An", "\x1b[31m", "\x85", "\x9f", "\ufffe",
         "\u202eevil", "x" * 100_000, " " * 5000, "", "0001-01-01T00:00:00+07:00",
         "9999-12-31T23:59:59-07:00", "RR287043775IN", "²", "٣", "9" * 5000, "-1", "1e999")
# Written into the JSON text as they are (json.dumps cannot make them)
RAW = {"\u2063deep40": "[" * 40 + "]" * 40, "\u2063deep5000": "[" * 5000 + "]" * 5000,
       "\u2063bigint": "9" * 5000, "\u2063longlist": "[" + ",".join(["0"] * 20_000) + "]"}
SCALARS = (st.none() | st.booleans() | st.integers(-(10 ** 40), 10 ** 40) | st.floats()
           | ANY_TEXT | st.sampled_from(NASTY) | st.sampled_from(sorted(RAW)))
JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=10)
MISSING = object()


def _paths(body: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every field of ``body``, nested ones included, as key paths."""
    return [path for key, value in body.items() for path in (
        [(*prefix, key)] + (_paths(value, (*prefix, key)) if isinstance(value, dict) else []))]


def _replaced(body: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    parent = body
    for key in path[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(parent, dict):
        return  # an outer field was replaced already
    if value is MISSING:
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (a valid body) with up to two of its fields, at any level, replaced by junk or
    dropped, and maybe an unknown one added."""
    body = copy.deepcopy(base)
    for path in draw(st.lists(st.sampled_from(_paths(base)), max_size=2, unique=True)):
        _replaced(body, path, draw(JUNK | st.just(MISSING)))
    if draw(st.booleans()):
        body["\u00e9xtra"] = draw(JUNK)
    return body


def json_text(body: Any) -> bytes:
    text = json.dumps(body, ensure_ascii=True)  # a lone surrogate goes as "\ud800"
    for name, raw in RAW.items():
        text = text.replace(json.dumps(name), raw)
    return text.encode()


def form_text(fields: dict[str, Any]) -> bytes:
    """URL-encoded as a browser would, but any text: lone surrogates as the bytes they stand for."""
    def encoded(value: Any) -> str:
        return quote_plus(str(value).encode("utf-8", "surrogatepass"))
    return "&".join(f"{encoded(k)}={encoded(v)}" for k, v in fields.items()).encode()


def assert_problem_or_success(response) -> None:
    assert response.status_code < 500, response.get_data()[:500]
    if response.status_code >= 400:
        problem = response.get_json()
        assert response.mimetype == "application/problem+json"
        assert problem["status"] == response.status_code and problem["detail"]
        assert response.status_code != 422 or problem["errors"]


def assert_page(response) -> None:
    assert response.status_code < 500, response.get_data()[:500]
    assert response.status_code in (302, 303) or response.mimetype == "text/html"


def run(bodies: st.SearchStrategy[Any], send: Callable[[Any], None]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(bodies)
    def check(body: Any) -> None:
        send(body)

    check()


@pytest.fixture
def item(demo, client, api_headers) -> dict[str, str]:
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    return {"n": number, "token": token}


def api_bodies(number: str) -> dict[str, st.SearchStrategy[Any]]:
    scan = st.sampled_from(SCAN_EVENTS).flatmap(lambda event: mutated(scan_body(
        number, event, reason="recipient_absent", note="gọi trước", lat=21.0, lon=105.8,
        proof={**PROOF, "relation": "proxy", "authorisation_ref": "GUQ-1", "otp": "123456"})))
    return {
        "/api/v1/consignments": mutated(intake_body(2)) | mutated(intake_body(
            3, address={"street": "Số 1 Tràng Tiền", "ward_code": 70, "province_code": 1})),
        "/api/v1/scans": scan,
        "/api/v1/scans/batch": st.fixed_dictionaries(
            {"scans": st.lists(scan | JUNK, min_size=1, max_size=4)}),
        "/api/v1/labels/batch": mutated({"tracking_numbers": [number], "reason": "rách / torn",
                                         "size": "a6", "sheet": "label", "background": False}),
        "/api/v1/addresses/resolve": mutated(
            {"text": "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội"}),
    }


@pytest.mark.parametrize("path", list(api_bodies("RR287043775IN")))
def test_it_answers_every_generated_api_body_without_a_5xx(item, client, api_headers, path):
    def send(body: Any) -> None:
        response = client.post(path, data=json_text(body),
                               headers={**api_headers, "Content-Type": "application/json"})
        assert_problem_or_success(response)
        if path.endswith("/batch") and response.status_code == 200 and "scans" in path:
            results = response.get_json()["results"]
            assert len(results) == len(body["scans"])
            assert all(r["http_status"] < 500 for r in results)

    run(api_bodies(item["n"])[path] | JUNK, send)


@st.composite
def form(draw: st.DrawFn, **choices: tuple[str, ...]) -> dict[str, str]:
    """A form filled in with one of the ``choices`` of each field, then up to two fields replaced
    by any text or left out."""
    fields = {name: draw(st.sampled_from(values)) for name, values in choices.items()}
    for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
        value = draw(st.sampled_from(NASTY) | ANY_TEXT | st.just(MISSING))
        if value is MISSING:
            del fields[name]
        else:
            fields[name] = value
    return fields


ADDRESS = "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội"
# path (with {n}, {token}), who posts it (None: nobody logged in), the page giving its CSRF token,
# and its form
PAGES: dict[str, tuple[str | None, str, st.SearchStrategy[dict[str, str]]]] = {
    "/login": (None, "/login", form(username=("courier", "nobody"), password=(PASSWORD, "wrong"))),
    "/counter/consignments/new": ("counter", "/counter/consignments/new", form(
        dossier_code=("000.00.01.H26-250609-0005", "000.00.01.H26-250609-0006"),
        procedure=("Cấp giấy phép xây dựng", ""), name=("Nguyễn Văn An",),
        phone=("0912345678",), national_id=("001085012345", ""), address=(ADDRESS,),
        note=("Gọi trước", ""), agency_code=("000.00.01.H26",), payer=("recipient", ""),
        amount_vnd=("22.000", "²", "9" * 5000), ward_code=("70", "²", "9" * 5000, ""),
        province_code=("1", "٣", ""))),
    "/counter/manifests/new": ("counter", "/counter/manifests/new", form(
        n=("{n}",), agency_code=("000.00.01.H26",), office_code=("100100", "100900"))),
    "/print/batch": ("counter", "/print/batch", form(
        numbers=("{n}", "{n}\r\nRR287043775IN"), manifest=("",), reason=("rách / torn", ""),
        size=("a6", "100x150"), sheet=("a4", "label"))),
    "/courier/items/{n}/scan": ("courier", "/courier/items/{n}", form(
        event=SCAN_EVENTS, reason=("recipient_absent", "other"), note=("gọi trước", ""),
        received_by=("Nguyễn Văn An",), relation=("self", "proxy"), id_last4=("2345", ""),
        authorisation_ref=("GUQ-1", ""), otp=("123456", ""))),
    "/t/{token}/requests": (None, "/t/{token}", form(
        kind=("date", "pickup", "instructions"), date=("2030-01-09", ""),
        instructions=("Gọi trước khi đến",))),
    "/staff/password": ("supervisor", "/staff/password", form(
        current_password=(PASSWORD, "wrong"), password=("new-password-456",),
        password_again=("new-password-456",))),
    "/staff/consignments/{n}/reroute": ("supervisor", "/counter/consignments/{n}", form(
        reason=("Địa chỉ mới của người nhận",), office_code=("100100", "820000"))),
    "/staff/consignments/{n}/courier": ("supervisor", "/counter/consignments/{n}", form(
        courier=("courier", ""))),
    "/staff/users/new": ("admin", "/staff/users/new", form(
        username=("new-courier",), password=("first-password-789",),
        password_again=("first-password-789",), role=("courier", "supervisor"),
        office=("100100", ""), province=("1", ""))),
    "/print/consignments/{n}": ("counter", "/counter", form(
        format=("pdf", "svg", "png", "zpl"), reason=("rách / torn", ""))),
    "/counter/manifests/{m}/handover": ("counter", "/counter", form(
        received_by=("Bưu tá Hòa", ""), agency_signatory=("Lê Văn Cán Bộ", ""))),
    "/staff/users/{u}": ("admin", "/staff/users", form(
        role=("courier", "supervisor"), office=("100100", ""), province=("1", ""))),
    "/staff/users/{u}/password": ("admin", "/staff/users", form(
        password=("new-password-456",), password_again=("new-password-456", "other-one-789"))),
    **{path: ("admin", "/staff/users", form(
        code=("000.00.02.H26", "000.00.01.H26"), name=("Trung tâm Phục vụ HCC thử",),
        province=("1", "79", ""), webhook_url=("", "https://example.org/hook", "http://x"),
        attempt_limit=("2", ""), return_within_days=("5",), pickup_hold_days=("7", "0")))
       for path in ("/staff/agencies/new", "/staff/agencies/000.00.01.H26")},
    "/staff/agencies/000.00.01.H26/webhook-secret": ("admin", "/staff/users", form(
        confirm=("yes", ""))),
    **{path: ("admin", "/staff/users", form(
        code=("100200", "100100"), name=("Bưu cục phát thử",),
        kind=("delivery_office", "hub", "counter"), province=("1", ""),
        address=("1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội", ""), hours=("7:30-17:00", "")))
       for path in ("/staff/offices/new", "/staff/offices/100100")},
    "/staff/offices/100100/wards": ("admin", "/staff/users", form(ward=("70", "4", ""))),
    "/staff/offices/100000/agencies": ("admin", "/staff/users", form(
        agency=("000.00.01.H26", "000.00.01.H29", ""))),
    **{path: ("admin", "/staff/users", form(
        code=("HK-09", "HK-01"), name=("Tuyến phát thử",), ward=("70", ""),
        courier=("courier", "")))
       for path in ("/staff/offices/100100/beats/new", "/staff/offices/100100/beats/edit/HK-01")},
}


@pytest.fixture
def places(item, demo, client, api_headers) -> dict[str, str]:
    """What the form paths name: the item ({n}, {token}), a manifest of another one ({m}) and the
    courier's account ({u})."""
    numbers = [create_item(client, api_headers, 2)[0]]
    with Session(demo.extensions["db_engine"]) as db:
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        office = db.exec(select(PostOffice).where(PostOffice.code == "100000")).one()
        manifest = create_manifest(db, agency, office, numbers, "user:1")
        courier = db.exec(select(User).where(User.username == "courier")).one()
        db.commit()
        return {**item, "m": manifest.number, "u": str(courier.id)}


@pytest.mark.parametrize("path", list(PAGES))
def test_it_answers_every_generated_form_with_a_page(places, demo, client, path):
    user, page, fields = PAGES[path]
    if user == "admin":
        with Session(demo.extensions["db_engine"]) as db:
            create_user(db, "admin", PASSWORD, "admin")
            db.commit()
    if user:
        login(client, user)
    page = page.format(**places)
    token = (page_csrf(client, places["token"]) if page.startswith("/t/")
             else csrf_of(client.get(page).data))

    def send(body: dict[str, Any]) -> None:
        fields = {"csrf_token": token,
                  **{k: v.replace("{n}", places["n"]) for k, v in body.items()}}
        response = client.post(path.format(**places), data=form_text(fields),
                               content_type="application/x-www-form-urlencoded")
        assert_page(response)

    run(fields, send)
