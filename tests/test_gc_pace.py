"""Each command-line entry point paces the cycle collector for its bulk work (gc_pace.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit.cli import main as fieldkit_main
from fieldkit.gc_pace import YOUNG_ALLOCATIONS
from fieldkit.hq.cli import main as hq_main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def default_pace() -> None:
    gc.set_threshold(700, 10, 10)


def test_fieldkit_paces_the_collector(tmp_path: Path, default_pace: None) -> None:
    fieldkit_main(["--vault", str(tmp_path / "none"), "info"])  # no vault there: still paced
    assert gc.get_threshold() == (YOUNG_ALLOCATIONS, 10, 10)


def test_fieldkit_hq_paces_the_collector(tmp_path: Path, default_pace: None) -> None:
    assert hq_main(["make-key", "--out", str(tmp_path / "hq.key")]) == 0
    assert gc.get_threshold() == (YOUNG_ALLOCATIONS, 10, 10)


def test_a_paced_process_freezes_its_objects_before_the_interpreter_tears_down() -> None:
    """Exit handlers run last-registered first: one registered before the pacing runs after
    the freeze, and sees it; the other handlers still ran."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "from fieldkit.gc_pace import pace_garbage_collector\n"
        "pace_garbage_collector()\n"
        "pace_garbage_collector()\n"
        "atexit.register(lambda: print('handler ran'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split("\n")[:2] == ["handler ran", "frozen True"]
