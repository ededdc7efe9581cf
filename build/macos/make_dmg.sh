#!/usr/bin/env bash
# Make dist/FieldKit-VERSION.dmg from dist/FieldKit.app, on macOS, after build/dist.py.
# (Documented in docs/installers.md; it cannot run on the Linux build machines.)
#
# Signing and notarization, when the environment says how (nothing secret in the repository):
#   FIELDKIT_MAC_SIGN_IDENTITY   "Developer ID Application: NAME (TEAMID)", in the keychain.
#                                Set it before build/dist.py too: fieldkit.spec then signs every
#                                binary in the .app with the hardened runtime.
#   FIELDKIT_MAC_NOTARY_PROFILE  a profile saved with `xcrun notarytool store-credentials`.
# Without them the .dmg is unsigned and this script says so; Gatekeeper will then refuse to
# open the app until it is allowed in System Settings > Privacy & Security.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ "$(uname -s)" = Darwin ] || { echo "make_dmg.sh runs on macOS only" >&2; exit 2; }
app=dist/FieldKit.app
[ -d "$app" ] || { echo "no $app: run build/dist.py first" >&2; exit 1; }
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg="dist/FieldKit-${version}.dmg"
identity="${FIELDKIT_MAC_SIGN_IDENTITY:-}"
profile="${FIELDKIT_MAC_NOTARY_PROFILE:-}"

if [ -n "$identity" ]; then
    codesign --verify --deep --strict --verbose=2 "$app"
fi

# The window a user sees: the app and a link to /Applications to drag it onto.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "FieldKit ${version}" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$dmg" >/dev/null

if [ -z "$identity" ]; then
    echo "UNSIGNED: $dmg (set FIELDKIT_MAC_SIGN_IDENTITY to sign, FIELDKIT_MAC_NOTARY_PROFILE to notarize)"
    exit 0
fi
codesign --force --timestamp --sign "$identity" "$dmg"
if [ -n "$profile" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$profile" --wait
    xcrun stapler staple "$dmg"
    echo "signed and notarized: $dmg"
else
    echo "signed, NOT notarized: $dmg (set FIELDKIT_MAC_NOTARY_PROFILE)"
fi
