"""The message channels' settings: strict, a bad value stops the app."""

import pytest

from web.config import ConfigError, from_environment

ESMS = {"SMS_GATEWAY": "esms", "ESMS_API_KEY": "k", "ESMS_SECRET_KEY": "s",
        "ESMS_BRANDNAME": "BUUDIEN"}
ZALO = {"NOTIFY_CHANNELS": "zns,sms", "ZALO_APP_ID": "1", "ZALO_SECRET_KEY": "s",
        "ZALO_REFRESH_TOKEN": "r", "ZALO_TEMPLATE_IDS": "created=301001,delivered=301005"}


def test_it_reads_the_esms_and_zalo_settings(tmp_path):
    config = from_environment(str(tmp_path), {**ESMS, **ZALO, "ESMS_CALLBACK_SECRET": "cb",
                                              "SMS_TARIFF_VND": "750", "ZNS_TARIFF_VND": "300",
                                              "PUBLIC_BASE_URL": "https://buudien.example/"})
    assert config["SMS_ESMS"].brandname == "BUUDIEN"
    assert config["SMS_ESMS"].callback_url == "https://buudien.example/hooks/esms"
    assert config["ZALO"].template_ids == {"created": "301001", "delivered": "301005"}
    assert (config["NOTIFY_CHANNELS"], config["SMS_TARIFF_VND"], config["ZNS_TARIFF_VND"]) == (
        ("zns", "sms"), 750, 300)


def test_it_sends_zns_through_esms_when_asked(tmp_path):
    config = from_environment(str(tmp_path), {
        "NOTIFY_CHANNELS": "zns,sms", "ZNS_PROVIDER": "esms", "ESMS_API_KEY": "k",
        "ESMS_SECRET_KEY": "s", "ESMS_ZALO_OAID": "1397492183140006179",
        "ZALO_TEMPLATE_IDS": "created=2056446", "ESMS_CALLBACK_SECRET": "cb",
        "PUBLIC_BASE_URL": "https://buudien.example"})
    zns = config["ZNS_ESMS"]
    assert config["ZALO"] is None and zns.oa_id == "1397492183140006179"
    assert zns.template_ids == {"created": "2056446"}
    assert zns.esms.callback_url == "https://buudien.example/hooks/esms"
    assert config["SMS_ESMS"] is None  # SMS may still go through another gateway


def test_it_accepts_esms_as_production_gateway(tmp_path):
    config = from_environment(str(tmp_path), {**ESMS, "APP_ENV": "production",
                                              "SECRET_KEY": "x" * 40})
    assert config["SMS_GATEWAY"] == "esms"


@pytest.mark.parametrize("tariff", ["350.5", "1,000", "350đ", "-5", "abc", "99999999"])
def test_it_refuses_a_tariff_that_is_not_whole_dong(tmp_path, tariff):
    with pytest.raises(ConfigError, match="SMS_TARIFF_VND must be a whole number of đồng"):
        from_environment(str(tmp_path), {"SMS_TARIFF_VND": tariff})


@pytest.mark.parametrize("env, message", [
    ({"SMS_GATEWAY": "esms"}, "ESMS_API_KEY, ESMS_SECRET_KEY, ESMS_BRANDNAME"),
    ({"SMS_GATEWAY": "viettel", "VIETTEL_URL": "https://vt.example/bulkapi"},
     "VIETTEL_USER, VIETTEL_PASSWORD, VIETTEL_CP_CODE, VIETTEL_BRANDNAME"),
    ({**ESMS, "ESMS_SANDBOX": "maybe"}, "ESMS_SANDBOX"),
    ({"NOTIFY_CHANNELS": "zns"}, "ZALO_APP_ID"),
    ({"NOTIFY_CHANNELS": "pigeon,sms"}, "NOTIFY_CHANNELS"),
    ({"NOTIFY_CHANNELS": "sms,sms"}, "NOTIFY_CHANNELS"),
    ({**ZALO, "ZALO_TEMPLATE_IDS": "birthday=1"}, "ZALO_TEMPLATE_IDS"),
    ({**ZALO, "ZALO_TEMPLATE_IDS": "created=abc"}, "ZALO_TEMPLATE_IDS"),
    ({**ESMS, "PROVIDER_TIMEOUT_SECONDS": "0"}, "PROVIDER_TIMEOUT_SECONDS"),
    ({"NOTIFY_CHANNELS": "zns,sms", "ZNS_PROVIDER": "esms"},
     "ZNS_PROVIDER=esms needs ESMS_ZALO_OAID, ZALO_TEMPLATE_IDS"),
    ({"NOTIFY_CHANNELS": "zns,sms", "ZNS_PROVIDER": "esms", "ESMS_ZALO_OAID": "1",
      "ZALO_TEMPLATE_IDS": "created=1"}, "ZNS_PROVIDER=esms needs ESMS_API_KEY, ESMS_SECRET_KEY"),
    ({**ZALO, "ZNS_PROVIDER": "carrier-pigeon"}, "ZNS_PROVIDER must be one of zalo, esms"),
])
def test_it_refuses_incomplete_or_malformed_channel_settings(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        from_environment(str(tmp_path), env)
