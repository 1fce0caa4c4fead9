"""Bodies the API was not made for: too large (413), not JSON (422), not UTF-8 (422), NUL characters
(422): always a problem document (or a readable page for a form), never a 500 and nothing stored."""

from __future__ import annotations

import io
import json

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.payloads import intake_body, scan_body
from tests.web.test_pages import csrf_of, login

SIX_MB = 6 * 1024 * 1024
JSON_PATHS = ["/api/v1/consignments", "/api/v1/scans", "/api/v1/scans/batch",
              "/api/v1/addresses/resolve", "/api/v1/labels/batch"]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("path", JSON_PATHS)
def test_it_answers_413_problem_to_a_body_over_the_limit(demo, client, api_headers, path):
    body = b'{"text": "' + b"x" * SIX_MB + b'"}'
    response = client.post(path, data=body,
                           headers={**api_headers, "Content-Type": "application/json"})
    assert "5 MB" in assert_problem(response, 413)["detail"]


def test_it_answers_413_to_a_door_photo_over_the_limit_with_a_readable_page(
    demo, client, api_headers
):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    login(client, "courier")
    token = csrf_of(client.get(f"/courier/items/{number}").data)
    form = {"csrf_token": token, "event": "delivery_failed", "reason": "recipient_absent",
            "photo": FileStorage(io.BytesIO(b"\xff\xd8" + b"\x00" * SIX_MB), "door.jpg",
                                 content_type="image/jpeg")}
    # in memory: the test client would spool it to a file left open
    boundary, data = encode_multipart(form)
    page = client.post(f"/courier/items/{number}/scan", data=data,
                       content_type=f"multipart/form-data; boundary={boundary}")
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "Nội dung hoặc ảnh gửi lên quá lớn (tối đa" in page.get_data(as_text=True)


def test_it_answers_413_problem_to_a_script_that_asked_for_json(demo, client):
    login(client, "courier")
    response = client.post("/courier/items/RR287043775VN/scan", data=b"x" * SIX_MB,
                           headers={"Accept": "application/json",
                                    "Content-Type": "application/octet-stream"})
    assert_problem(response, 413)


@pytest.mark.parametrize("content_type, data", [
    ("text/plain", b'{"text": "Ha Noi"}'), ("application/x-www-form-urlencoded", b"text=Ha+Noi"),
    ("application/xml", b"<text>Ha Noi</text>"), (None, b'{"text": "Ha Noi"}')])
@pytest.mark.parametrize("path", JSON_PATHS[:2])
def test_it_answers_422_problem_naming_the_body_to_a_wrong_content_type(demo, client, api_headers,
                                                                        path, content_type, data):
    headers = {**api_headers, **({"Content-Type": content_type} if content_type else {})}
    body = assert_problem(client.post(path, data=data, headers=headers), 422)
    assert "application/json" in body["errors"]["body"]


@pytest.mark.parametrize("data", [b'{"text": "H\xe0 N\xf4i"}', b'{"text": "\xc3\x28"}',
                                  b"\xff\xfe{\x00}", b'{"text":'])
@pytest.mark.parametrize("path", JSON_PATHS[1:3])
def test_it_answers_422_problem_to_invalid_utf8_or_broken_json(
    demo, client, api_headers, path, data
):
    response = client.post(path, data=data,
                           headers={**api_headers, "Content-Type": "application/json"})
    assert "body" in assert_problem(response, 422)["errors"]


@pytest.mark.parametrize("path", ["/api/v1/consignments/RR%00287043775VN",
                                  "/api/v1/track?tracking_number=RR%00&phone_last4=1234",
                                  "/api/v1/track/abc%00def"])
def test_it_answers_422_problem_to_a_nul_in_the_path_or_query(demo, client, api_headers, path):
    assert_problem(client.get(path, headers=api_headers), 422)


def test_it_refuses_a_nul_in_a_scan_note_and_stores_nothing(demo, client, api_headers):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    response = client.post("/api/v1/scans",
                           json=scan_body(number, "accepted", note="gọi\x00 trước"),
                           headers=api_headers)
    assert list(assert_problem(response, 422)["errors"]) == ["note"]
    events = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()["events"]
    assert events == []


def test_it_refuses_a_nul_in_a_page_form_with_a_readable_page(demo, client):
    login(client, "counter")
    page = client.get("/counter?q=Nguy%00en")
    assert (page.status_code == 422 and page.mimetype == "text/html"
            and "NUL" in page.get_data(as_text=True))


def post_json_text(client, path: str, text: str, headers: dict):
    """A JSON body as written (it may hold escapes such as a lone surrogate's "\\ud800")."""
    return client.post(path, data=text.encode(),
                       headers={**headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("path", JSON_PATHS)
def test_it_answers_422_problem_to_json_nested_5000_deep(demo, client, api_headers, path):
    deep = '{"text": ' + "[" * 5000 + "]" * 5000 + "}"
    assert "nested" in assert_problem(post_json_text(client, path, deep, api_headers),
                                      422)["errors"]["body"]


@pytest.mark.parametrize("path", [p for p in JSON_PATHS if p != "/api/v1/scans/batch"])
def test_it_answers_422_problem_naming_a_field_nested_deeper_than_it_reads(demo, client,
                                                                          api_headers, path):
    deep = '{"text": ' + "[" * 40 + "]" * 40 + "}"
    errors = assert_problem(post_json_text(client, path, deep, api_headers), 422)["errors"]
    assert list(errors) == ["text"] and "nested" in errors["text"]


@pytest.mark.parametrize("path, text, field", [
    ("/api/v1/consignments",
     '{"dossier_code": "000.00.01.H26-250609-0001", "recipient": {"name": "Nguy\\ud800n An", '
     '"phone": "0912345678"}, "address": "Số 2 Hàng Gai, Phường Hoàn Kiếm, Hà Nội"}',
     "recipient.name"),
    ("/api/v1/addresses/resolve", '{"text": "Hà Nội \\udfff"}', "text"),
    ("/api/v1/labels/batch", '{"tracking_numbers": ["RR287043775IN"], "reason": "\\ud83d"}',
     "reason"),
    ("/api/v1/scans", '{"event_id": "a1b2c3d4e5", "tracking_number": "RR287043775IN", '
     '"event": "accepted", "occurred_at": "2026-11-28T09:15:00+07:00", "note": "\\udc00"}',
     "note"),
    ("/api/v1/consignments", '{"\\ud800": 1}', "\\ud800")])
def test_it_answers_422_naming_the_field_to_a_lone_surrogate(demo, client, api_headers, path,
                                                             text, field):
    body = assert_problem(post_json_text(client, path, text, api_headers), 422)
    assert list(body["errors"]) == [field] and "U+D" in body["errors"][field]


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+07:00", "0001-01-01T00:00:00+00:00",
                                  "9999-12-31T23:59:59-07:00", "9999-12-31T23:59:59+14:00"])
def test_it_answers_422_to_an_occurred_at_out_of_range(demo, client, api_headers, when):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    response = client.post("/api/v1/scans", json=scan_body(number, "accepted", occurred_at=when),
                           headers=api_headers)
    assert list(assert_problem(response, 422)["errors"]) == ["occurred_at"]


def test_it_records_the_good_scans_of_a_batch_and_refuses_each_bad_one_in_its_place(
    demo, client, api_headers
):
    first, second = (client.post("/api/v1/consignments", json=intake_body(n),
                                 headers=api_headers).get_json()["tracking_number"]
                     for n in (1, 2))
    scans = [scan_body(first, "accepted"), 5, ["not", "a", "scan"],
             scan_body(first, "arrived_hub", event_id=12345678, lat="north", reason=["x"]),
             scan_body(first, "arrived_hub", note="SURROGATE"),
             scan_body(first, "arrived_hub", note="x" * 100_000, lat=1e308,
                       proof={"received_by": "y" * 100_000}),
             scan_body(first, "arrived_hub", occurred_at="0001-01-01T00:00:00+07:00"),
             scan_body(first, "arrived_hub", note="DEEP"),
             scan_body(second, "accepted")]
    text = (json.dumps({"scans": scans}).replace('"SURROGATE"', '"\\ud800"')
            .replace('"DEEP"', "[" * 40 + "]" * 40))
    response = post_json_text(client, "/api/v1/scans/batch", text, api_headers)
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert [r["http_status"] for r in results] == [201, 422, 422, 422, 422, 422, 422, 422, 201]
    assert all(r["problem"]["errors"] for r in results if r["http_status"] == 422)
    assert "note" in results[4]["problem"]["errors"]
    for number in (first, second):
        shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
        assert shown["status"] == "accepted" and len(shown["events"]) == 1
