"""Atomic writes: the new file whole, owner-only, and no planted name is ever followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fieldkit.atomic_file import write_atomic


def test_replaces_the_file_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "vault.key"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vault.key"]  # no temp file left behind


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_planted_at_the_old_temp_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"untouched")
    folder = tmp_path / "vault"
    folder.mkdir()
    target = folder / "vault.key"
    # The name the writer used to pick: predictable from the file name and the process id.
    planted = folder / f".{target.name}.tmp-{os.getpid()}"
    planted.symlink_to(victim)
    write_atomic(target, b"secret header")
    assert victim.read_bytes() == b"untouched"
    assert not target.is_symlink() and target.read_bytes() == b"secret header"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
