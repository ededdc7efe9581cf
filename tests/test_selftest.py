"""`fieldkit --self-test` from source, as a user or IT would run it: a new process, no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit import cli


def test_self_test_command_offscreen_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--json", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["qt_platform"] == "offscreen"
    keyring = next(c for c in report["checks"] if c["name"] == "keyring")
    assert "keyring.backends.null.Keyring" in keyring["detail"]


def test_a_command_is_still_required(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stop:
        cli.main([])
    assert stop.value.code == 2
    assert "choose a command" in capsys.readouterr().err
