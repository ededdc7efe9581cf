"""HQ test fixtures: a live server on loopback over SQLite or PostgreSQL, and enrolled
devices that speak the protocol over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hq.client import TestDevice
from tests.hq_server import RunningHQ, running_hq
from tests.postgres import postgres_cluster, postgres_url  # noqa: F401

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> str | None:
    """None for SQLite in the data folder, else a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def hq(tmp_path: Path, database: str | None) -> Iterator[RunningHQ]:
    """A running HQ, on each backend in turn."""
    with running_hq(tmp_path / "hq", database=database) as server:
        yield server


@pytest.fixture
def sqlite_hq(tmp_path: Path) -> Iterator[RunningHQ]:
    """A running HQ on SQLite only, for tests about HTTP rather than storage."""
    with running_hq(tmp_path / "hq") as server:
        yield server


DeviceFactory = Callable[..., TestDevice]


@pytest.fixture
def enrol(hq: RunningHQ) -> Iterator[DeviceFactory]:
    yield from _factory(hq)


@pytest.fixture
def enrol_sqlite(sqlite_hq: RunningHQ) -> Iterator[DeviceFactory]:
    yield from _factory(sqlite_hq)


def _factory(server: RunningHQ) -> Iterator[DeviceFactory]:
    made: list[TestDevice] = []

    def make(name: str, node: str | None = None) -> TestDevice:
        device = TestDevice.enrol(server, name, node)
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()
