"""Real Redis and PostgreSQL servers a test starts, stops and starts again (fault tests).

Each is skipped when its binaries are missing, except under CI (``CI`` set), where a missing binary
fails the test: CI installs them, and a silently skipped fault test proves nothing.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from tests.conftest import _free_port


def _missing(what: str, install: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must install {what}: the fault tests stop and restart one")
    pytest.skip(f"needs {what} ({install})")


def _wait_for_port(port: int, tries: int = 200) -> None:
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:  # not listening yet
            time.sleep(0.05)


class PrivateRedis:
    """A redis-server of this test's own on a fixed port, to stop and start again."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            _missing("redis-server", "apt-get install redis-server")
        self.port, self.dir, self.process = _free_port(), tempfile.mkdtemp(), None

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port),
                                         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                         "--dir", self.dir], stdout=subprocess.DEVNULL)
        _wait_for_port(self.port)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


class PrivatePostgres:
    """A PostgreSQL cluster of this test run's own (initdb into a temp folder, trust auth, socket in
    that folder, TCP on a free loopback port), to stop and start again. Run as the ``postgres`` user
    when we are root."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        initdb = os.path.join(bins[-1], "initdb") if bins else shutil.which("initdb")
        if not initdb or not os.path.exists(initdb):
            _missing("PostgreSQL", "apt-get install postgresql")
        self.bin, self.port = os.path.dirname(initdb), _free_port()
        self.dir = tempfile.mkdtemp(prefix="pg-faults-")
        self.data = os.path.join(self.dir, "data")
        os.chmod(self.dir, 0o755)  # the postgres user must reach its data and socket folder
        self._as_owner([f"{self.bin}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                        "--no-sync"])

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _as_owner(self, command: list[str]) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-o", options,
                        "-l", f"{self.dir}/log", "-w", "start"])
        _wait_for_port(self.port)

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as when the server is restarted under load."""
        self._as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])

    def create_database(self, name: str) -> str:
        self._as_owner([f"{self.bin}/createdb", "-h", self.dir, "-p", str(self.port),
                        "-U", "postgres", name])
        return self.url(name)

    def remove(self) -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
