"""How often Python's cycle collector runs in FieldKit's processes (the app, `fieldkit`,
`fieldkit-hq`).

A sync round, an HQ push or a pull page makes hundreds of thousands of short-lived objects
(parsed batches, rows, records), almost none of them in reference cycles. At CPython's
default pace, a young-generation pass every 700 net allocations, the collector ran thousands
of times over them. A pass every 20,000: the device's CPU for a 10,000-visit pull (parse,
plan and write its pages) 1.89 -> 1.60 s; HQ's for the push of it 1.36 -> 1.33 s (HQ also
freezes what start-up made, see `fieldkit-hq serve`). Raising it further gained nothing
measurable; the older generations keep their pace.

At exit, after the other exit handlers, every object left is frozen: the interpreter's own
collections while it tears its modules down then have nothing to walk. A `fieldkit` command
ended 0.10-0.15 s after its work before, 0.02 s after; every exit handler still runs.
"""

from __future__ import annotations

import atexit
import gc

YOUNG_ALLOCATIONS = 20_000  # net allocations between two young-generation passes (700)
_exit_frozen: list[bool] = []  # registered once per process, however often this is called


def pace_garbage_collector() -> None:
    """Called once by each entry point, like the umask: the collector is process-wide."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_ALLOCATIONS, middle, old)
    if not _exit_frozen:
        atexit.register(gc.freeze)  # registered first, so it runs after the others
        _exit_frozen.append(True)
