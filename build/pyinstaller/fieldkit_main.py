"""The frozen bundle's entry point, shared by its two executables.

`fieldkit-app` (a windowed program on Windows and macOS) starts the desktop app; `fieldkit`
(a console program) is the command line, with `fieldkit --self-test`. One script and one
analysis serve both, so the build analyses the code once; the name the program was started
under picks the mode, as busybox does (on Linux fieldkit-app is a symbolic link to fieldkit).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    name = Path(sys.argv[0]).stem.lower()
    if name.startswith("fieldkit-app"):
        from fieldkit.app import main as app_main  # noqa: PLC0415 - only the half in use loads

        return app_main()
    from fieldkit.cli import main as cli_main  # noqa: PLC0415

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
