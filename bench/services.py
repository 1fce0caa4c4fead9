"""Private PostgreSQL and Redis servers for benchmarks, on loopback, in a temporary folder (as
.ci/run does).

Use as context managers; both stop and delete their data on exit.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def _as_postgres(command: list[str]) -> list[str]:
    return command if os.geteuid() != 0 else ["su", "postgres", "-c", " ".join(command)]


@contextmanager
def postgres(database: str = "bench") -> Iterator[str]:
    """A fresh PostgreSQL cluster; yields its SQLAlchemy URL."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    folder = tempfile.mkdtemp(prefix="bench-pg-")
    os.chmod(folder, 0o755)
    data, port = os.path.join(folder, "data"), free_port()
    os.mkdir(data)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres([f"{binaries}/initdb", "-D", data, "-A", "trust",
                                 "-U", "postgres"]), check=True, capture_output=True)
    options = (f"'-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on "
               "-c max_connections=200'")
    subprocess.run(_as_postgres([f"{binaries}/pg_ctl", "-D", data, "-o", options,
                                 "-l", f"{data}/log", "-w", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([f"{binaries}/createdb", "-h", "/tmp",
                                     "-p", str(port), database]), check=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(_as_postgres([f"{binaries}/pg_ctl", "-D", data, "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def wait_for_app(base: str, path: str, seconds: float = 120) -> None:
    """The master binds the port before its workers have imported the app (seconds on a busy
    machine): wait until ``path`` answers, so no measurement starts with a worker still starting
    (callers then warm up)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + path, timeout=seconds):
                return
        except urllib.error.HTTPError:  # any HTTP answer means a worker is serving
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2, threads: int = 8,
             ready_path: str = "/healthz") -> Iterator[str]:
    """``gunicorn APP`` with the same settings for every endpoint measured; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "python:web.gunicorn_conf",
               "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    process = subprocess.Popen(command, env={**os.environ, **env})
    try:
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        wait_for_app(base, ready_path)
        yield base
    finally:
        process.terminate()
        process.wait(20)
