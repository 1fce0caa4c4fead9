"""Login throttling: per account and per client address, kept in the database (so every process
agrees), with a lock that doubles, a message in Vietnamese and English, and every attempt in the
audit log."""

from datetime import timedelta

from sqlmodel import Session, select

from delivery.audit import AuditEntry
from delivery.login_throttle import (
    LoginThrottle,
    ThrottlePolicy,
    account_key,
    forget_stale,
    note_failure,
    seconds_locked,
)
from delivery.models import utcnow
from tests.conftest import PASSWORD, make_app
from tests.web.test_pages import csrf_of, login


def fail_times(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        token = csrf_of(client.get("/login").data)
        response = client.post("/login", data={"username": username, "password": "wrong-password",
                                               "csrf_token": token},
                               environ_base={"REMOTE_ADDR": address})
    return response


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(demo, client):
    fail_times(client, "courier", 5)
    response = login(client, "courier")
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert "Đăng nhập sai quá nhiều lần, thử lại sau" in text


def test_it_lets_the_account_in_again_after_the_lock(demo, client):
    fail_times(client, "courier", 5)
    with Session(demo.extensions["db_engine"]) as db:
        row = db.get(LoginThrottle, account_key("courier"))
        row.locked_until = utcnow() - timedelta(seconds=1)
        db.add(row)
        db.commit()
    assert login(client, "courier").status_code == 302


def test_it_does_not_lock_other_accounts_when_one_is_guessed_at(demo, client):
    fail_times(client, "courier", 5, address="10.0.0.9")
    assert login(client, "counter").status_code == 302


def test_it_locks_a_client_address_that_tries_many_accounts(demo, client):
    for n in range(20):
        fail_times(client, f"nobody{n}", 1, address="10.0.0.2")
    token = csrf_of(client.get("/login").data)
    response = client.post("/login",
                           data={"username": "counter", "password": PASSWORD, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.status_code == 429


def test_it_shares_the_lock_between_processes(demo, database_url, client):
    fail_times(client, "courier", 5)
    other_process = make_app(database_url)
    try:
        assert login(other_process.test_client(), "courier").status_code == 429
    finally:
        other_process.extensions["db_engine"].dispose()


def test_it_doubles_the_lock_with_each_further_failure(session):
    policy, now = ThrottlePolicy(limit=2, base_lock=timedelta(minutes=1)), utcnow()
    locks = [note_failure(session, "account:x", policy, now).locked_until for _ in range(4)]
    assert [lock and lock - now for lock in locks] == [None, timedelta(minutes=1),
                                                       timedelta(minutes=2), timedelta(minutes=4)]
    assert 235 <= seconds_locked(session, ["account:x", "address:y"], now) <= 241


def test_it_audits_failed_successful_and_locked_logins(demo, client):
    fail_times(client, "courier", 5)
    login(client, "courier")
    login(client, "counter")
    with Session(demo.extensions["db_engine"]) as db:
        rows = db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["login.failure"] * 5 + ["login.locked", "login.success"]
    assert rows[0].actor_name == "courier" and rows[0].client_address == "10.0.0.1"
    assert rows[-1].actor.startswith("user:") and rows[-1].client_address == "127.0.0.1"


def test_it_forgets_counters_whose_failures_and_lock_are_long_past(session):
    policy, now = ThrottlePolicy(limit=1), utcnow()
    note_failure(session, "address:old", policy, now - timedelta(hours=2))
    note_failure(session, "address:new", policy, now)
    assert forget_stale(session, now) == 1
    assert [row.key for row in session.exec(select(LoginThrottle))] == ["address:new"]
