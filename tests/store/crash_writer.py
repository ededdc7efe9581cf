"""Child process of the crash-consistency test: save records until killed.

    FIELDKIT_PASSPHRASE=... python tests/store/crash_writer.py VAULT_DIR [--seed N]
        [--ack-before-commit [--gap-ms MS]]

It imports everything, then waits for one line on stdin (so the parent can start it ahead of
time and overlap Python's start-up with its own checks), unlocks the vault, prints `READY`,
and saves records through the services API in a loop: a new facility with a unique name, a
visit linked to a facility, or an edit of a facility's address. After each save *returns* it
prints one line and flushes stdout:

    ACK <id> <op> <kind> <field> <value>

`op` is `create` (the stored `field` must equal `value`) or `update` (the stored `field` must
be `value` or a later one: values are zero-padded clock readings, so they sort by time).

With `--ack-before-commit` the writer lies: it prints the ACK line first, waits `--gap-ms`, and
only then saves. The test uses it as a negative control to prove that its checker notices an
acknowledged record that never reached the database.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from fieldkit.domain.records import Facility, Record, Visit
from fieldkit.services.records import RecordService
from fieldkit.services.vault import unlock_vault


def stamp() -> str:
    """A value that sorts after every earlier one, across processes (the wall clock in ns)."""
    return f"{time.time_ns():020d}"


@dataclasses.dataclass(frozen=True)
class Step:
    """One save: what to acknowledge, and the call that performs it."""

    record: Record
    op: str
    field: str
    value: str
    save: Callable[[], Record]

    def ack_line(self) -> str:
        return f"ACK {self.record.id} {self.op} {self.record.KIND} {self.field} {self.value}"


class Writer:
    def __init__(self, records: RecordService, facilities: Sequence[Facility], seed: int) -> None:
        self.records = records
        self.facilities = list(facilities)
        self.rng = random.Random(seed)

    def next_step(self) -> Step:
        roll = self.rng.random()
        if roll < 0.5 or not self.facilities:
            name = f"Planta {stamp()}"
            facility = Facility(name=name, municipality="Saltillo")
            return Step(facility, "create", "name", name, lambda: self._created(facility))
        if roll < 0.8:
            summary = f"Visita {stamp()}"
            visit = Visit(
                facility_id=self.rng.choice(self.facilities).id,
                start_date=dt.date(2024, 1, 1) + dt.timedelta(days=self.rng.randrange(365)),
                summary=summary,
                observations="Recorrido por la línea de producción con el delegado sindical. "
                * self.rng.randint(1, 20),
            )
            return Step(visit, "create", "summary", summary, lambda: self.records.create(visit))
        index = self.rng.randrange(len(self.facilities))
        address = stamp()
        edited = dataclasses.replace(self.facilities[index], address=address)
        return Step(edited, "update", "address", address, lambda: self._updated(index, edited))

    def _created(self, facility: Facility) -> Facility:
        stored = self.records.create(facility)
        self.facilities.append(stored)
        return stored

    def _updated(self, index: int, edited: Facility) -> Facility:
        stored = self.records.update(edited)
        self.facilities[index] = stored
        return stored


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="save records until killed")
    parser.add_argument("vault", type=Path)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--ack-before-commit", action="store_true")
    parser.add_argument("--gap-ms", type=float, default=200.0)
    args = parser.parse_args(argv)
    passphrase = os.environ["FIELDKIT_PASSPHRASE"]

    sys.stdin.readline()  # the parent says go
    vault = unlock_vault(args.vault, passphrase)
    # Some facilities saved by earlier runs, to link visits to and to edit.
    writer = Writer(vault.records, vault.records.list(Facility, limit=20), args.seed or 0)
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    while True:
        step = writer.next_step()
        if args.ack_before_commit:
            out.write(step.ack_line() + "\n")
            out.flush()
            time.sleep(args.gap_ms / 1000)
            step.save()
        else:
            step.save()
            out.write(step.ack_line() + "\n")
            out.flush()


if __name__ == "__main__":
    sys.exit(main())
