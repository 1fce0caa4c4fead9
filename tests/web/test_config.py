import pytest

from web.config import DEV_SECRET_KEY, ConfigError, from_environment


def test_it_defaults_to_a_sqlite_file_in_the_instance_folder(tmp_path):
    config = from_environment(str(tmp_path), {})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path}/buudien.sqlite3"
    assert config["REDIS_URL"] is None


def test_it_refuses_the_development_secret_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(str(tmp_path), {"APP_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_it_refuses_a_missing_secret_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(str(tmp_path), {"APP_ENV": "production"})


PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "x" * 40, "SMS_GATEWAY": "http",
              "SMS_HTTP_URL": "https://sms.example/send"}


def test_it_marks_session_cookies_secure_in_production(tmp_path):
    config = from_environment(str(tmp_path), PRODUCTION)
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]


def test_it_refuses_the_console_sms_gateway_in_production(tmp_path):
    with pytest.raises(ConfigError, match="SMS gateway"):
        from_environment(str(tmp_path), {**PRODUCTION, "SMS_GATEWAY": "console"})


def test_it_takes_the_console_gateway_in_production_only_when_told(tmp_path):
    config = from_environment(str(tmp_path), {**PRODUCTION, "SMS_GATEWAY": "console",
                                              "SMS_CONSOLE_IN_PRODUCTION": "true"})
    assert config["SMS_GATEWAY"] == "console"


def test_it_asks_for_the_otp_at_every_delivery_by_default(tmp_path):
    assert from_environment(str(tmp_path), {})["DELIVERY_OTP_REQUIRED"] is True


def test_it_treats_a_malformed_boolean_as_an_error(tmp_path):
    with pytest.raises(ConfigError, match="true or false"):
        from_environment(str(tmp_path), {"SESSION_COOKIE_SECURE": "maybe"})


def test_it_treats_a_malformed_number_as_an_error(tmp_path):
    with pytest.raises(ConfigError, match="whole number"):
        from_environment(str(tmp_path), {"MAX_CONTENT_LENGTH": "big"})


def test_it_refuses_an_unknown_environment_name(tmp_path):
    with pytest.raises(ConfigError, match="APP_ENV"):
        from_environment(str(tmp_path), {"APP_ENV": "prod"})


def test_it_refuses_a_reserved_s10_service_indicator(tmp_path):
    with pytest.raises(ConfigError, match="reserved"):
        from_environment(str(tmp_path), {"S10_SERVICE_INDICATOR": "KA"})


def test_it_caps_citizens_requests_at_ten_per_item_and_day_unless_told(tmp_path):
    assert from_environment(str(tmp_path), {})["CITIZEN_REQUESTS_PER_DAY"] == 10
    assert from_environment(str(tmp_path), {"CITIZEN_REQUESTS_PER_DAY": "3"})[
        "CITIZEN_REQUESTS_PER_DAY"] == 3


@pytest.mark.parametrize("raw", ["ten", "0", "-1", "2.5"])
def test_it_refuses_a_malformed_citizen_request_cap(tmp_path, raw):
    with pytest.raises(ConfigError, match="CITIZEN_REQUESTS_PER_DAY"):
        from_environment(str(tmp_path), {"CITIZEN_REQUESTS_PER_DAY": raw})


def test_it_takes_first_ratings_for_thirty_days_after_delivery_unless_told(tmp_path):
    assert from_environment(str(tmp_path), {})["RATING_DAYS_AFTER_DELIVERY"] == 30
    assert from_environment(str(tmp_path), {"RATING_DAYS_AFTER_DELIVERY": "14"})[
        "RATING_DAYS_AFTER_DELIVERY"] == 14


@pytest.mark.parametrize("raw", ["month", "0", "366", "-3"])
def test_it_refuses_a_malformed_rating_window(tmp_path, raw):
    with pytest.raises(ConfigError, match="RATING_DAYS_AFTER_DELIVERY"):
        from_environment(str(tmp_path), {"RATING_DAYS_AFTER_DELIVERY": raw})
