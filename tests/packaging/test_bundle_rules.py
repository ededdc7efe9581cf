"""What the frozen bundle keeps and drops (build/pyinstaller/bundle_rules.py), the NSIS
script's known pitfall, and the .deb's dependencies against build/system_deps.sh. Fast: no
build here (tests/packaging/test_dist.py builds)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "build" / "pyinstaller"))
sys.path.insert(0, str(ROOT / "build" / "linux"))
import bundle_rules as rules  # noqa: E402
import package  # noqa: E402

QT = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    ("dest", "platform", "kept"),
    [
        (f"{QT}/platforms/libqxcb.so", "linux", True),
        (f"{QT}/platforms/libqwayland.so", "linux", True),
        (f"{QT}/platforms/libqoffscreen.so", "linux", True),
        (f"{QT}/platforminputcontexts/libcomposeplatforminputcontextplugin.so", "linux", True),
        (f"{QT}/platforms/libqeglfs.so", "linux", False),
        (f"{QT}/platforms/libqvnc.so", "linux", False),
        (f"{QT}/imageformats/libqsvg.so", "linux", False),
        (f"{QT}/imageformats/libqpdf.so", "linux", False),
        (f"{QT}/iconengines/libqsvgicon.so", "linux", False),
        (f"{QT}/platformthemes/libqgtk3.so", "linux", False),
        (f"{QT}/tls/libqopensslbackend.so", "linux", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "win32", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "win32", True),
        ("PySide6\\plugins\\imageformats\\qjpeg.dll", "win32", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "darwin", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "darwin", False),
        ("PySide6/Qt/translations/qtbase_es.qm", "linux", False),
        ("babel/locale-data/es_MX.dat", "linux", True),
        ("babel/locale-data/es_419.dat", "linux", True),
        ("babel/locale-data/root.dat", "linux", True),
        ("babel/locale-data/fr.dat", "linux", False),
        ("libX11.so.6", "linux", False),
        ("libstdc++.so.6", "linux", False),
        ("libxcb-cursor.so.0", "linux", False),
        ("libpython3.11.so.1.0", "linux", True),
        ("libcrypto.so.3", "linux", True),
        ("pillow.libs/libxcb-9065bb12.so.1.1.0", "linux", True),
        ("libX11.so.6", "darwin", True),
        ("resources/fonts/DejaVuSans.ttf", "linux", True),
    ],
)
def test_keep(dest: str, platform: str, kept: bool) -> None:
    assert rules.keep(dest, platform) is kept


def test_hook_pairs_are_trimmed_by_destination() -> None:
    pairs = [
        ("/venv/PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms"),
        ("/venv/PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms"),
    ]
    assert rules.trimmed_pairs(pairs, "linux") == pairs[:1]


def test_every_os_keeps_a_platform_plugin_and_offscreen() -> None:
    for plugins in rules.QT_PLUGINS.values():
        assert "platforms/qoffscreen" in plugins
        assert len({p for p in plugins if p.startswith("platforms/")}) >= 2


def test_the_server_and_file_keyrings_are_never_bundled() -> None:
    for name in ("fieldkit.hq", "fastapi", "uvicorn", "keyrings.alt", "keyrings.cryptfile"):
        assert name in rules.EXCLUDED_MODULES


def test_nsis_version_info_comes_after_the_spanish_language() -> None:
    script = (ROOT / "build/windows/fieldkit.nsi").read_text(encoding="utf-8").splitlines()
    spanish = next(i for i, line in enumerate(script) if 'MUI_LANGUAGE "Spanish"' in line)
    version_lines = [i for i, line in enumerate(script) if line.startswith("VI")]
    assert version_lines and min(version_lines) > spanish
    assert any("/LANG=${LANG_SPANISH}" in line for line in script)


def test_deb_depends_are_installed_by_system_deps() -> None:
    """make test installs the .deb in CI: every dependency must be there on a bare Debian."""
    script = (ROOT / "build/system_deps.sh").read_text(encoding="utf-8")
    named = set(re.findall(r":([a-z0-9][a-z0-9.+-]+)", script))
    named |= set(re.findall(r"missing\+=\(([a-z0-9.+-]+)\)", script))
    essential = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libbz2-1.0", "liblzma5"}
    essential |= {"libzstd1", "libuuid1"}
    depends = {entry.split()[0] for entry in package.DEPENDS}
    assert depends - named - essential == set()


def test_desktop_entry() -> None:
    entry = (ROOT / "resources/linux/fieldkit.desktop").read_text(encoding="utf-8")
    assert "Exec=/opt/fieldkit/fieldkit-app" in entry and "Icon=fieldkit" in entry
    assert "Comment[es]=" in entry
