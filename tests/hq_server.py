"""A real HQ server on loopback for tests: uvicorn on a thread, its own data folder, SQLite by
default or a PostgreSQL database. Client tests import this too; keep the interface stable.
SQLite is encrypted (SQLCipher) with the key in FIELDKIT_HQ_KEY, which tests/conftest.py sets
per test (so admin commands run in the same test open the same database), or `key=`.

    with running_hq(tmp_path / "hq") as hq:
        code = hq.enroll("Ana")
        ... talk to hq.url ...
        hq.stop(); hq.start()        # a restart on the same port with the same data
        hq.revoke("Ana")
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from fieldkit.hq import admin, at_rest, devices
from fieldkit.hq.app import create_app
from fieldkit.hq.clock import now_ms
from fieldkit.hq.server import build_server
from fieldkit.hq.storage import Storage

HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0


class RunningHQ:
    """One HQ server process's worth of state, on a thread of this test process."""

    def __init__(
        self,
        data_dir: Path,
        database: str | None,
        tls: tuple[Path, Path] | None,
        port: int,
        access_log: bool = False,
        key: bytes | None = None,
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir
        self.database_url = admin.database_url(data_dir, database)
        sqlite = at_rest.sqlite_path(self.database_url) is not None
        self.key = (key or at_rest.load_key(None)) if sqlite else None
        self.tls = tls
        self.access_log = access_log
        self.port = port or free_port()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://{HOST}:{self.port}"
        self.storage: Storage = Storage.open(self.database_url, self.key)
        self.server_id = self.storage.server_id()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve (again) on the same port, with the same data."""
        if self._server is not None:
            return
        app = create_app(self.storage, self.server_id)
        self.guard = app.state.hq.guard  # the free-space guard, for tests of a full disk
        server = build_server(
            app, HOST, self.port, self.tls, log_config=None, access_log=self.access_log
        )
        thread = threading.Thread(target=server.run, name=f"hq-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"HQ did not start on port {self.port}")
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        """Stop serving, as a process exit would: connections close, the database closes."""
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._server = self._thread = None
        self.storage.close()
        self.storage = Storage.open(self.database_url, self.key)

    def enroll(self, name: str, replaces: str | None = None) -> str:
        """A one-time code for a device called `name` (what `fieldkit-hq enroll` prints);
        with `replaces`, for a laptop replacing that revoked device (`--replaces`)."""
        return devices.create_code(self.storage, name, now_ms(), replaces=replaces)

    def revoke(self, device: str) -> None:
        """Revoke by device id or unique name (what `fieldkit-hq revoke` does)."""
        devices.revoke(self.storage, device, now_ms())

    def close(self) -> None:
        self.stop()
        self.storage.close()


@contextmanager
def running_hq(
    data_dir: Path,
    *,
    database: str | None = None,
    tls: tuple[Path, Path] | None = None,
    port: int = 0,
    access_log: bool = False,
    key: bytes | None = None,
) -> Iterator[RunningHQ]:
    """An HQ serving `data_dir` (SQLite there, or `database`) on loopback until the block ends
    (`access_log`: uvicorn logs each request, as `fieldkit-hq serve` does; `key`: the SQLite
    database's key, else FIELDKIT_HQ_KEY's)."""
    hq = RunningHQ(data_dir, database, tls, port, access_log, key)
    try:
        hq.start()
        yield hq
    finally:
        hq.close()


def free_port() -> int:
    """A loopback port nothing listens on now (kept for restarts of the same server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])
