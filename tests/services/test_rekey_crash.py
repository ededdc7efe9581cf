"""Rekey survives SIGKILL at every step: afterwards the vault opens with the same passphrase,
with either the old data key or the new one, every record intact, and nothing left over.

A child process (`rekey_crasher.py`) runs a real rekey on a real vault and is killed with
SIGKILL between two of its steps, or at a random moment inside the database copy.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldkit.crypto.header import read_header, unwrap_with_passphrase
from fieldkit.domain.records import Facility
from fieldkit.services.vault import create_vault, unlock_vault
from tests.conftest import fast_kdf

CRASHER = Path(__file__).with_name("rekey_crasher.py")
PASSPHRASE = "rekey-crash-passphrase-ñandú"
RECORDS = 300
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

# Where the kill lands, and which key must open the vault afterwards.
POINTS = [
    ("during:copy_database", "old"),
    ("after:copy_database", "old"),
    ("after:write_pending", "old"),
    ("after:swap_database", "new"),
    ("after:commit", "new"),
]


def make_vault(root: Path) -> None:
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    with vault.store.transaction():
        for n in range(RECORDS):
            vault.records.create(Facility(name=f"Planta {n:04d}", municipality="Saltillo"))
    vault.lock()


def kill_at(root: Path, point: str) -> None:
    env = {**os.environ, "FIELDKIT_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(CRASHER), str(root), point],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == f"AT {point}":
                break
        else:
            pytest.fail(f"the child ended before {point}")
        if point.startswith("during:"):
            time.sleep(random.uniform(0.0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)


@pytest.mark.parametrize(("point", "expected_key"), POINTS)
def test_rekey_killed_at_any_step_leaves_a_vault_that_opens(
    tmp_path: Path, point: str, expected_key: str
) -> None:
    root = tmp_path / "v"
    make_vault(root)
    old_key = bytes(unwrap_with_passphrase(read_header(root / "vault.key"), PASSPHRASE))

    kill_at(root, point)

    vault = unlock_vault(root, PASSPHRASE)
    try:
        assert vault.store.integrity_problems() == []
        assert len(vault.records.list(Facility, limit=None)) == RECORDS
        opened_with_old = bytes(vault._key) == old_key
        assert ("old" if opened_with_old else "new") == expected_key
        # Finished on this unlock only if the kill came between the swap and the commit.
        assert vault.finished_interrupted_rekey == (point == "after:swap_database")
        # And the rekey can run again (or the first time) from here.
        vault.rekey(PASSPHRASE)
    finally:
        vault.lock()
    assert sorted(p.name for p in root.iterdir()) == ["vault.db", "vault.key"]
    reopened = unlock_vault(root, PASSPHRASE)
    assert len(reopened.records.list(Facility, limit=None)) == RECORDS
    reopened.lock()
