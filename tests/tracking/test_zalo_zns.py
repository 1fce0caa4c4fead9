"""The Zalo ZNS adapter against its stand-in: the template call, a number without Zalo, the OA
token's refresh (each refresh token works once)."""

import pytest

from tests.stand_ins_channels import ZaloStandIn
from tracking.zalo_zns import TokenRefused, ZaloSettings, ZnsMessage, refresh_token, send_zns

PHONE = "+84912345678"


class Tokens:
    """One process's token keeper (the app's keeps it in the database: web.zalo_token_keeper)."""

    def __init__(self, settings: ZaloSettings, access: str, refresh: str) -> None:
        self.settings, self.access, self.refresh = settings, access, refresh

    def current(self) -> str:
        return self.access

    def renew(self, stale: str) -> str:
        if stale == self.access:
            token = refresh_token(self.settings, self.refresh)
            self.access, self.refresh = token.access_token, token.refresh_token
        return self.access


def settings(zalo: ZaloStandIn, **changes) -> ZaloSettings:
    values = {"app_id": "zalo-app", "secret_key": "zalo-secret", "url": zalo.url,
              "oauth_url": zalo.oauth_url, "template_ids": {"created": "301001"},
              "timeout": 0.5, **changes}
    return ZaloSettings(**values)


def message(id: str = "zns-1") -> ZnsMessage:
    return ZnsMessage(id, PHONE, "created", {"tracking_number": "RR123456789VN"})


def test_it_sends_the_approved_template_with_its_data():
    with ZaloStandIn() as zalo:
        config = settings(zalo)
        result = send_zns(config, Tokens(config, "oa-token-1", "refresh-1"), message())
    [sent] = zalo.delivered
    assert result.ok and result.provider_id == "zns-1"
    assert sent == {"phone": "84912345678", "template_id": "301001", "msg_id": "zns-1",
                    "template_data": {"tracking_number": "RR123456789VN"}, "tracking_id": "zns-1"}


def test_it_says_when_the_number_has_no_zalo():
    with ZaloStandIn(without_zalo=("84912345678",)) as zalo:
        config = settings(zalo)
        result = send_zns(config, Tokens(config, "oa-token-1", "refresh-1"), message())
    assert (result.outcome, result.provider_code) == ("no_account", "-118")


def test_it_refreshes_an_expired_token_once_and_sends():
    with ZaloStandIn(access_token="oa-token-1") as zalo:
        config = settings(zalo)
        tokens = Tokens(config, "expired", "refresh-1")
        result = send_zns(config, tokens, message())
    assert result.ok and zalo.refreshes == 1
    assert (tokens.access, tokens.refresh) == ("oa-token-2", "refresh-2")


def test_it_retries_later_when_the_refresh_is_refused():
    with ZaloStandIn() as zalo:
        config = settings(zalo)
        result = send_zns(config, Tokens(config, "expired", "used-already"), message())
    assert result.outcome == "retry" and "refused the refresh" in result.error
    assert zalo.delivered == []


def test_it_refuses_a_refresh_with_the_wrong_secret():
    with ZaloStandIn() as zalo, pytest.raises(TokenRefused):
        refresh_token(settings(zalo, secret_key="wrong"), "refresh-1")


def test_it_gives_up_on_a_kind_without_an_approved_template():
    with ZaloStandIn() as zalo:
        config = settings(zalo, template_ids={})
        result = send_zns(config, Tokens(config, "oa-token-1", "refresh-1"), message())
    assert result.outcome == "permanent" and zalo.received == []


@pytest.mark.parametrize("statuses", [[500], [502]])
def test_it_retries_after_a_server_error(statuses):
    with ZaloStandIn(statuses=statuses) as zalo:
        config = settings(zalo)
        result = send_zns(config, Tokens(config, "oa-token-1", "refresh-1"), message())
    assert (result.outcome, result.status) == ("retry", statuses[0])


def test_it_retries_after_a_timeout():
    with ZaloStandIn(delay=1.0) as zalo:
        config = settings(zalo)
        result = send_zns(config, Tokens(config, "oa-token-1", "refresh-1"), message())
    assert result.outcome == "retry" and "timed out" in result.error


def test_it_retries_later_when_an_expired_token_cannot_be_renewed():
    class Expired(Tokens):
        def current(self) -> str:
            return self.renew(self.access)

    with ZaloStandIn() as zalo:
        config = settings(zalo)
        result = send_zns(config, Expired(config, "old", "used-already"), message())
    assert result.outcome == "retry" and zalo.received == []
