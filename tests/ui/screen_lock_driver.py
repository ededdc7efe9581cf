"""Run under dbus-run-session: a screensaver's ActiveChanged(true) reaches the watcher."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QCoreApplication, QTimer

from fieldkit.ui.screen_lock import ScreenLockWatcher


def main() -> int:
    app = QCoreApplication([])
    watcher = ScreenLockWatcher()
    if not watcher.listening:
        print("not listening")
        return 2
    fired: list[bool] = []
    watcher.sig_screen_locked.connect(lambda: (fired.append(True), app.quit()))

    def announce(active: str) -> None:
        subprocess.run(
            [
                "dbus-send",
                "--session",
                "--type=signal",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver.ActiveChanged",
                f"boolean:{active}",
            ],
            check=True,
        )

    QTimer.singleShot(100, lambda: announce("false"))  # screen unlocked: nothing happens
    QTimer.singleShot(300, lambda: announce("true"))
    QTimer.singleShot(5000, app.quit)
    app.exec()
    print("fired" if fired == [True] else f"not fired: {fired}")
    return 0 if fired == [True] else 1


if __name__ == "__main__":
    sys.exit(main())
