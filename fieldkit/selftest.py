"""`fieldkit --self-test`: prove that an installation (a frozen bundle or a checkout) works.

It creates a temporary encrypted vault and writes, searches and reads a record in it, round
trips a secret through the OS keyring where a secure one exists (and says which, or that there
is none), renders a one-page PDF with the bundled font, loads the icon, the font and both
translations, and opens and closes the main window, offscreen when there is no display. It
prints one line per check and exits 0, or 1 naming what failed.

This module composes the checks of services/ (no Qt) and ui/ (Qt). Qt is imported only here,
at run time, so a bundle whose Qt cannot load still reports every other check.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from fieldkit import __version__
from fieldkit.i18n import _
from fieldkit.services.selftest import SELF_TEST_TITLE, Check, service_checks

EXIT_FAILED = 1
QT_CHECKS = ("icons", "fonts", "window")


def run(*, as_json: bool = False, out: TextIO | None = None) -> int:
    """Run every check, print the report, and return the exit code."""
    stream = out or sys.stdout
    qt_platform = prefer_offscreen()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fieldkit-self-test-") as folder:
        workdir = Path(folder)
        checks = service_checks(workdir) + _qt_checks(workdir)
    seconds = time.perf_counter() - started
    if as_json:
        json.dump(as_dict(checks, seconds, qt_platform), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    else:
        stream.write("\n".join(report_lines(checks, seconds)) + "\n")
    return 0 if all(check.ok for check in checks) else EXIT_FAILED


def prefer_offscreen() -> str:
    """Use Qt's offscreen platform on Linux when there is no display (and none was chosen)."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return os.environ.get("QT_QPA_PLATFORM", "")


def _qt_checks(workdir: Path) -> list[Check]:
    try:
        from fieldkit.ui.selftest import qt_checks  # noqa: PLC0415 - Qt only when it loads
    except ImportError as error:
        reason = _("Qt could not be loaded: {error}").format(error=error)
        return [Check(name, False, reason) for name in QT_CHECKS]
    return qt_checks(workdir)


def where() -> str:
    kind = _("frozen bundle") if getattr(sys, "frozen", False) else _("from source")
    return f"{kind}, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def report_lines(checks: list[Check], seconds: float) -> list[str]:
    lines = [f"{_(SELF_TEST_TITLE)} {__version__} ({where()})"]
    width = max(len(check.name) for check in checks)
    for check in checks:
        mark = _("ok") if check.ok else _("FAILED")
        lines.append(f"  {mark:<6} {check.name:<{width}}  {check.detail}")
    failed = [check.name for check in checks if not check.ok]
    if failed:
        lines.append(
            _("Self-test failed: {names}.").format(names=", ".join(failed)),
        )
    else:
        lines.append(
            _("All {count} checks passed in {seconds:.1f} s.").format(
                count=len(checks), seconds=seconds
            )
        )
    return lines


def as_dict(checks: list[Check], seconds: float, qt_platform: str) -> dict[str, Any]:
    return {
        "ok": all(check.ok for check in checks),
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "platform": f"{platform.system()} {platform.machine()}",
        "qt_platform": qt_platform,
        "seconds": round(seconds, 3),
        "failed": [check.name for check in checks if not check.ok],
        "checks": [
            {
                "name": check.name,
                "ok": check.ok,
                "detail": check.detail,
                "seconds": round(check.seconds, 3),
            }
            for check in checks
        ],
    }
