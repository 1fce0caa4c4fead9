"""API keys: stored hashed, revocable from the command line (a revoked key gets 401 once the few
seconds a web process trusts a verified key have passed, at once with API_KEY_TRUST_SECONDS=0), last
use kept; creating users and clients and revoking clients is audited."""

import pytest
from sqlmodel import Session, select

from delivery.accounts import hash_api_key
from delivery.audit import AuditEntry
from delivery.models import ApiClient
from tests.conftest import API_KEY


def audit_actions(app):
    with Session(app.extensions["db_engine"]) as db:
        return [(r.action, r.actor, r.subject)
                for r in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_it_stores_only_the_hash_of_a_key(demo):
    with Session(demo.extensions["db_engine"]) as db:
        client = db.exec(select(ApiClient).where(ApiClient.name == "demo-upstream")).one()
    assert client.key_hash == hash_api_key(API_KEY) and API_KEY not in client.key_hash


def test_it_refuses_a_revoked_key_with_401(demo, client, api_headers):
    demo.config["API_KEY_TRUST_SECONDS"] = 0
    assert client.get("/api/v1/consignments/RR000000000VN", headers=api_headers).status_code == 404
    result = demo.test_cli_runner().invoke(args=["revoke-api-client", "demo-upstream"])
    assert result.exit_code == 0 and "revoked" in result.output
    response = client.get("/api/v1/consignments/RR000000000VN", headers=api_headers)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_it_refuses_a_revoked_key_once_the_trust_window_has_passed(
    demo, client, api_headers, monkeypatch
):
    from web import trusted_keys

    url = "/api/v1/consignments/RR000000000VN"
    assert client.get(url, headers=api_headers).status_code == 404
    demo.test_cli_runner().invoke(args=["revoke-api-client", "demo-upstream"])
    assert client.get(url, headers=api_headers).status_code == 404  # still trusted by this process
    later = trusted_keys.time.monotonic() + demo.config["API_KEY_TRUST_SECONDS"] + 0.1
    monkeypatch.setattr(trusted_keys.time, "monotonic", lambda: later)
    assert client.get(url, headers=api_headers).status_code == 401


def test_it_never_trusts_a_wrong_key(demo, client, api_headers):
    client.get("/api/v1/consignments/RR000000000VN", headers=api_headers)
    wrong = {"Authorization": api_headers["Authorization"] + "x"}
    assert [client.get("/api/v1/consignments/RR000000000VN", headers=wrong).status_code
            for _ in range(2)] == [401, 401]


@pytest.mark.parametrize("seconds", ["-1", "61", "ten"])
def test_it_refuses_an_unusable_trust_window(seconds):
    from web.config import ConfigError, from_environment

    with pytest.raises(ConfigError, match="API_KEY_TRUST_SECONDS"):
        from_environment("/tmp", {"API_KEY_TRUST_SECONDS": seconds})


def test_it_says_so_when_revoking_an_unknown_client(demo):
    result = demo.test_cli_runner().invoke(args=["revoke-api-client", "nobody"])
    assert result.exit_code == 1 and "nobody" in result.output


def test_it_audits_the_revocation(demo):
    demo.test_cli_runner().invoke(args=["revoke-api-client", "demo-upstream"])
    assert audit_actions(demo) == [("api_client.revoked", "cli", "api_client:demo-upstream")]


def test_it_audits_creating_users_and_api_clients(app, agency):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-user", "lan", "--role", "counter", "--password-stdin"],
                  input="mật-khẩu-dài\n")
    runner.invoke(args=["create-api-client", "motcua", "--scopes", "intake read",
                        "--agency", agency.code])
    assert audit_actions(app) == [("user.created", "cli", "user:lan"), ("api_client.created", "cli",
                                                                         "api_client:motcua")]


def test_it_keeps_the_time_a_key_was_last_used(demo, client, api_headers):
    client.get("/api/v1/consignments/RR000000000VN", headers=api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        client = db.exec(select(ApiClient).where(ApiClient.name == "demo-upstream")).one()
        assert client.last_used_at is not None
