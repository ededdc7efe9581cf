#!/usr/bin/env bash
# Debian packages the test suite needs: qpdf and poppler-utils for the PDF checks, and the
# libraries Qt loads even offscreen (present on most desktops, missing on bare servers).
# Installs only what is missing; uses sudo when not root. Quiet when all is there.
set -euo pipefail
missing=()
command -v qpdf >/dev/null || missing+=(qpdf)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
for pair in libGL.so.1:libgl1 libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 \
            libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 \
            libglib-2.0.so.0:libglib2.0-0; do
    ldconfig -p | grep -q "${pair%%:*}" || missing+=("${pair##*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
