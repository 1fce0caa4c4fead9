from sqlmodel import select

from delivery.accounts import authenticate_api_key, authenticate_user
from delivery.models import ApiClient, Province, User, Ward


def test_it_sets_up_idempotently_with_the_reference_data(app, session):
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0 and "34 provinces, 3321 wards" in result.output
    assert len(session.exec(select(Province)).all()) == 34
    assert len(session.exec(select(Ward)).all()) == 3321


def test_it_seeds_the_demo_twice_without_duplicates(app, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "already exists" in second.output
    assert (len(session.exec(select(User)).all()) == 5
            and len(session.exec(select(ApiClient)).all()) == 2)


def test_it_seeds_with_the_key_and_password_from_the_environment(app, session, monkeypatch):
    monkeypatch.setenv("DEMO_API_KEY", "bk_chosen-by-the-acceptance-script")
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-password")
    app.test_cli_runner().invoke(args=["seed-demo"])
    client = authenticate_api_key(session, "bk_chosen-by-the-acceptance-script")
    assert client is not None and client.scopes == "intake scan read"
    assert {u.username for u in session.exec(select(User)).all()} == {
        "counter", "courier", "supervisor", "counter2", "courier2"}
    assert authenticate_user(session, "courier", "chosen-password") is not None


def test_it_refuses_to_seed_production_with_the_public_demo_password(app, session, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    app.config["APP_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "DEMO_PASSWORD" in result.output
    assert session.exec(select(User)).all() == []


def test_it_seeds_production_when_a_password_is_chosen(app, session, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-password")
    app.config["APP_ENV"] = "production"
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert authenticate_user(session, "courier", "chosen-password") is not None


def test_it_creates_a_user_with_the_password_from_stdin(app, session):
    result = app.test_cli_runner().invoke(args=["create-user", "lan", "--role", "counter",
                                                "--password-stdin"],
                                          input="mật-khẩu-dài\n")
    assert result.exit_code == 0
    user = authenticate_user(session, "lan", "mật-khẩu-dài")
    assert user.role == "counter" and user.password_hash != "mật-khẩu-dài"


def test_it_refuses_an_unknown_office_for_a_user(app):
    result = app.test_cli_runner().invoke(args=["create-user", "lan", "--role", "courier",
                                                "--office", "999", "--password-stdin"],
                                          input="long-enough\n")
    assert result.exit_code == 1 and "999" in result.output


def test_it_prints_an_api_key_once_and_stores_only_its_hash(app, session, agency):
    result = app.test_cli_runner().invoke(args=["create-api-client", "one-stop",
                                                "--scopes", "read intake",
                                                "--agency", agency.code])
    key = result.output.strip().splitlines()[-1]
    stored = session.exec(select(ApiClient)).one()
    assert result.exit_code == 0 and stored.scopes == "intake read"
    assert key not in stored.key_hash and authenticate_api_key(session, key).name == "one-stop"


def test_it_refuses_unknown_scopes(app):
    result = app.test_cli_runner().invoke(args=["create-api-client", "x", "--scopes", "everything",
                                                "--postal"])
    assert result.exit_code == 1


def test_it_will_not_start_a_worker_without_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output
