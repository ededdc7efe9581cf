#!/usr/bin/env bash
# Debian packages the test suite needs: qpdf and poppler-utils for the PDF checks, the
# libraries Qt loads even offscreen (present on most desktops, missing on bare servers), and
# Xvfb with the xcb libraries for the test that drives the app in a real X window, and
# PostgreSQL's server binaries for the HQ storage tests.
# Installs only what is missing; uses sudo when not root. Quiet when all is there.
set -euo pipefail
missing=()
command -v qpdf >/dev/null || missing+=(qpdf)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v Xvfb >/dev/null || missing+=(xvfb)
# The HQ storage tests start a throwaway PostgreSQL cluster from Debian's server binaries.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
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
            libxkbcommon-x11.so.0:libxkbcommon-x11-0; do
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
