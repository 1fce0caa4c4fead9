"""The supervisor's quality dashboard over the generated month (tests/quality_month.py): the page,
its exports and the agency's monthly PDF."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.labels.pdf_reading import page_text
from tests.quality_month import make_month
from tests.web.test_pages import login

SEPTEMBER = "from=2026-09-01&to=2026-09-30"


@pytest.fixture
def month(session):
    return make_month(session)


@pytest.fixture
def supervisor(client, month):
    login(client, "s1")
    return client


def test_it_shows_the_office_s_figures_with_charts_drawn_on_the_server(supervisor):
    page = supervisor.get(f"/staff/quality?{SEPTEMBER}").get_data(as_text=True)
    assert 'class="kpi-value">11<' in page  # items created at O1 in September
    assert page.count("<svg") == 5 and "<script" not in page and " style=" not in page
    assert "Người nhận vắng nhà" in page  # the Pareto's first reason, in Vietnamese


def test_it_keeps_what_was_typed_and_names_the_field_in_error(supervisor):
    response = supervisor.get("/staff/quality?from=2026-09-31&to=2026-09-30&office=O3")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="2026-09-31"' in page and 'value="O3" selected' in page
    assert "YYYY-MM-DD" in page and "không có bưu cục này trong phạm vi của bạn" in page


def test_it_defaults_to_this_month(supervisor):
    assert supervisor.get("/staff/quality").status_code == 200


def test_it_links_the_dashboard_from_the_staff_bar(supervisor):
    assert 'href="/staff/quality"' in supervisor.get("/staff/password").get_data(as_text=True)


def test_it_exports_a_table_as_csv_with_our_reason_codes_and_names(supervisor):
    response = supervisor.get(f"/staff/quality/export/failures.csv?{SEPTEMBER}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Mã / Code"
    assert rows[1][:3] == ["recipient_absent", "Người nhận vắng nhà / Recipient absent", "2"]


def test_it_exports_events_with_their_upu_codes(supervisor):
    response = supervisor.get(f"/staff/quality/export/events.csv?{SEPTEMBER}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        ["delivered", "EMI", "7"], ["delivery_failed", "EMH", "5"],
        ["returned_to_agency", "—", "1"]]


def test_it_exports_every_table_as_one_workbook(supervisor):
    response = supervisor.get(f"/staff/quality/export/all.xlsx?{SEPTEMBER}")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["summary", "events", "failures", "delivery_times", "past_due",
                               "comments", "message_costs"]
    assert book["summary"]["B3"].value == 11


def test_it_refuses_an_export_of_a_period_it_cannot_read(supervisor):
    assert supervisor.get("/staff/quality/export/summary.csv?from=x&to=y").status_code == 422


def test_it_prints_the_agency_s_monthly_report_as_pdf_with_vietnamese_text(client, month):
    login(client, "s1")
    response = client.get("/staff/quality/monthly.pdf?agency=000.00.01.H26&month=2026-09")
    assert response.mimetype == "application/pdf"
    text = page_text(response.data)
    assert "Báo cáo chất lượng dịch vụ tháng 09/2026" in text and "Phát thành công" in text


def test_it_answers_an_agency_outside_the_scope_as_unknown_in_the_monthly_report(client, month):
    login(client, "s3")
    response = client.get("/staff/quality/monthly.pdf?agency=000.00.01.H26&month=2026-09")
    assert response.status_code == 422


def test_it_keeps_a_citizen_s_comment_from_running_as_a_spreadsheet_formula():
    from web.quality_exports import safe_cell

    assert (safe_cell("=HYPERLINK(\"http://x\")"), safe_cell("Tốt"), safe_cell(-3)) == \
        ("'=HYPERLINK(\"http://x\")", "Tốt", -3)


def test_it_names_the_fields_of_a_refused_export_as_the_form_does(supervisor):
    page = supervisor.get("/staff/quality/export/summary.csv?from=x&to=2026-09-30")
    assert "Từ ngày: " in page.get_data(as_text=True)
