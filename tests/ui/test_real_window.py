"""The real application in a real X window: Xvfb, Qt's xcb platform, a separate process.

The other UI tests run offscreen in this process; this one starts `Xvfb` and runs
`real_window_driver.py` in a subprocess with QT_QPA_PLATFORM=xcb (one process cannot hold two
Qt platforms), its own vault, XDG dirs and settings. The driver goes through first run, the
recovery key, a facility, a visit, an interview and Ctrl+L, and screenshots the X screen after
each step; the screenshots are copied to KEEP for a person to look at.

Xvfb and the xcb libraries are Debian packages (`build/system_deps.sh`, run by `make test`).
When they are missing the test runs that script; if they are still missing and the test is not
root (no way to install), it skips; as root (CI) a failed install fails the test.
"""

from __future__ import annotations

import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("real_window_driver.py")
SYSTEM_DEPS = REPO / "build" / "system_deps.sh"
KEEP = Path(tempfile.gettempdir()) / "fieldkit-real-window"
SCREEN = (1366, 768)
X_LIBRARIES = (  # what Qt's xcb platform plugin loads, beyond the offscreen set
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-util.so.1",
    "libxcb-xkb.so.1",
    "libxkbcommon-x11.so.0",
)
INSTALL_TIMEOUT_S = 300  # only when packages are missing: apt-get update and install
XVFB_START_TIMEOUT_S = 10
DRIVER_TIMEOUT_S = 40
STEPS = (
    "first-run",
    "passphrase-typed",
    "recovery-key",
    "workspace",
    "facility-editor",
    "facility-saved",
    "visit-facility-picker",
    "visit-editor",
    "visit-saved",
    "consent-picker",
    "interview-visit-picker",
    "interview-saved",
    "locked",
)


def missing_x_parts() -> list[str]:
    missing = [] if shutil.which("Xvfb") else ["Xvfb"]
    try:
        cache = subprocess.run(
            ["ldconfig", "-p"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        cache = ""
    return missing + [lib for lib in X_LIBRARIES if f"{lib} " not in cache]


def require_xvfb() -> str:
    """The Xvfb binary, installing the Debian packages first if needed; skips if impossible."""
    missing = missing_x_parts()
    if not missing:
        return str(shutil.which("Xvfb"))
    try:  # a new session: no terminal, so sudo fails at once instead of asking for a password
        result = subprocess.run(
            ["bash", str(SYSTEM_DEPS)],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            start_new_session=True,
            check=False,
        )
        said = (result.stdout + result.stderr).strip()[-800:]
    except subprocess.TimeoutExpired:
        said = f"timed out after {INSTALL_TIMEOUT_S} s"
    missing = missing_x_parts()
    if not missing:
        return str(shutil.which("Xvfb"))
    reason = f"missing {', '.join(missing)}; build/system_deps.sh could not install them: {said}"
    if os.geteuid() == 0:
        pytest.fail(reason)  # root can install: in CI this test must run
    pytest.skip(f"no real X server (not root, no usable sudo): {reason}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes the test starts; each is stopped at the end, whatever happened."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in reversed(procs):
        stop(proc)


@pytest.fixture
def display(tmp_path: Path, started: list[subprocess.Popen[bytes]]) -> str:
    """A fresh Xvfb screen on a free display number (Xvfb picks it: -displayfd)."""
    xvfb = require_xvfb()
    read_end, write_end = os.pipe()
    log = (tmp_path / "xvfb.log").open("wb")
    try:
        proc = subprocess.Popen(
            [
                xvfb,
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                "x".join(map(str, SCREEN)) + "x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write_end,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        started.append(proc)
    finally:
        os.close(write_end)
        log.close()
    try:
        answer = b""
        deadline = time.monotonic() + XVFB_START_TIMEOUT_S
        while not answer.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                break
            chunk = os.read(read_end, 16)
            if not chunk:  # Xvfb exited
                break
            answer += chunk
    finally:
        os.close(read_end)
    if not answer.strip().isdigit():
        xvfb_said = (tmp_path / "xvfb.log").read_text(errors="replace")[-1500:]
        pytest.fail(f"Xvfb did not start (rc {proc.poll()}): {xvfb_said}")
    return f":{answer.decode().strip()}"


def driver_environment(tmp_path: Path, display: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FIELDKIT_", "QT_", "XDG_", "WAYLAND_", "DBUS_"))
        and key not in ("XAUTHORITY", "DISPLAY")
    }
    home = tmp_path / "home"
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        FIELDKIT_VAULT=str(tmp_path / "vault"),
        FIELDKIT_LANG="en",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        # No Secret Service: "remember on this device" is off, as on a bare laptop.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        # No session bus either: a bus that does not exist fails fast (no autolaunch).
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}",
        PYTHONPATH=str(REPO),
    )
    (home / "runtime").mkdir(parents=True, mode=0o700)
    return env


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def run_driver(
    script: Path,
    shots: Path,
    env: dict[str, str],
    started: list[subprocess.Popen[bytes]],
    *,
    timeout_s: int,
    keep: Path,
) -> tuple[str, list[Path]]:
    """Run a driver script to its end (failing the test if it hangs or fails), keep its
    screenshots in `keep` for a person to look at, success or not; what it said and the
    screenshots, in order."""
    driver = subprocess.Popen(
        [sys.executable, str(script), str(shots)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    started.append(driver)
    try:
        output, _ = driver.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        stop(driver)
        output, _ = driver.communicate()
        pytest.fail(f"the driver hung for {timeout_s} s:\n{output.decode(errors='replace')}")
    said = output.decode(errors="replace")
    taken = sorted(shots.glob("*.png"))
    if taken:
        shutil.rmtree(keep, ignore_errors=True)
        keep.mkdir(parents=True, exist_ok=True)
        for path in taken:
            shutil.copy2(path, keep / path.name)
    assert driver.returncode == 0, f"driver rc {driver.returncode}:\n{said}"
    return said, taken


@pytest.mark.slow
def test_the_real_app_in_a_real_x_window(
    tmp_path: Path, display: str, started: list[subprocess.Popen[bytes]]
) -> None:
    env = driver_environment(tmp_path, display)
    said, taken = run_driver(
        DRIVER, tmp_path / "screens", env, started, timeout_s=DRIVER_TIMEOUT_S, keep=KEEP
    )
    assert [path.stem.split("-", 1)[1] for path in taken] == list(STEPS), said
    for path in taken:
        assert png_size(path) == SCREEN, f"{path.name} is not the whole {SCREEN} X screen"
