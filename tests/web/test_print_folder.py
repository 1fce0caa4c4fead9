"""PRINT_FOLDER: the worker, a process of its own, writes a print job's PDF where the web process
serves it from."""

import os
import subprocess
import sys

from tests.conftest import API_KEY, _empty_business_tables, make_app
from tests.labels.pdf_reading import page_count
from tests.payloads import intake_body
from web.config import from_environment

HEADERS = {"Authorization": f"Bearer {API_KEY}"}


def test_it_reads_the_print_folder_from_the_environment(tmp_path):
    config = from_environment(str(tmp_path), {"PRINT_FOLDER": "/srv/buudien/prints"})
    assert config["PRINT_FOLDER"] == "/srv/buudien/prints"


def test_it_keeps_prints_in_the_instance_folder_by_default(tmp_path):
    assert from_environment(str(tmp_path), {})["PRINT_FOLDER"] == f"{tmp_path}/prints"


def test_it_serves_the_pdf_a_worker_process_wrote_in_the_shared_print_folder(
    database_url, redis_server_url, redis, monkeypatch, tmp_path
):
    from web.db import get_session
    from web.demo import seed_demo

    folder = tmp_path / "shared"
    monkeypatch.setenv("PRINT_FOLDER", str(folder))
    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    web = make_app(database_url, REDIS_URL=redis_server_url)
    _empty_business_tables(web)
    with web.app_context():
        seed_demo(get_session())
    client = web.test_client()
    numbers = [client.post("/api/v1/consignments", json=intake_body(i),
                           headers=HEADERS).get_json()["tracking_number"] for i in (1, 2)]
    job = client.post("/api/v1/labels/batch", json={"tracking_numbers": numbers,
                                                    "background": True}, headers=HEADERS).get_json()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server_url}
    worker = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "worker", "--burst"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr
    response = client.get(f"/api/v1/print-jobs/{job['id']}/labels.pdf", headers=HEADERS)
    pdf = response.data
    response.close()
    assert page_count(pdf) == 2 and (folder / f"{job['id']}.pdf").read_bytes() == pdf
    web.extensions["db_engine"].dispose()
    web.extensions["redis"].close()
