"""The acceptance path of the foundation, driven like a script outside the project would: a real
server started by the README's `demo` command, plain HTTP, the demo API key."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

KEY = "bk_outside-script-key"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PUBLIC_BASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}",
               DEMO_API_KEY=KEY, DEMO_PASSWORD="outside-password")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "web", "demo", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []  # what the demo prints, as it prints it (its console SMS log included)
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),
                              daemon=True)
    reader.start()
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("".join(lines))
            time.sleep(0.1)
    yield base, lines
    process.terminate()
    process.wait(timeout=10)
    reader.join(10)
    process.stdout.close()
    output = "".join(lines)
    assert "Logins" in output and KEY in output  # it printed the logins and the API key


def texted_otp(lines: list[str]) -> str:
    """The OTP of the newest SMS the demo printed: how a demo user reads it."""
    for _ in range(100):
        if codes := re.findall(r"OTP nhận: (\d{6})", "".join(lines)):
            return codes[-1]
        time.sleep(0.1)
    raise AssertionError("the demo printed no OTP")


def test_it_runs_the_contract_path_from_intake_to_public_tracking(server):
    server, printed = server
    body = {"dossier_code": "000.00.01.H26-250609-0001",
            "procedure": "Cấp giấy phép xây dựng",
            "recipient": {"name": "Nguyễn Văn An", "phone": "0912345678",
                          "national_id": "001085012345"},
            "address": ("Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, "
                        "Quận Hoàn Kiếm, Hà Nội"),
            "payment": {"payer": "recipient", "amount_vnd": 22000}, "note": "..."}
    status, _, raw = call(server, "POST", "/api/v1/consignments", body)
    consignment = json.loads(raw)
    assert status == 201 and consignment["tracking_url"].startswith(server + "/t/")
    number = consignment["tracking_number"]

    status, content_type, svg = call(server, "GET", f"/api/v1/consignments/{number}/label.svg")
    assert (status, content_type) == (200, "image/svg+xml") and b"<svg" in svg

    for event in ["accepted", "arrived_hub", "departed_hub", "arrived_delivery_office",
                  "out_for_delivery", "delivered"]:
        scan = {"event_id": str(uuid.uuid4()), "tracking_number": number, "event": event,
                "occurred_at": "2026-11-28T09:15:00+07:00",
                "proof": {"received_by": "Nguyễn Văn An", "relation": "self",
                          "id_last4": "2345"}}
        if event == "delivered":  # the OTP texted when it went out, shown in the demo's log
            scan["proof"]["otp"] = texted_otp(printed)
        status, _, raw = call(server, "POST", "/api/v1/scans", scan)
        assert status == 201, raw

    token = consignment["tracking_url"].rsplit("/", 1)[1]
    status, _, raw = call(server, "GET", f"/api/v1/track/{token}")
    tracking = json.loads(raw)
    assert (status == 200 and tracking["status"] == "delivered"
            and tracking["recipient"] == "N*** V** A")
    assert (len(tracking["events"]) == 6 and b"0912345678" not in raw
            and "Lý Thái Tổ".encode() not in raw)
