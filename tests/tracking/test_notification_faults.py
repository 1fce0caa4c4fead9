"""Faults the outbox must survive: Redis down while scans come in, a worker killed in the middle of
a batch."""

import os
import signal
import subprocess
import sys
import time

from tests.conftest import run_jobs
from tests.payloads import intake_body, scan_body
from tests.stand_ins import Receiver, SmsGateway
from tests.tracking.notified import HEADERS, SECRET, outbox_states, seed, wire

EVENTS = ("accepted", "arrived_hub", "departed_hub", "arrived_delivery_office", "out_for_delivery")


def create_items(client, count):
    return [client.post("/api/v1/consignments", json=intake_body(n),
                        headers=HEADERS).get_json()["tracking_number"]
            for n in range(1, count + 1)]


def test_it_loses_nothing_while_redis_is_down_and_sends_each_once_after(
    demo, private_redis, monkeypatch
):
    demo.config["REDIS_URL"] = f"redis://127.0.0.1:{private_redis.port}/0"
    client = demo.test_client()
    with Receiver(SECRET) as receiver, SmsGateway() as gateway:
        wire(demo, receiver, gateway)
        private_redis.stop()
        numbers = create_items(client, 20)
        codes = [client.post("/api/v1/scans", json=scan_body(n, e), headers=HEADERS).status_code
                 for n in numbers for e in EVENTS]
        assert codes == [201] * 100 and outbox_states(demo) == {"pending": 140}
        private_redis.start()
        with demo.app_context():
            from web.tasks import sweep_outbox

            assert sweep_outbox() == 140
        run_jobs(demo)
    demo.extensions["redis"].close()
    assert len(receiver.received) == len({r["body"]["id"] for r in receiver.received}) == 100
    assert len(gateway.received) == len({m["id"] for m in gateway.received}) == 40
    assert outbox_states(demo) == {"sent": 140}


def start_worker(env):
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "web", "worker", "--burst"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_it_loses_and_duplicates_nothing_when_a_worker_is_killed_mid_batch(
    queued_app, database_url, redis_server_url, monkeypatch
):
    seed(queued_app, monkeypatch)
    client = queued_app.test_client()
    with Receiver(SECRET, delay=0.2) as receiver, SmsGateway(delay=0.2) as gateway:
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server_url,
               **wire(queued_app, receiver, gateway)}
        for number in create_items(client, 8):
            client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=HEADERS)
        # The requests handed their rows to the pusher thread; a burst worker that starts before the
        # thread has enqueued them finds nothing to do and exits (seen on a loaded machine): enqueue
        # them first.
        queued_app.extensions["outbox_pusher"].flush()
        worker = start_worker(env)
        while len(receiver.received) + len(gateway.received) < 4 and worker.poll() is None:
            time.sleep(0.05)
        assert worker.poll() is None, f"the worker ended before the kill: {worker.stderr.read()}"
        # the worker and the work horse in the middle of its job
        os.killpg(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=10)
        assert outbox_states(queued_app).get("sent", 0) < 16  # killed with work left
        # its sweep hands back the stuck row
        second = start_worker({**env, "OUTBOX_STUCK_AFTER_SECONDS": "0"})
        assert second.wait(120) == 0, second.stderr.read()
        second.stderr.close()
    assert outbox_states(queued_app) == {"sent": 16}
    assert len(receiver.applied()) == 8 and len(gateway.sent()) == 8
    resent = len(receiver.received) + len(gateway.received) - 16
    print(f"messages sent again after the kill: {resent}")
    # only the message in flight at the kill may go out again, with the same id (deduped)
    assert resent <= 1
