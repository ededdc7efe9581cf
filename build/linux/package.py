"""The Linux packages of a PyInstaller bundle: a .tar.gz of the folder, and a .deb that
installs it to /opt/fieldkit with commands in /usr/bin, a menu entry and an icon.

Used by build/dist.py; needs only Python and dpkg-deb (in every Debian and Ubuntu).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RESOURCES = ROOT / "resources"
PREFIX = "opt/fieldkit"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAINTAINER_ENV = "FIELDKIT_DEB_MAINTAINER"
DEFAULT_MAINTAINER = "FieldKit maintainers <fieldkit@example.invalid>"

# What the bundle leaves to the system (build/pyinstaller/bundle_rules.py drops these
# libraries from it, and Qt loads OpenGL and EGL itself). tests/test_dist.py checks that every
# library the bundle needs and does not carry comes from one of these packages.
DEPENDS = (
    "libc6 (>= 2.35)",  # the newest GLIBC_ symbol version the bundle's binaries use
    "libstdc++6",
    "libgcc-s1",
    "zlib1g",
    "libbz2-1.0",
    "liblzma5",
    "libzstd1",
    "libuuid1",
    "libglib2.0-0",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libcups2",  # printing (the recovery key): Qt's CUPS print plug-in
    "libgl1",
    "libegl1",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-glx0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
)
DESCRIPTION = """\
Offline-first encrypted field kit for labor attachés
 FieldKit records facility visits, confidential worker interviews, RRM cases,
 hotline tips and technical-assistance grants in an encrypted local vault, and
 syncs with headquarters when a connection appears. Run 'fieldkit --self-test'
 to check an installation."""

COPYRIGHT = """\
FieldKit, for the U.S. Department of Labor.

The bundle in /opt/fieldkit carries Python (PSF License), Qt and PySide6 (LGPL-3.0),
SQLCipher (BSD-3-Clause), OpenSSL (Apache-2.0), reportlab (BSD), and the Python packages
listed in /opt/fieldkit/_internal/*.dist-info, each under its own license.

The DejaVu fonts in /opt/fieldkit/_internal/resources/fonts:

"""


def make_tarball(bundle: Path, target: Path, version: str) -> Path:
    """`target` (.tar.gz) holding the bundle as fieldkit-VERSION/ (symbolic links kept)."""
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=f"fieldkit-{version}")
    return target


def make_deb(bundle: Path, target: Path, version: str, workdir: Path) -> Path:
    """Build `target` (.deb) with dpkg-deb from a staging tree under `workdir`."""
    root = workdir / "root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / PREFIX, symlinks=True, copy_function=_link_or_copy)
    bin_dir = root / "usr/bin"
    bin_dir.mkdir(parents=True)
    for command in ("fieldkit", "fieldkit-app"):
        (bin_dir / command).symlink_to(f"/{PREFIX}/{command}")
    _install(RESOURCES / "linux/fieldkit.desktop", root / "usr/share/applications")
    for size in ICON_SIZES:
        folder = root / f"usr/share/icons/hicolor/{size}x{size}/apps"
        _install(RESOURCES / f"icons/fieldkit-{size}.png", folder, "fieldkit.png")
    _install(RESOURCES / "icons/fieldkit.svg", root / "usr/share/icons/hicolor/scalable/apps")
    doc = root / "usr/share/doc/fieldkit"
    doc.mkdir(parents=True)
    fonts = (RESOURCES / "fonts/DejaVu-LICENSE.txt").read_text(encoding="utf-8")
    (doc / "copyright").write_text(COPYRIGHT + fonts, encoding="utf-8")
    control = root / "DEBIAN/control"
    control.parent.mkdir(parents=True)
    control.write_text(control_file(version, installed_kib(root)), encoding="utf-8")
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


def control_file(version: str, installed_kib: int) -> str:
    maintainer = os.environ.get(MAINTAINER_ENV, DEFAULT_MAINTAINER)
    return (
        f"Package: fieldkit\nVersion: {version}\nArchitecture: {deb_architecture()}\n"
        f"Maintainer: {maintainer}\nInstalled-Size: {installed_kib}\n"
        f"Depends: {', '.join(DEPENDS)}\nSection: misc\nPriority: optional\n"
        f"Description: {DESCRIPTION}\n"
    )


def deb_architecture() -> str:
    done = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def installed_kib(root: Path) -> int:
    total = sum(
        path.lstat().st_size for path in root.rglob("*") if path.is_file() and not path.is_symlink()
    )
    return (total + 1023) // 1024


def _install(source: Path, folder: Path, name: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / (name or source.name))
    (folder / (name or source.name)).chmod(0o644)


def _link_or_copy(source: str, target: str) -> None:
    """Hard links make the staging tree free; a copy where they cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
