"""The server sequence: one counter for every stored field and conflict, the pull cursor.

Numbers are taken only inside a sequenced write transaction (Storage.writing(sequenced=True)),
which runs alone, so reading the counter once and writing it back at the end is safe and the
numbers commit in the order they were given.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from fieldkit.hq.tables import SEQUENCE_ROW, sequence_counter


def current_sequence(conn: Connection) -> int:
    """The last number handed out by a committed transaction (as this transaction sees it)."""
    value = conn.execute(
        select(sequence_counter.c.value).where(sequence_counter.c.id == SEQUENCE_ROW)
    ).scalar_one()
    return int(value)


class SequenceNumbers:
    """Hands out the next numbers within one sequenced write transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._start = current_sequence(conn)
        self._last = self._start

    def next(self) -> int:
        self._last += 1
        return self._last

    def save(self) -> None:
        """Write the counter back (call once, before the transaction commits)."""
        taken = self._last - self._start
        if taken:
            self._conn.execute(
                update(sequence_counter)
                .where(sequence_counter.c.id == SEQUENCE_ROW)
                .values(value=sequence_counter.c.value + taken)
            )
            self._start = self._last
