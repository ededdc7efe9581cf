from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hq_server import RunningHQ, running_hq
from tests.sync.devices import Device


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[RunningHQ]:
    with running_hq(tmp_path / "hq") as server:
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
