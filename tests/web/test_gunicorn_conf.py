"""The web process's gunicorn settings (web/gunicorn_conf.py)."""

import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path

import pytest

from tests.conftest import _free_port
from web import gunicorn_conf

WORKERS = 2


def answer_pid(_environ, start_response):  # noqa: ANN001, ANN201 (a WSGI app for gunicorn to serve)
    """Which worker process answered."""
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def listening_sockets(pid: int, port: int) -> set[str]:
    """The inodes of the sockets listening on ``port`` that process ``pid`` holds (Linux /proc)."""
    listening = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
            listening.add(fields[9])
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held.add(os.readlink(fd).removeprefix("socket:[").removesuffix("]"))
        except OSError:  # closed meanwhile
            continue
    return listening & held


def listening(workers: list[int], port: int) -> bool:
    return len(workers) == WORKERS and all(listening_sockets(pid, port) for pid in workers)


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


@pytest.fixture(scope="module")
def serving(repo_root: Path) -> Iterator[tuple[int, list[int]]]:
    """gunicorn with the Procfile's settings file and ``answer_pid``: (port, worker pids) once every
    worker listens."""
    if not Path("/proc/net/tcp").exists() or not hasattr(socket, "SO_REUSEPORT"):
        pytest.skip("needs Linux (/proc, SO_REUSEPORT)")
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "python:web.gunicorn_conf",
               "--workers", str(WORKERS), "--threads", "2", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "tests.web.test_gunicorn_conf:answer_pid"]
    process = subprocess.Popen(command, cwd=repo_root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not listening(workers := workers_of(process.pid), port):
            assert time.monotonic() < deadline, "gunicorn's workers did not all listen within 60 s"
            time.sleep(0.1)
        yield port, workers
    finally:
        process.terminate()
        process.wait(30)


def answers_to_connections_opened_at_once(port: int, count: int) -> list[str]:
    """Open ``count`` keep-alive connections in one burst (as wrk or a client's pool does), then ask
    on each which worker answers."""
    connections = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]
    try:
        for connection in connections:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        return [answer_on(connection) for connection in connections]
    finally:
        for connection in connections:
            connection.close()


def answer_on(connection: socket.socket) -> str:
    response = HTTPResponse(connection)
    try:
        response.begin()
        return response.read().decode()
    finally:
        response.close()


def test_it_freezes_what_a_worker_has_loaded():
    try:
        gunicorn_conf.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_it_is_what_the_procfile_starts(repo_root):
    web = next(line for line in (repo_root / "Procfile").read_text().splitlines()
               if line.startswith("web:"))
    assert "-c python:web.gunicorn_conf" in web


def test_it_gives_each_worker_a_listening_socket_of_its_own(serving):
    port, workers = serving
    sockets = [listening_sockets(pid, port) for pid in workers]
    assert len(workers) == WORKERS and all(sockets)
    # One shared socket instead: the first worker awake takes a whole burst of connections.
    assert not set.intersection(*sockets)


def test_it_spreads_connections_opened_at_once_over_the_workers(serving):
    port, workers = serving
    # By a hash of each connection's addresses: all 16 on one worker has a chance of 2 in 65,536.
    answered_by = answers_to_connections_opened_at_once(port, 16)
    assert set(answered_by) == {str(pid) for pid in workers}
