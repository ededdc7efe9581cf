#!/usr/bin/env bash
# Debian packages the test suite needs: qpdf and poppler-utils for the PDF checks, the
# libraries Qt loads even offscreen (present on most desktops, missing on bare servers), and
# Xvfb with the xcb libraries for the test that drives the app in a real X window,
# PostgreSQL's server binaries for the HQ storage tests, and for the installer tests
# (tests/packaging/test_dist.py): binutils (PyInstaller), nsis, osslsigncode and openssl (the
# Windows installer and its signature), gnome-keyring and dbus (a real Secret Service for the
# frozen keyring), desktop-file-utils (the menu entry), and every library the .deb depends on
# (build/linux/package.py).
# Installs only what is missing; uses sudo when not root. Quiet when all is there.
set -euo pipefail
missing=()
command -v qpdf >/dev/null || missing+=(qpdf)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v Xvfb >/dev/null || missing+=(xvfb)
# The HQ storage tests start a throwaway PostgreSQL cluster from Debian's server binaries.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v objdump >/dev/null || missing+=(binutils)
command -v makensis >/dev/null || missing+=(nsis)
command -v osslsigncode >/dev/null || missing+=(osslsigncode)
command -v openssl >/dev/null || missing+=(openssl)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v dbus-run-session >/dev/null || missing+=(dbus-daemon)
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
# The HQ console's browser tests drive Debian's chromium headless (tests/hq/test_console.py).
command -v chromium >/dev/null || missing+=(chromium)
# Read the linker cache once: `ldconfig -p | grep -q` under pipefail fails at random when grep
# exits early and ldconfig gets SIGPIPE.
libs="$(ldconfig -p 2>/dev/null || true)"
for pair in libGL.so.1:libgl1 libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 \
            libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 \
            libglib-2.0.so.0:libglib2.0-0 \
            libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
            libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1 \
            libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 \
            libxcb-util.so.1:libxcb-util1 libxcb-xkb.so.1:libxcb-xkb1 \
            libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
            libX11.so.6:libx11-6 libX11-xcb.so.1:libx11-xcb1 libxcb.so.1:libxcb1 \
            libxcb-glx.so.0:libxcb-glx0 libxcb-randr.so.0:libxcb-randr0 \
            libxcb-render.so.0:libxcb-render0 libxcb-shm.so.0:libxcb-shm0 \
            libxcb-sync.so.1:libxcb-sync1 libxcb-xfixes.so.0:libxcb-xfixes0 \
            libfreetype.so.6:libfreetype6 libwayland-client.so.0:libwayland-client0 \
            libwayland-cursor.so.0:libwayland-cursor0 libwayland-egl.so.1:libwayland-egl1 \
            libcups.so.2:libcups2; do
    grep -qF "${pair%%:*} " <<<"$libs" || missing+=("${pair##*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "not root and no sudo: install these Debian packages by hand: ${missing[*]}" >&2
        exit 1
    fi
    sudo=sudo
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
