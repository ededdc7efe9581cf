"""Child process of the rekey crash test: unlock, start a rekey, stop at one point to be killed.

    FIELDKIT_PASSPHRASE=... python tests/services/rekey_crasher.py VAULT_DIR WHEN:STEP

STEP is one of the rekey's steps in fieldkit/services/rekey.py (copy_database, write_pending,
swap_database, commit). With WHEN `after` the child prints `AT after:STEP` once the
step has returned and then waits, so the parent's SIGKILL lands exactly between two steps.
With WHEN `during` it prints `AT during:STEP` as the step starts and carries on, so the kill
lands somewhere inside it. The child never finishes on its own in `after` mode.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldkit.services import rekey
from fieldkit.services.vault import unlock_vault


def instrument(when: str, step: str) -> None:
    original: Callable[..., Any] = getattr(rekey, step)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when == "during":
            print(f"AT during:{step}", flush=True)
        result = original(*args, **kwargs)
        if when == "after":
            print(f"AT after:{step}", flush=True)
            while True:
                time.sleep(60)
        return result

    setattr(rekey, step, wrapper)


def main() -> int:
    root, point = Path(sys.argv[1]), sys.argv[2]
    when, step = point.split(":")
    instrument(when, step)
    vault = unlock_vault(root, os.environ["FIELDKIT_PASSPHRASE"])
    print("READY", flush=True)
    vault.rekey(os.environ["FIELDKIT_PASSPHRASE"])
    print("DONE", flush=True)
    while True:  # wait for the kill like the other modes
        time.sleep(60)


if __name__ == "__main__":
    sys.exit(main())
