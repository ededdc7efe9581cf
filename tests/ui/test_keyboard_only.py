"""The whole app with the keyboard alone, in a real X window (Xvfb), in Spanish from the first
screen: first run, a facility, a visit and an interview created and saved, the visit's PDF
exported, locked and unlocked. `keyboard_only_driver.py` runs in its own process on Qt's xcb
platform; this test starts Xvfb for it (see test_real_window.py, whose fixtures it shares:
it skips, saying why, only when Xvfb cannot be had)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.ui.test_real_window import (
    REPO,
    SCREEN,
    display,
    driver_environment,
    png_size,
    started,
    stop,
)

DRIVER = Path(__file__).with_name("keyboard_only_driver.py")
KEEP = Path(tempfile.gettempdir()) / "fieldkit-keyboard-only"
DRIVER_TIMEOUT_S = 90
SHOTS = (
    "primer-uso",
    "clave-de-recuperacion",
    "visita",
    "entrevista",
    "pdf-escrito",
    "bloqueada",
    "desbloqueada",
)

__all__ = ["display", "started"]  # the fixtures, imported to be used here


@pytest.mark.slow
def test_keyboard_only_in_spanish(
    tmp_path: Path, display: str, started: list[subprocess.Popen[bytes]]
) -> None:
    shots = tmp_path / "screens"
    env = driver_environment(tmp_path, display)
    for name in ("FIELDKIT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "es_MX.UTF-8"  # a Spanish locale and no language chosen yet: Spanish
    driver = subprocess.Popen(
        [sys.executable, str(DRIVER), str(shots)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    started.append(driver)
    try:
        output, _ = driver.communicate(timeout=DRIVER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop(driver)
        output, _ = driver.communicate()
        pytest.fail(f"the driver hung for {DRIVER_TIMEOUT_S} s:\n{output.decode(errors='replace')}")
    said = output.decode(errors="replace")
    taken = sorted(shots.glob("*.png"))
    if taken:  # kept for a person to look at, success or not
        shutil.rmtree(KEEP, ignore_errors=True)
        KEEP.mkdir(parents=True, exist_ok=True)
        for path in taken:
            shutil.copy2(path, KEEP / path.name)
    assert driver.returncode == 0, f"driver rc {driver.returncode}:\n{said}"
    assert [path.stem.split("-", 1)[1] for path in taken] == list(SHOTS), said
    for path in taken:
        assert png_size(path) == SCREEN
    pdf = tmp_path / "informe-visita.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
