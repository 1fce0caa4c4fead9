"""The admin's staff pages: list, create, change role and office or province, disable and enable,
reset a password; each change audited, each refused form back with what was typed and its fields
named as the form names them."""

import json

import pytest
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry
from delivery.models import PostOffice, User
from tests.conftest import PASSWORD
from tests.web.test_pages import csrf_of, login

NEW_PASSWORD = "first-password-789"
HANOI = 1  # GSO code of Hà Nội


@pytest.fixture
def admin(demo):
    """A test client logged in as an admin, over the demo's users and offices."""
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    client = demo.test_client()
    login(client, "admin")
    return client


def office_code(app, kind="delivery_office") -> str:
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(PostOffice).where(PostOffice.kind == kind)).first().code


def account(app, username) -> User | None:
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(User).where(User.username == username)).first()


def audited(app, action) -> list[AuditEntry]:
    with Session(app.extensions["db_engine"]) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)))


def create(client, **fields):
    form = {"username": "hoa.nt", "role": "courier", "office": "", "province": "",
            "password": NEW_PASSWORD, "password_again": NEW_PASSWORD, **fields}
    form["csrf_token"] = csrf_of(client.get("/staff/users/new").data)
    return client.post("/staff/users/new", data=form)


def post_to(client, user_id, action="", **fields):
    token = csrf_of(client.get(f"/staff/users/{user_id}").data)
    return client.post(f"/staff/users/{user_id}{action}", data={"csrf_token": token, **fields})


def test_it_lists_every_account_with_role_office_and_status(demo, admin):
    text = admin.get("/staff/users").get_data(as_text=True)
    assert all(name in text for name in ("counter", "courier", "supervisor", "admin"))
    assert "Bưu tá" in text and office_code(demo) in text and "Đang dùng" in text


def test_it_creates_a_courier_at_an_office_who_can_then_log_in(demo, admin):
    response = create(admin, office=office_code(demo))
    assert response.status_code == 302
    courier = demo.test_client()
    assert login(courier, "hoa.nt", NEW_PASSWORD).headers["Location"].endswith("/courier")


def test_it_audits_a_creation_with_who_and_what(demo, admin):
    create(admin, office=office_code(demo))
    (entry,) = audited(demo, "user.created")
    assert entry.actor_name == "admin" and entry.subject == "user:hoa.nt"
    assert json.loads(entry.detail)["role"] == "courier"


def test_it_creates_a_supervisor_of_a_whole_province(demo, admin):
    create(admin, username="giamsat.hn", role="supervisor", province=str(HANOI))
    created = account(demo, "giamsat.hn")
    assert (created.role, created.province_code, created.office_id) == ("supervisor", HANOI, None)


def test_it_keeps_what_was_typed_and_names_the_fields_after_an_error(demo, admin):
    response = create(admin, username="courier", office=office_code(demo),
                      password_again="something-else")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tên đăng nhập: tên này đã có người dùng" in text
    assert "Nhập lại mật khẩu: hai lần nhập không khớp" in text
    assert 'value="courier"' in text and f'value="{office_code(demo)}" selected' in text
    assert NEW_PASSWORD not in text  # passwords are never sent back


def test_it_refuses_a_password_shorter_than_the_minimum(demo, admin):
    response = create(admin, office=office_code(demo), password="short", password_again="short")
    assert response.status_code == 422 and account(demo, "hoa.nt") is None
    assert "Mật khẩu: ít nhất 8 ký tự" in response.get_data(as_text=True)


def test_it_refuses_a_courier_without_an_office(demo, admin):
    response = create(admin)
    assert response.status_code == 422
    assert "Bưu cục làm việc: nhân viên quầy và bưu tá cần một bưu cục" in \
        response.get_data(as_text=True)


def test_it_refuses_a_supervisor_with_both_an_office_and_a_province(demo, admin):
    response = create(admin, role="supervisor", office=office_code(demo), province=str(HANOI))
    assert response.status_code == 422 and account(demo, "hoa.nt") is None


def test_it_refuses_a_province_for_anyone_but_a_supervisor(demo, admin):
    response = create(admin, office=office_code(demo), province=str(HANOI))
    assert "Tỉnh, thành phố: chỉ dành cho giám sát viên" in \
        response.get_data(as_text=True)


@pytest.mark.parametrize("province", ["99999999999999999999", "١", "x"])
def test_it_refuses_a_province_that_is_not_on_the_list(demo, admin, province):
    response = create(admin, role="supervisor", province=province)
    assert response.status_code == 422


def test_it_refuses_an_unknown_office(demo, admin):
    response = create(admin, office="NOPE")
    assert response.status_code == 422 and "không có bưu cục mã NOPE" in \
        response.get_data(as_text=True)


def test_it_refuses_a_username_with_spaces_or_accents(demo, admin):
    response = create(admin, username="Nguyễn Hòa", office=office_code(demo))
    assert response.status_code == 422 and account(demo, "Nguyễn Hòa") is None


def test_it_moves_a_user_to_another_role_and_office_and_audits_it(demo, admin):
    counter = account(demo, "counter")
    target = office_code(demo, "hub")
    response = post_to(admin, counter.id, role="supervisor", office=target)
    moved = account(demo, "counter")
    assert response.status_code == 302 and moved.role == "supervisor"
    (entry,) = audited(demo, "user.updated")
    assert json.loads(entry.detail)["role"] == ["counter", "supervisor"]
    assert json.loads(entry.detail)["office"][1] == target


def test_it_moves_a_supervisor_from_an_office_to_a_province(demo, admin):
    supervisor = account(demo, "supervisor")
    post_to(admin, supervisor.id, role="supervisor", office="", province=str(HANOI))
    moved = account(demo, "supervisor")
    assert (moved.office_id, moved.province_code) == (None, HANOI)


def test_it_keeps_the_chosen_values_when_a_change_is_refused(demo, admin):
    courier = account(demo, "courier")
    response = post_to(admin, courier.id, role="counter", office="", province="")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and account(demo, "courier").role == "courier"
    assert '<option value="counter" selected>' in text and "Chưa lưu:" in text


def test_it_disables_an_account_so_it_can_no_longer_log_in(demo, admin):
    post_to(admin, account(demo, "counter").id, "/disable")
    assert not account(demo, "counter").active
    assert login(demo.test_client(), "counter").status_code == 200  # the form again
    assert len(audited(demo, "user.disabled")) == 1


def test_it_enables_a_disabled_account_again(demo, admin):
    user_id = account(demo, "counter").id
    post_to(admin, user_id, "/disable")
    post_to(admin, user_id, "/enable")
    assert account(demo, "counter").active and len(audited(demo, "user.enabled")) == 1
    assert login(demo.test_client(), "counter").status_code == 302


def test_it_will_not_disable_the_last_admin(demo, admin):
    response = post_to(admin, account(demo, "admin").id, "/disable")
    assert response.status_code == 302 and account(demo, "admin").active
    followed = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "phải còn ít nhất một quản trị viên" in followed


def test_it_will_not_take_the_admin_role_from_the_last_admin(demo, admin):
    response = post_to(admin, account(demo, "admin").id, role="counter",
                       office=office_code(demo, "counter"))
    assert response.status_code == 422 and account(demo, "admin").role == "admin"
    assert "Vai trò: phải còn ít nhất một quản trị viên" in response.get_data(as_text=True)


def test_it_resets_a_password_so_only_the_new_one_works(demo, admin):
    response = post_to(admin, account(demo, "courier").id, "/password",
                       password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert response.status_code == 302 and len(audited(demo, "user.password_reset")) == 1
    assert login(demo.test_client(), "courier").status_code == 200
    assert login(demo.test_client(), "courier", NEW_PASSWORD).status_code == 302


def test_it_refuses_a_reset_typed_differently_twice(demo, admin):
    response = post_to(admin, account(demo, "courier").id, "/password",
                       password=NEW_PASSWORD, password_again=NEW_PASSWORD + "x")
    assert response.status_code == 422
    assert "Chưa đặt lại:" in response.get_data(as_text=True)


def test_it_keeps_the_admin_logged_in_after_resetting_their_own_password(demo, admin):
    post_to(admin, account(demo, "admin").id, "/password",
            password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert admin.get("/staff/users").status_code == 200


def test_it_answers_404_for_an_unknown_account(demo, admin):
    assert admin.get("/staff/users/999").status_code == 404


def test_it_links_the_staff_pages_from_an_admins_header_only(demo, admin, client):
    assert 'href="/staff/users"' in admin.get("/counter").get_data(as_text=True)
    login(client, "supervisor")
    assert 'href="/staff/users"' not in client.get("/counter").get_data(as_text=True)
