"""Recording label prints: only a POST that says so records one (the API's POST .../prints, the
counter's Print buttons, batches); showing a label records nothing, whatever its query string says,
so a link on another site cannot write print or audit records. A reprint says why."""

import pytest
from sqlmodel import Session, select

from delivery.audit import AuditEntry
from delivery.print_models import LabelPrint
from tests.web.public_helpers import create_item
from tests.web.test_pages import csrf_of, login


@pytest.fixture
def number(demo, client, api_headers):
    return create_item(client, api_headers)[0]


def rows(app, table):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(table).order_by(table.id)).all()


def record(client, number, headers, **body):
    return client.post(f"/api/v1/consignments/{number}/prints", json=body, headers=headers)


def counter_page_token(client, number):
    """The CSRF token of the counter's page of the item (its Print form carries it)."""
    return csrf_of(client.get(f"/counter/consignments/{number}").data)


def test_it_records_nothing_when_a_label_is_only_shown(demo, client, api_headers, number):
    shown = client.get(f"/api/v1/consignments/{number}/label.svg?reason=planted",
                       headers=api_headers)
    assert shown.status_code == 200 and shown.mimetype == "image/svg+xml"
    assert rows(demo, LabelPrint) == [] and not [
        e for e in rows(demo, AuditEntry) if e.action.startswith("label.")]


def test_it_records_nothing_when_a_clerks_browser_follows_a_link_to_a_label(demo, client,
                                                                            number):
    login(client, "counter")
    client.get(f"/api/v1/consignments/{number}/label.pdf?reason=planted")
    client.get(f"/print/labels?n={number}&reason=planted")
    assert rows(demo, LabelPrint) == [] and not [
        e for e in rows(demo, AuditEntry) if e.action.startswith("label.")]


def test_it_records_a_print_for_an_api_key_and_answers_the_record(demo, client, api_headers,
                                                                  number):
    response = record(client, number, api_headers, format="zpl")
    body = response.get_json()
    assert response.status_code == 201 and (body["format"], body["reprint"], body["actor"]) == (
        "zpl", False, "api:1")
    assert body["label_url"] == f"/api/v1/consignments/{number}/label.zpl"
    assert [p.format for p in rows(demo, LabelPrint)] == ["zpl"]


def test_it_records_a_second_print_as_a_reprint_with_who_and_why(demo, client, api_headers,
                                                                 number):
    record(client, number, api_headers, format="svg")
    record(client, number, api_headers, format="pdf", reason="  torn  ")
    prints = client.get(f"/api/v1/consignments/{number}/prints",
                        headers=api_headers).get_json()["prints"]
    assert [(p["format"], p["reprint"], p["reason"], p["actor"]) for p in prints] == [
        ("svg", False, None, "api:1"), ("pdf", True, "torn", "api:1")]


def test_it_refuses_a_reprint_without_a_reason(demo, client, api_headers, number):
    record(client, number, api_headers, format="svg")
    response = record(client, number, api_headers, format="svg", reason=" ")
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]
    assert len(rows(demo, LabelPrint)) == 1


@pytest.mark.parametrize("body", [{"format": "pdf", "reason": "x" * 301},
                                  {"format": "pdf", "reason": ["torn"]}])
def test_it_names_a_bad_reason_in_a_422(demo, client, api_headers, number, body):
    response = record(client, number, api_headers, **body)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["reason"]


@pytest.mark.parametrize("body", [{}, {"format": "html"}, {"format": ["pdf"]}])
def test_it_names_a_missing_or_unknown_format_in_a_422(demo, client, api_headers, number, body):
    response = record(client, number, api_headers, **body)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["format"]


def test_it_names_a_batch_reason_over_300_characters(demo, client, api_headers, number):
    response = client.post("/api/v1/labels/batch", headers=api_headers,
                           json={"tracking_numbers": [number], "reason": "x" * 301})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["reason"]
    assert rows(demo, LabelPrint) == []


def test_it_answers_an_unknown_number_as_404(demo, client, api_headers):
    assert record(client, "RR287043775IN", api_headers, format="pdf").status_code == 404


def test_it_refuses_a_session_post_without_the_csrf_token(demo, client, number):
    login(client, "counter")
    refused = record(client, number, {}, format="pdf")
    forged = record(client, number, {"X-CSRF-Token": "forged"}, format="pdf")
    assert refused.status_code == forged.status_code == 400 and rows(demo, LabelPrint) == []


def test_it_records_a_session_post_with_the_csrf_token(demo, client, number):
    login(client, "counter")
    token = counter_page_token(client, number)
    response = record(client, number, {"X-CSRF-Token": token}, format="pdf")
    assert response.status_code == 201 and response.get_json()["actor"].startswith("user:")


def test_it_records_the_counters_print_button_then_shows_the_label(demo, client, number):
    login(client, "counter")
    token = counter_page_token(client, number)
    response = client.post(f"/print/consignments/{number}",
                           data={"format": "pdf", "reason": "", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == (
        f"/api/v1/consignments/{number}/label.pdf")
    (printed,) = rows(demo, LabelPrint)
    assert (printed.format, printed.reprint) == ("pdf", False)
    assert client.get(response.headers["Location"]).mimetype == "application/pdf"


def test_it_sends_a_reprint_without_a_reason_back_to_the_page_saying_why(demo, client, number):
    login(client, "counter")
    token = counter_page_token(client, number)
    client.post(f"/print/consignments/{number}", data={"format": "pdf", "csrf_token": token})
    again = client.post(f"/print/consignments/{number}",
                        data={"format": "pdf", "csrf_token": token}, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert "Chưa in: Lý do in lại: " in page and "not printed" not in page
    assert len(rows(demo, LabelPrint)) == 1


def test_it_refuses_the_counters_print_button_without_the_csrf_token(demo, client, number):
    login(client, "counter")
    response = client.post(f"/print/consignments/{number}", data={"format": "pdf"})
    assert response.status_code == 400 and rows(demo, LabelPrint) == []


def test_it_offers_the_print_buttons_as_a_form_not_links(demo, client, number):
    login(client, "counter")
    page = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert f'action="/print/consignments/{number}"' in page
    # the one link to the label is the view that records no print, and says so
    assert page.count("/label.pdf") == 1 and "(không tính là in)" in page


def test_it_records_a_batch_the_counter_confirms_once(demo, client, api_headers):
    numbers = [create_item(client, api_headers, n)[0] for n in (1, 2)]
    login(client, "counter")
    token = csrf_of(client.get("/print/batch").data)
    response = client.post("/print/batch", data={"numbers": "\n".join(numbers), "sheet": "label",
                                                 "reason": "kẹt giấy", "csrf_token": token})
    for _ in range(2):  # reloading the print view prints nothing more
        client.get(response.headers["Location"])
    assert [(p.format, p.reason) for p in rows(demo, LabelPrint)] == [("html", "kẹt giấy")] * 2
    assert "reason" not in response.headers["Location"]
