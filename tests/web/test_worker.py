"""`flask --app web worker` as production runs it: a separate process, forking a work horse per
job."""

import os
import subprocess
import sys

from tests.payloads import intake_body, scan_body
from tests.stand_ins import Receiver
from tests.tracking.test_webhooks import SECRET, point_webhook_at


def test_it_runs_queued_webhooks_in_the_worker_command(
    queued_app, database_url, redis_server_url, monkeypatch
):
    from tests.conftest import API_KEY
    from web.db import get_session
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    with queued_app.app_context():
        seed_demo(get_session())
    headers = {"Authorization": f"Bearer {API_KEY}"}
    client = queued_app.test_client()
    with Receiver(SECRET) as receiver:
        point_webhook_at(queued_app, receiver.url)
        number = client.post("/api/v1/consignments", json=intake_body(),
                             headers=headers).get_json()["tracking_number"]
        client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=headers)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server_url}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "worker",
                                 "--burst"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [b["data"]["tracking_number"] for b in receiver.accepted()] == [number]
