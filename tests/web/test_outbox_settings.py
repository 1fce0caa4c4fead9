import pytest
from rq.registry import ScheduledJobRegistry

from web.config import ConfigError, from_environment


def test_it_defaults_to_the_console_gateway_with_quiet_hours(tmp_path):
    config = from_environment(str(tmp_path), {})
    assert (config["SMS_GATEWAY"], config["SMS_QUIET_HOURS"], config["SMS_ASCII_ONLY"]) == (
        "console", (21, 7), False)


@pytest.mark.parametrize("env, message", [
    ({"SMS_GATEWAY": "carrier-pigeon"}, "SMS_GATEWAY"),
    ({"SMS_GATEWAY": "http"}, "SMS_HTTP_URL"),
    ({"SMS_QUIET_HOURS": "9pm-7am"}, "SMS_QUIET_HOURS"),
    ({"SMS_QUIET_HOURS": "21-25"}, "SMS_QUIET_HOURS"),
    ({"SMS_ASCII_ONLY": "sometimes"}, "true or false"),
    ({"TRACKING_PUBLIC_DAYS_AFTER_FINAL": "a month"}, "whole number"),
])
def test_it_refuses_malformed_sms_settings(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        from_environment(str(tmp_path), env)


def test_it_leaves_no_schedule_of_its_own_in_redis_after_a_sweep(queued_app, redis):
    """Periodic jobs are data (web.worker): a run scheduling the next would vanish with Redis."""
    from web.jobs import queue
    from web.tasks import periodic_sweep

    with queued_app.app_context():
        assert periodic_sweep() == 0
        assert ScheduledJobRegistry(queue=queue("notifications")).get_job_ids() == []
