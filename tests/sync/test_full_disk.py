"""A full disk under HQ, for real: HQ's data folder on a small tmpfs. HQ answers 503
hq_storage_full (never a 500), the device keeps every change and sends them all once space is
back. Needs root to mount; skipped with the reason elsewhere."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.domain.records import Facility, Visit
from fieldkit.errors import HqStorageFull
from tests.hq_server import running_hq
from tests.sync.devices import Device

SMALL = "2m"


def mount_tmpfs(folder: Path, size: str) -> None:
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    folder.mkdir()
    try:
        mount_tmpfs(folder, SMALL)
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError) as error:
        pytest.skip(f"cannot mount a small filesystem here (needs root): {error}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def test_a_full_disk_answers_503_and_the_device_keeps_every_change(
    small_disk: Path, tmp_path: Path
) -> None:
    with running_hq(small_disk / "hq") as hq:
        hq.guard.min_free_bytes = 0  # no margin: let the disk really fill
        ana = Device(tmp_path, "ana", hq)
        plant = ana.create(Facility(name="Planta Norte"))
        for day in range(1, 31):  # ~3 MB of findings that do not compress: more than the disk
            ana.create(
                Visit(
                    facility_id=plant.id,
                    start_date=dt.date(2026, 3, day),
                    findings=os.urandom(50_000).hex(),
                )
            )
        unsent = ana.store.count_unsent()
        with pytest.raises(HqStorageFull) as refused:
            ana.sync()
        assert "temporarily unable to store changes" in refused.value.message
        assert ana.store.count_unsent() == unsent  # nothing lost, nothing marked sent

        subprocess.run(
            ["mount", "-o", "remount,size=64m", str(small_disk)], check=True, capture_output=True
        )
        ana.sync()
        assert ana.store.count_unsent() == 0
        luis = Device(tmp_path, "luis", hq)
        luis.sync()
        assert luis.snapshot(("facility", "visit")) == ana.snapshot(("facility", "visit"))
        ana.close()
        luis.close()
