from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hq_server import RunningHQ, running_hq
from tests.postgres import postgres_cluster, postgres_url  # noqa: F401
from tests.sync.devices import Device


@pytest.fixture(params=["sqlite", "postgresql"])
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningHQ]:
    """A real HQ on loopback, on each of its two databases."""
    database = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with running_hq(tmp_path / "hq", database=database) as server:
        yield server


@pytest.fixture
def device(tmp_path: Path, hq: RunningHQ) -> Iterator[Callable[..., Device]]:
    """Makes enrolled devices: device("ana"), device("luis", url=proxy.url)."""
    made: list[Device] = []

    def make(name: str, **kwargs: object) -> Device:
        made.append(Device(tmp_path, name, hq, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for each in made:
        each.close()
