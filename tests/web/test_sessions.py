"""Login sessions end when they should: on logout, on a password change or reset, on disabling (a
copy of the cookie taken before included), and a courier's after a working day; a user changes
their own password from the staff header's page."""

import pytest
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry
from delivery.models import User
from tests.conftest import PASSWORD
from tests.web.test_pages import csrf_of, login
from web.config import ConfigError, from_environment

NEW_PASSWORD = "a-new-password-456"
SESSION_COOKIE = "session"


def saved_cookie(client) -> str:
    return client.get_cookie(SESSION_COOKIE).value


def replayed(app, cookie: str):
    """A fresh browser presenting a cookie copied from another."""
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, cookie)
    return thief


def logged_in(client, path="/counter") -> bool:
    return client.get(path).status_code == 200


def backdate_login(client, hours: float) -> None:
    with client.session_transaction() as session:
        session["since"] -= int(hours * 3600)


def user(app, username) -> User:
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(User).where(User.username == username)).one()


def audit_actions(app) -> list[str]:
    with Session(app.extensions["db_engine"]) as db:
        return [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, again=NEW_PASSWORD):
    token = csrf_of(client.get("/staff/password").data)
    return client.post("/staff/password", data={"current_password": current, "password": new,
                                                "password_again": again, "csrf_token": token})


def admin_client(app):
    with Session(app.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    admin = app.test_client()
    login(admin, "admin")
    return admin


def test_it_refuses_a_cookie_saved_before_logout(demo, client):
    login(client, "counter")
    cookie = saved_cookie(client)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    assert not logged_in(replayed(demo, cookie))


def test_it_logs_out_the_users_other_devices_too(demo, client):
    login(client, "counter")
    other = demo.test_client()
    login(other, "counter")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    assert not logged_in(other)


def test_it_lets_the_same_user_log_in_again_after_logout(demo, client):
    login(client, "counter")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    login(client, "counter")
    assert logged_in(client)


def test_it_ends_other_sessions_on_a_password_change_and_keeps_this_one(demo, client):
    login(client, "counter")
    cookie = saved_cookie(client)
    response = change_password(client)
    assert response.status_code == 302
    assert logged_in(client) and not logged_in(replayed(demo, cookie))


def test_it_logs_in_with_the_new_password_after_a_change(demo, client):
    login(client, "courier")
    change_password(client)
    again = demo.test_client()
    assert login(again, "courier", PASSWORD).status_code == 200  # the form again: refused
    assert login(again, "courier", NEW_PASSWORD).headers["Location"].endswith("/courier")


def test_it_refuses_a_cookie_once_an_admin_resets_the_password(demo, client):
    login(client, "courier")
    admin = admin_client(demo)
    page = admin.get(f"/staff/users/{user(demo, 'courier').id}")
    admin.post(f"/staff/users/{user(demo, 'courier').id}/password",
               data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
                     "csrf_token": csrf_of(page.data)})
    assert not logged_in(client, "/courier")


def test_it_refuses_a_cookie_of_a_disabled_account_even_once_enabled_again(demo, client):
    login(client, "counter")
    cookie = saved_cookie(client)
    admin = admin_client(demo)
    user_id = user(demo, "counter").id
    token = csrf_of(admin.get(f"/staff/users/{user_id}").data)
    admin.post(f"/staff/users/{user_id}/disable", data={"csrf_token": token})
    assert not logged_in(client)
    admin.post(f"/staff/users/{user_id}/enable", data={"csrf_token": token})
    assert not logged_in(replayed(demo, cookie))


def test_it_ends_a_couriers_session_after_a_working_day(demo, client):
    login(client, "courier")
    backdate_login(client, 12.1)
    response = client.get("/courier")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_it_keeps_a_couriers_session_through_the_working_day(demo, client):
    login(client, "courier")
    backdate_login(client, 11.5)
    assert logged_in(client, "/courier")


def test_it_keeps_a_counter_session_past_a_working_day(demo, client):
    login(client, "counter")
    backdate_login(client, 13)
    assert logged_in(client)


def test_it_ends_any_session_after_the_configured_lifetime(demo, client):
    login(client, "counter")
    backdate_login(client, 31 * 24 + 1)
    assert not logged_in(client)


@pytest.mark.parametrize("hours", ["0", "25", "twelve"])
def test_it_refuses_a_courier_session_length_outside_a_day(tmp_path, hours):
    with pytest.raises(ConfigError, match="COURIER_SESSION_HOURS"):
        from_environment(str(tmp_path), {"COURIER_SESSION_HOURS": hours})


def test_it_refuses_a_cookie_from_before_session_generations(demo, client):
    with client.session_transaction() as session:
        session["user_id"] = user(demo, "counter").id
    assert not logged_in(client)


def test_it_refuses_a_password_change_with_a_wrong_current_password(demo, client):
    login(client, "counter")
    response = change_password(client, current="not-my-password")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mật khẩu hiện tại: không đúng" in text
    assert login(demo.test_client(), "counter").status_code == 302  # unchanged


def test_it_names_every_wrong_field_of_a_password_change(demo, client):
    login(client, "counter")
    text = change_password(client, current="wrong", new="short", again="other").get_data(
        as_text=True)
    assert "Mật khẩu hiện tại: không đúng" in text
    assert "Mật khẩu mới: ít nhất 8 ký tự" in text


def test_it_refuses_two_different_new_passwords(demo, client):
    login(client, "counter")
    response = change_password(client, again="a-new-password-457")
    assert response.status_code == 422
    assert "Nhập lại mật khẩu mới: hai lần nhập không khớp" in \
        response.get_data(as_text=True)


def test_it_locks_password_guessing_from_a_logged_in_session(demo, client):
    login(client, "counter")
    for _ in range(demo.config["LOGIN_MAX_FAILURES"]):
        change_password(client, current="guess")
    response = change_password(client)  # even the right one now waits
    assert response.status_code == 429 and "thử lại sau" in response.get_data(as_text=True)


def test_it_audits_a_password_change_and_a_logout(demo, client):
    login(client, "counter")
    change_password(client)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/counter").data)})
    assert audit_actions(demo)[-2:] == ["user.password_changed", "logout"]


def test_it_links_the_password_page_from_the_staff_header(demo, client):
    login(client, "courier")
    assert 'href="/staff/password"' in client.get("/courier").get_data(as_text=True)



def test_it_refuses_a_session_lifetime_under_an_hour(tmp_path):
    with pytest.raises(ConfigError, match="SESSION_LIFETIME_HOURS"):
        from_environment(str(tmp_path), {"SESSION_LIFETIME_HOURS": "0"})
