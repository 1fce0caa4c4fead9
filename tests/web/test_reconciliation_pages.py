"""The office's reconciliation page: who may see it, within which scope, its messages, the
sign-off form and the XLSX export."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry
from delivery.models import VIETNAM_TIME
from tests.conftest import PASSWORD
from tests.payloads import PROOF, intake_body, scan_body
from tests.web.test_courier_money import deliver
from tests.web.test_pages import csrf_of, login

PAGE = "/staff/reconciliation"


def today():
    return datetime.now(VIETNAM_TIME).date()


def out_for_delivery(client, headers, n):
    number = client.post("/api/v1/consignments", json=intake_body(n),
                         headers=headers).get_json()["tracking_number"]
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=headers)
    return number


def add_user(app, username, role, office):
    with Session(app.extensions["db_engine"]) as db:
        create_user(db, username, PASSWORD, role, office)
        db.commit()


@pytest.fixture
def day_with_a_shortfall(demo, client, api_headers):
    """Courier "courier" collected 22.000 đ on one item and 20.000 đ of 22.000 đ on another;
    the supervisor is logged in. Returns the short item's number."""
    right, short = (out_for_delivery(client, api_headers, n) for n in (1, 2))
    login(client, "courier")
    deliver(client, right, collected_vnd="22000", payment_method="cash")
    deliver(client, short, collected_vnd="20000", payment_method="transfer")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/courier").data)})
    login(client, "supervisor")
    return short


def page_text(client, query=""):
    response = client.get(PAGE + query)
    return response.status_code, response.get_data(as_text=True)


def test_it_shows_the_difference_and_the_item_that_is_off(day_with_a_shortfall, client):
    status, page = page_text(client, f"?office=100100&day={today()}")
    assert status == 200 and "Đối soát thu hộ" in page and "Cash reconciliation" not in page
    assert "44.000 đ" in page and "42.000 đ" in page and "-2.000 đ (thiếu)" in page
    assert "Thu thiếu" in page and "Số tiền thu khác số phải thu" in page
    assert day_with_a_shortfall in page


def test_it_opens_on_today_and_the_only_office_offered(day_with_a_shortfall, client):
    status, page = page_text(client)
    assert status == 200 and f'value="{today()}"' in page and day_with_a_shortfall in page


def test_it_answers_another_offices_supervisor_as_for_an_unknown_office(day_with_a_shortfall,
                                                                         demo, client):
    add_user(demo, "supervisor-di-an", "supervisor", "820000")
    login(client, "supervisor-di-an")
    answers = [page_text(client, f"?office={code}&day={today()}") for code in ("100100", "999999")]
    assert answers[0][0] == answers[1][0] == 422
    assert "không có bưu cục này trong phạm vi của bạn" in answers[0][1]
    assert day_with_a_shortfall not in answers[0][1]
    assert client.get(f"{PAGE}/export.xlsx?office=100100").status_code == 422


def test_it_links_the_day_before_and_no_day_after_today(day_with_a_shortfall, client):
    page = page_text(client, "?office=100100")[1]
    assert f"day={today() - timedelta(days=1)}" in page
    assert f"day={today() + timedelta(days=1)}" not in page


def test_it_says_a_day_in_the_future_has_not_come_yet(day_with_a_shortfall, client):
    status, page = page_text(client, f"?office=100100&day={today() + timedelta(days=1)}")
    assert status == 422 and "Chưa đến ngày này" in page and "that day has not come" not in page


@pytest.mark.parametrize("day", ["2026-02-30", "07/12/2026", "<script>"])
def test_it_says_a_malformed_day_is_not_a_date(day_with_a_shortfall, client, day):
    status, page = page_text(client, f"?office=100100&day={day}")
    assert status == 422 and "Ngày dạng YYYY-MM-DD, ví dụ 2026-12-07" in page
    assert "<script>" not in page


@pytest.mark.parametrize("user", ["courier", "counter"])
def test_it_is_for_supervisors_and_admins_only(demo, client, user):
    login(client, user)
    assert client.get(PAGE).status_code == 403


def test_it_lets_an_admin_see_any_office(day_with_a_shortfall, demo, client):
    add_user(demo, "admin", "admin", None)
    login(client, "admin")
    assert day_with_a_shortfall in page_text(client, "?office=100100")[1]


def sign(client, token=None, note=""):
    token = token if token is not None else csrf_of(client.get(f"{PAGE}?office=100100").data)
    return client.post(f"{PAGE}/sign-off", data={"csrf_token": token, "office": "100100",
                                                 "day": today().isoformat(), "note": note})


def test_it_needs_the_csrf_token_to_sign_off(day_with_a_shortfall, client):
    assert sign(client, token="forged").status_code == 400


def test_it_signs_off_and_shows_who_signed(day_with_a_shortfall, demo, client):
    answer = sign(client, note="Thiếu 2.000 đ, bưu tá nộp bổ sung")
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Đã ký xác nhận bởi supervisor lúc " in page
    assert "Thiếu 2.000 đ, bưu tá nộp bổ sung" in page and 'id="signoff-form"' not in page
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(AuditEntry).where(
            AuditEntry.action == "reconciliation.signed")).one().actor_name == "supervisor"


def test_it_refuses_to_sign_the_same_figures_twice(day_with_a_shortfall, client):
    token = csrf_of(client.get(f"{PAGE}?office=100100").data)
    sign(client, token)
    answer = sign(client, token)
    assert answer.status_code == 409 and "đã được ký xác nhận" in answer.get_data(as_text=True)


def test_it_shows_that_the_figures_changed_since_the_sign_off(day_with_a_shortfall, client,
                                                              api_headers):
    sign(client)
    late = out_for_delivery(client, api_headers, 3)
    no_money = {k: v for k, v in PROOF.items() if k not in ("collected_vnd", "payment_method")}
    client.post("/api/v1/scans", json=scan_body(late, "delivered", proof=no_money),
                headers=api_headers)
    page = page_text(client, "?office=100100")[1]
    assert "Số liệu đã thay đổi sau khi ký" in page and 'id="signoff-form"' in page
    assert "API demo-upstream" in page and "Chưa ghi nhận tiền thu" in page


def test_it_keeps_the_note_typed_when_it_is_too_long(day_with_a_shortfall, client):
    answer = sign(client, note="x" * 501)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "tối đa 500 ký tự" in page and "x" * 501 in page


def test_it_exports_one_row_per_item_and_a_total_per_courier(day_with_a_shortfall, client):
    answer = client.get(f"{PAGE}/export.xlsx?office=100100&day={today()}")
    assert answer.status_code == 200 and "doi-soat-100100" in answer.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_number = {row[1]: row for row in rows}
    assert by_number[day_with_a_shortfall][3:8] == [22000, None, 20000, 20000, -2000]
    courier_total, office_total = (r for r in rows if r[1] == "Cộng / Total")
    assert courier_total[0] == "courier" and courier_total[3:8] == [44000, 22000, 20000, 42000,
                                                                  -2000]
    assert "Thu thiếu / collected less than expected" in courier_total[8]
    assert office_total[0] == "Bưu cục / Office 100100" and len(rows) == 4
