"""The whole app with the keyboard alone, in a real X window (Xvfb), in Spanish from the first
screen: first run, a facility, a visit and an interview created and saved, the visit's PDF
exported, locked and unlocked. `keyboard_only_driver.py` runs in its own process on Qt's xcb
platform; this test starts Xvfb for it (see test_real_window.py, whose fixtures it shares:
it skips, saying why, only when Xvfb cannot be had)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.ui.test_real_window import (
    SCREEN,
    display,
    driver_environment,
    png_size,
    run_driver,
    started,
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
    said, taken = run_driver(DRIVER, shots, env, started, timeout_s=DRIVER_TIMEOUT_S, keep=KEEP)
    assert [path.stem.split("-", 1)[1] for path in taken] == list(SHOTS), said
    for path in taken:
        assert png_size(path) == SCREEN
    pdf = tmp_path / "informe-visita.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
