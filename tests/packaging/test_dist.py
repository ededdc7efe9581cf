"""The frozen bundle and the installers, built and tried as a user and IT would.

`build/dist.py --if-changed` builds once per change of its inputs (about 2 minutes here:
PyInstaller, the .tar.gz, the .deb with xz, NSIS with zlib instead of LZMA to save half a
minute). Then: the bundle's self-test offscreen, in a real X window under Xvfb and with a
real Secret Service; the .deb installed with dpkg and the installed command's self-test;
the NSIS script compiled; a throwaway certificate signing and verifying an .exe.

`pytest -m "not dist"` leaves these out.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "build" / "linux"))
import package  # noqa: E402

pytestmark = [
    pytest.mark.dist,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packaging"),
]
ONEDIR_LIMIT = 150_000_000  # bytes: the targets of docs/installers.md
DEB_LIMIT = 60_000_000
INSTALL_LOCK = Path("/tmp/fieldkit-dpkg-test.lock")


@pytest.fixture(scope="module")
def build() -> dict[str, Any]:
    subprocess.run(
        [sys.executable, str(ROOT / "build/dist.py"), "--if-changed", "--nsis-compressor", "zlib"],
        check=True,
        cwd=ROOT,
        timeout=1200,
    )
    info: dict[str, Any] = json.loads((ROOT / "dist/build-info.json").read_text("utf-8"))
    return info


def path_of(build: dict[str, Any], name: str) -> Path:
    return ROOT / build["artifacts"][name]["path"]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No display, no session bus, no keyring choice, fresh user folders."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "DISPLAY", "WAYLAND", "DBUS_", "PYTHON_KEYRING", "XDG_"))
        and not key.startswith("FIELDKIT_")
    }
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    env["HOME"] = str(home)
    env.update(extra)
    return env


def self_test(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [*command, "--json", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert report["ok"] and report["frozen"], report
    return report


def detail(report: dict[str, Any], name: str) -> str:
    return str(next(c["detail"] for c in report["checks"] if c["name"] == name))


# --- the bundle --------------------------------------------------------------------------------


def test_bundle_self_test_offscreen_without_a_display(
    build: dict[str, Any], tmp_path: Path
) -> None:
    report = self_test([str(path_of(build, "onedir") / "fieldkit")], clean_env(tmp_path))
    assert report["qt_platform"] == "offscreen"
    assert "keyring.backends.fail.Keyring" in detail(report, "keyring")  # fails closed


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run (Debian xvfb)")
def test_bundle_self_test_in_a_real_x_window(build: dict[str, Any], tmp_path: Path) -> None:
    command = ["xvfb-run", "-a", str(path_of(build, "onedir") / "fieldkit")]
    report = self_test(command, clean_env(tmp_path))
    assert "Qt platform: xcb" in detail(report, "window")


@pytest.mark.skipif(
    shutil.which("gnome-keyring-daemon") is None or shutil.which("dbus-run-session") is None,
    reason="gnome-keyring and dbus-run-session (Debian gnome-keyring, dbus-daemon)",
)
def test_bundle_keyring_round_trip_through_a_real_secret_service(
    build: dict[str, Any], tmp_path: Path
) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    script = (
        "printf selftest | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        'exec "$@"'
    )
    command = ["dbus-run-session", "--", "sh", "-c", script, "sh"]
    command.append(str(path_of(build, "onedir") / "fieldkit"))
    report = self_test(command, clean_env(tmp_path, XDG_RUNTIME_DIR=str(runtime)))
    assert "SecretService" in detail(report, "keyring") and "deleted" in detail(report, "keyring")


def test_frozen_app_shows_its_window(build: dict[str, Any], tmp_path: Path) -> None:
    env = clean_env(tmp_path, QT_QPA_PLATFORM="offscreen", FIELDKIT_EXIT_AFTER_SHOW="1")
    started = time.monotonic()
    done = subprocess.run(
        [str(path_of(build, "onedir") / "fieldkit-app")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown = float(re.findall(r"FIELDKIT_WINDOW_SHOWN (\d+\.\d+)", done.stdout)[0])
    assert 0 < shown - started < 10


def test_bundle_is_trimmed(build: dict[str, Any]) -> None:
    bundle = path_of(build, "onedir")
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    assert not [f for f in files if f.endswith(".qm")], "Qt translations"
    assert not [f for f in files if "/imageformats/" in f or "/iconengines/" in f]
    assert not [f for f in files if "keyrings" in f or "/hq/" in f or "tkinter" in f]
    locales = {Path(f).stem for f in files if "babel/locale-data/" in f and f.endswith(".dat")}
    assert locales == {"root", "en", "en_US", "en_001", "es", "es_419", "es_MX"}
    assert (bundle / "_internal/resources/icons/fieldkit-256.png").exists()
    assert (bundle / "_internal/resources/fonts/DejaVuSans.ttf").exists()
    assert os.readlink(bundle / "fieldkit-app") == "fieldkit"
    assert build["artifacts"]["onedir"]["bytes"] < ONEDIR_LIMIT


def test_tarball_holds_the_bundle_with_its_link(build: dict[str, Any]) -> None:
    with tarfile.open(path_of(build, "tar")) as archive:
        members = {m.name: m for m in archive.getmembers()}
    top = f"fieldkit-{build['version']}"
    assert members[f"{top}/fieldkit"].isfile() and members[f"{top}/fieldkit-app"].issym()
    assert f"{top}/_internal/resources/i18n/es_MX/LC_MESSAGES/fieldkit.po" in members


# --- the .deb ----------------------------------------------------------------------------------


def test_deb_metadata_and_files(build: dict[str, Any]) -> None:
    deb = path_of(build, "deb")
    assert build["artifacts"]["deb"]["bytes"] < DEB_LIMIT
    info = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True)
    assert f"Version: {build['version']}" in info.stdout and "libxcb-cursor0" in info.stdout
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    )
    for path in (
        "./opt/fieldkit/fieldkit",
        "./usr/bin/fieldkit -> /opt/fieldkit/fieldkit",
        "./usr/bin/fieldkit-app -> /opt/fieldkit/fieldkit-app",
        "./usr/share/applications/fieldkit.desktop",
        "./usr/share/icons/hicolor/256x256/apps/fieldkit.png",
    ):
        assert path in listing.stdout, path
    assert " root/root " in listing.stdout and "/home/" not in listing.stdout


def test_deb_depends_cover_every_library_the_bundle_leaves_out(build: dict[str, Any]) -> None:
    bundle = path_of(build, "onedir")
    carried = {p.name for p in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for path in [bundle / "fieldkit", *bundle.rglob("*.so*")]:
        if path.is_file() and not path.is_symlink():
            dump = subprocess.run(
                ["objdump", "-p", str(path)], capture_output=True, text=True, check=False
            )
            needed |= set(re.findall(r"NEEDED\s+(\S+)", dump.stdout))
    depends = {entry.split()[0] for entry in package.DEPENDS}
    for library in sorted(needed - carried):
        owner = subprocess.run(
            ["dpkg", "-S", f"*/{library}"], capture_output=True, text=True, check=False
        )
        packages = {line.split(":")[0] for line in owner.stdout.splitlines()}
        assert packages & depends, f"{library} (from {sorted(packages)}) is not in DEPENDS"


@contextlib.contextmanager
def installed(deb: Path, tmp_path: Path) -> Iterator[Path]:
    """The .deb installed with dpkg (as root, when no FieldKit is installed already), or
    else unpacked with dpkg -x; yields the folder that holds usr/ and opt/."""
    status = subprocess.run(["dpkg", "-s", "fieldkit"], capture_output=True, check=False)
    already = status.returncode == 0
    if os.geteuid() != 0 or already:
        subprocess.run(["dpkg", "-x", str(deb), str(tmp_path / "root")], check=True)
        yield tmp_path / "root"
        return
    with INSTALL_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another checkout's tests may install it too
        try:
            dpkg(["-i", str(deb)])
            yield Path("/")
        finally:
            dpkg(["--purge", "fieldkit"])  # also after a failed install: leave nothing behind


def dpkg(arguments: list[str]) -> None:
    for _attempt in range(60):  # apt or another dpkg may hold the lock for a while
        done = subprocess.run(["dpkg", *arguments], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return
        if "lock" not in done.stderr:
            break
        time.sleep(2)
    raise AssertionError(f"dpkg {' '.join(arguments)}: {done.stdout}{done.stderr}")


def test_deb_installs_and_the_installed_command_passes_its_self_test(
    build: dict[str, Any], tmp_path: Path
) -> None:
    with installed(path_of(build, "deb"), tmp_path) as root:
        command = root / "usr/bin/fieldkit" if root == Path("/") else root / "opt/fieldkit/fieldkit"
        report = self_test([str(command)], clean_env(tmp_path))
        assert report["version"] == build["version"]
        entry = root / "usr/share/applications/fieldkit.desktop"
        if shutil.which("desktop-file-validate"):  # Debian desktop-file-utils
            subprocess.run(["desktop-file-validate", str(entry)], check=True)
        assert entry.exists()
    if root == Path("/"):
        assert not Path("/opt/fieldkit/fieldkit").exists()  # removed with dpkg -r


# --- Windows: the NSIS script and signing -----------------------------------------------------


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian nsis)")
def test_nsis_script_compiles(build: dict[str, Any]) -> None:
    installer = path_of(build, "nsis").read_bytes()
    assert installer[:2] == b"MZ"
    for text in ("FieldKit", "U.S. Department of Labor", "Instalador de FieldKit"):
        assert text.encode("utf-16-le") in installer, text  # version information, both languages


@pytest.mark.skipif(
    shutil.which("osslsigncode") is None or shutil.which("openssl") is None,
    reason="osslsigncode and openssl",
)
def test_signing_with_a_certificate_from_the_environment(
    build: dict[str, Any], tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=FieldKit test signing", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    target = tmp_path / "setup.exe"
    shutil.copyfile(path_of(build, "nsis"), target)
    sign = [sys.executable, str(ROOT / "build/windows/sign.py"), str(target)]
    unset = subprocess.run(
        sign, env=clean_env(tmp_path), capture_output=True, text=True, check=False
    )
    assert unset.returncode == 3 and "not signed" in unset.stderr
    env = clean_env(
        tmp_path,
        FIELDKIT_SIGN_CERT=str(cert),
        FIELDKIT_SIGN_KEY=str(key),
        FIELDKIT_SIGN_CAFILE=str(cert),
    )
    subprocess.run(sign, env=env, check=True, capture_output=True)
    verified = subprocess.run(
        ["osslsigncode", "verify", "-in", str(target), "-CAfile", str(cert)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "FieldKit test signing" in verified.stdout
