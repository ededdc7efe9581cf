"""What the frozen bundle keeps and what fieldkit.spec drops, as plain data and functions (so a
fast test can check them without building).

PyInstaller collects every plug-in of every Qt module the app imports (QtCore, QtGui,
QtWidgets, QtDBus), Qt's translations, and all of Babel's 1,000-odd locales. FieldKit needs a
few of each: the list below is the whole of what it keeps, per operating system.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

# Python packages that must never be in the desktop bundle: the headquarters server and its
# stack, test tools, and the keyring back-ends that keep secrets in files (pitfalls.md).
EXCLUDED_MODULES = [
    "fieldkit.hq",
    "jinja2",  # the HQ console's templates
    "markupsafe",
    "playwright",  # the HQ console's browser tests
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "psycopg_binary",
    "schemathesis",
    "hypothesis",
    "pytest",
    "_pytest",
    "mypy",
    "ruff",
    "keyrings.alt",
    "keyrings.cryptfile",
    "tkinter",
    "_tkinter",
    "PIL.ImageTk",
    "IPython",
    "readline",
    "pkg_resources",  # babel falls back to it; importing it costs start-up time
    "httpx._main",  # httpx's own command line, and with it rich, pygments and markdown-it
    "rich",
    "pygments",
    "markdown_it",
    "unittest",
    "doctest",
    "pdb",
    "pydoc",
    "PySide6.QtNetwork",  # PySide6/__init__.py imports it on Windows only, inside a try
    # Pillow (reportlab imports PIL.Image) without the codecs FieldKit never uses
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingft",
    "PIL.ImageFont",
    "PIL._imagingtk",
    # East Asian codecs (1 MB): FieldKit reads and writes UTF-8 only
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_iso2022",
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_multibytecodec",
]

# The OS keyring back-ends, imported by name because keyring finds them through entry points.
KEYRING_BACKENDS = {
    "linux": ["keyring.backends.SecretService", "secretstorage", "jeepney"],
    "win32": ["keyring.backends.Windows", "win32ctypes.core"],
    "darwin": ["keyring.backends.macOS", "keyring.backends.macOS.api"],
}

# Qt plug-ins kept, as "<type>/<name without lib prefix and suffix>". Everything else goes:
# image formats (the icon is PNG, which Qt reads without a plug-in), SVG icon engines, TLS,
# network information, EGLFS, VNC, generic input, QML tooling...
QT_PLUGINS = {
    "linux": {
        "platforms/qxcb",  # X11 and XWayland
        "platforms/qwayland",  # native Wayland (GNOME, KDE)
        "platforms/qoffscreen",  # the self-test and servers without a display
        # no xcbglintegrations or Wayland EGL client: widgets draw with the raster engine
        "wayland-shell-integration/xdg-shell",
        "wayland-decoration-client/bradient",
        "platforminputcontexts/composeplatforminputcontextplugin",  # dead keys: á, ñ
        "platforminputcontexts/ibusplatforminputcontextplugin",
        "platformthemes/qxdgdesktopportal",  # native file dialogs through the portal
        "printsupport/cupsprintersupport",  # printers for the print dialog (the recovery key)
    },
    "win32": {
        "platforms/qwindows",
        "platforms/qoffscreen",
        "styles/qmodernwindowsstyle",
    },
    "darwin": {
        "platforms/qcocoa",
        "platforms/qoffscreen",
        "styles/qmacstyle",
    },
}

# Linux system libraries PyInstaller would copy from the build machine, which every desktop
# that can show a window has already (the .deb depends on their packages, docs/installers.md
# lists them for the .tar.gz). Bundling them wastes space and can clash with the system's
# own: an older libstdc++ breaks the system's GL driver, an older fontconfig its config files.
# The CUPS client (which the print plug-in loads) and what only it brings (Kerberos, Avahi,
# GnuTLS and p11-kit, 8.6 MB) must match the system's print service and its configuration: a
# machine without libcups2 still prints to a PDF file, Qt just finds no printers.
LINUX_SYSTEM_LIBRARIES = re.compile(
    r"^lib(X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|xcb|xcb-[a-z-]+|xkbcommon|xkbcommon-x11"
    r"|fontconfig|freetype|png16|expat|z|bz2|brotlicommon|brotlidec"
    r"|glib-2\.0|gthread-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|pcre2-8|dbus-1|systemd"
    r"|gcrypt|gpg-error|lz4|lzma|zstd|cap|md|bsd|uuid|stdc\+\+|gcc_s"
    r"|cups|gssapi_krb5|krb5|k5crypto|krb5support|com_err|keyutils|avahi-common|avahi-client"
    r"|gnutls|p11-kit|idn2|unistring|tasn1|nettle|hogweed|gmp)\.so(\.\d+)*$"
)

# Babel locale data kept: the two languages with their CLDR parents (es_MX inherits from
# es_419, which inherits from es; everything inherits from root).
BABEL_LOCALES = {"root", "en", "en_US", "en_001", "es", "es_419", "es_MX"}

# Qt's files sit under PySide6/Qt/ on Linux and macOS and under PySide6/ on Windows.
_PLUGIN = re.compile(r"^PySide6/(?:Qt/)?plugins/([^/]+)/(?:lib)?([^/]+?)(?:\.so|\.dll|\.dylib)$")
_QT_TRANSLATION = re.compile(r"^PySide6/(?:Qt/)?translations/[^/]+\.qm$")
# Qt's software OpenGL for Windows (20 MB): the widgets draw with the raster engine.
_WINDOWS_DROPPED = {"opengl32sw.dll"}
_BABEL_LOCALE = re.compile(r"(?:^|/)babel/locale-data/([^/]+)\.dat$")


def os_key(platform: str = sys.platform) -> str:
    if platform.startswith("linux"):
        return "linux"
    if platform in ("win32", "darwin"):
        return platform
    raise SystemExit(f"no bundle rules for {platform}")


def keep(dest: str, platform: str = sys.platform) -> bool:
    """Whether a file collected for the bundle (its destination path) stays in it."""
    dest = dest.replace("\\", "/")
    plugin = _PLUGIN.search(dest)
    if plugin:
        return f"{plugin.group(1)}/{plugin.group(2)}" in QT_PLUGINS[os_key(platform)]
    if _QT_TRANSLATION.search(dest):
        return False  # the app installs no QTranslator: its strings are in its own catalogs
    locale = _BABEL_LOCALE.search(dest)
    if locale:
        return locale.group(1) in BABEL_LOCALES
    name = dest.rsplit("/", 1)[-1]
    if os_key(platform) == "win32":
        return name.lower() not in _WINDOWS_DROPPED
    if os_key(platform) == "linux" and "/" not in dest:
        return not LINUX_SYSTEM_LIBRARIES.match(dest)
    return True


def trimmed_pairs(
    pairs: Iterable[tuple[str, str]], platform: str = sys.platform
) -> list[tuple[str, str]]:
    """A hook's (source, destination folder) pairs without the files `keep` drops."""
    return [
        (source, folder)
        for source, folder in pairs
        if keep(f"{folder}/{Path(source).name}", platform)
    ]


TocEntry = tuple[str, str, str]  # PyInstaller's (destination, source, type code)


def trimmed(entries: Iterable[TocEntry], platform: str = sys.platform) -> list[TocEntry]:
    """A PyInstaller TOC without the entries `keep` drops."""
    return [entry for entry in entries if keep(entry[0], platform)]
