"""Each command-line entry point paces the cycle collector for its bulk work (gc_pace.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from fieldkit.cli import main as fieldkit_main
from fieldkit.gc_pace import YOUNG_ALLOCATIONS
from fieldkit.hq.cli import main as hq_main


@pytest.fixture
def default_pace() -> None:
    gc.set_threshold(700, 10, 10)


def test_fieldkit_paces_the_collector(tmp_path: Path, default_pace: None) -> None:
    fieldkit_main(["--vault", str(tmp_path / "none"), "info"])  # no vault there: still paced
    assert gc.get_threshold() == (YOUNG_ALLOCATIONS, 10, 10)


def test_fieldkit_hq_paces_the_collector(tmp_path: Path, default_pace: None) -> None:
    assert hq_main(["make-key", "--out", str(tmp_path / "hq.key")]) == 0
    assert gc.get_threshold() == (YOUNG_ALLOCATIONS, 10, 10)
