"""The admin's payment account of an agency: saved and audited, refused with what was typed kept."""

from delivery.directory import find_agency
from tests.web.test_admin_directory import DEMO_AGENCY, admin, audited, db_of, post, text_of

__all__ = ["admin"]  # the fixture, shared
PAGE = f"/staff/agencies/{DEMO_AGENCY}"
URL = f"{PAGE}/payment-account"
ACCOUNT = {"payment_bank_bin": "970436", "payment_account": "0011 0041 23456",
           "payment_account_name": "TRUNG TAM PHUC VU HANH CHINH CONG"}


def test_it_saves_the_agencys_payment_account_and_audits_it(demo, admin):
    response = post(admin, PAGE, URL, **ACCOUNT)
    with db_of(demo) as db:
        agency = find_agency(db, DEMO_AGENCY)
        assert (agency.payment_bank_bin, agency.payment_account) == ("970436", "0011004123456")
    assert response.status_code == 302 and len(audited(demo, "agency.payment_account_saved")) == 1
    assert 'value="0011004123456"' in text_of(admin.get(PAGE))


def test_it_keeps_what_was_typed_and_names_the_fields_after_an_account_error(demo, admin):
    response = post(admin, PAGE, URL, **{**ACCOUNT, "payment_bank_bin": "9704",
                                         "payment_account": "12-34"})
    text = text_of(response)
    assert response.status_code == 422
    assert "Mã BIN ngân hàng (6 số, NAPAS)" in text
    assert "Mã BIN là 6 chữ số" in text and "Số tài khoản là 6-19 chữ số" in text
    assert 'value="9704"' in text and 'value="12-34"' in text
    with db_of(demo) as db:
        assert find_agency(db, DEMO_AGENCY).payment_bank_bin is None


def test_it_clears_the_account_when_all_is_empty(demo, admin):
    post(admin, PAGE, URL, **ACCOUNT)
    post(admin, PAGE, URL, payment_bank_bin="", payment_account="", payment_account_name="")
    with db_of(demo) as db:
        assert find_agency(db, DEMO_AGENCY).payment_account is None


def test_it_lets_only_an_admin_save_the_account(demo, client):
    from tests.web.test_pages import csrf_of, login
    login(client, "counter")
    token = csrf_of(client.get("/counter").data)
    response = client.post(URL, data={"csrf_token": token, **ACCOUNT})
    assert response.status_code in (302, 403)
    with db_of(demo) as db:
        assert find_agency(db, DEMO_AGENCY).payment_account is None


def test_it_saves_a_delivery_offices_own_account(demo, admin):
    office_page = "/staff/offices/100100"
    assert "Tài khoản nhận tiền" in text_of(admin.get(office_page))
    response = post(admin, office_page, f"{office_page}/payment-account", **ACCOUNT)
    assert response.status_code == 302 and len(audited(demo, "office.payment_account_saved")) == 1
    assert 'value="0011004123456"' in text_of(admin.get(office_page))


def test_it_keeps_what_was_typed_after_an_office_account_error(demo, admin):
    office_page = "/staff/offices/100100"
    response = post(admin, office_page, f"{office_page}/payment-account",
                    **{**ACCOUNT, "payment_account": "12-34"})
    assert response.status_code == 422 and 'value="12-34"' in text_of(response)
