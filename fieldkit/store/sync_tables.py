"""The store's sync tables by name: what the sync engine and the sync services read and write
(the outgoing journal, acknowledgements, refused changes, conflicts, attachment bytes in
transit, the log of rounds), each call taking the store's lock itself.

The SQL stays in store/ (here, `outbox`, `replica` and `blob_transfer`); callers never hold the
connection. A write joins the caller's `Store.transaction()` when there is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit.store import blob_transfer, outbox, replica

if TYPE_CHECKING:
    from fieldkit.store.store import Store


@dataclass(frozen=True)
class LoggedRound:
    """One row of the sync log."""

    started_at: str
    finished_at: str | None
    outcome: str
    pushed: int
    pulled: int
    requests: int
    detail: str  # JSON


_LOG_COLUMNS = "started_at, finished_at, outcome, pushed, pulled, requests, detail"


class SyncTables:
    """A store's sync tables. Reach it as `store.sync`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- the outgoing journal ---------------------------------------------------------------

    def outgoing(
        self, *, after_seq: int | None = None, limit: int, entries: int
    ) -> outbox.Outgoing:
        """The next unsent journal entries (past `after_seq`): at most `entries` of them,
        carrying at most `limit` fields."""
        with self._store._reading() as db:
            return outbox.outgoing(db, after_seq=after_seq, limit=limit, entries=entries)

    def mark_sent(self, change_ids: Iterable[str]) -> None:
        with self._store._writing() as db:
            outbox.mark_sent(db, change_ids)

    def quarantine(self, change_id: str, code: str, message: str) -> None:
        """Move a change HQ refused out of the queue, keeping it (and why) for the user."""
        with self._store._writing() as db:
            outbox.quarantine(db, change_id, code, message)

    def quarantine_field(
        self, change_ids: str, record_id: str, field: str, *, code: str, message: str
    ) -> None:
        """The same for a field HQ refused, found among a batch's entries (a JSON array)."""
        with self._store._writing() as db:
            outbox.quarantine_field(db, change_ids, record_id, field, code=code, message=message)

    def quarantined(self) -> list[dict[str, Any]]:
        with self._store._reading() as db:
            return outbox.quarantined(db)

    def count_quarantined(self) -> int:
        with self._store._reading() as db:
            return int(db.execute("SELECT count(*) FROM sync_quarantine").fetchone()[0])

    def adopt_clamped(self, change_id: str, hlc: int) -> None:
        with self._store._writing() as db:
            outbox.adopt_clamped(db, change_id, hlc)

    def adopt_clamped_record(self, change_ids: str, record_id: str, *, sent: int, hlc: int) -> None:
        with self._store._writing() as db:
            outbox.adopt_clamped_record(db, change_ids, record_id, sent=sent, hlc=hlc)

    def start_over(self, *, meta_prefix: str, keep_meta: str) -> None:
        """A new HQ must receive everything from the start: every change unsent again, no
        blob uploaded, the settings under `meta_prefix` forgotten (except `keep_meta`)."""
        with self._store._writing() as db:
            db.execute("UPDATE journal SET sent = 0")
            db.execute("DELETE FROM blob_uploads")
            db.execute(
                "DELETE FROM meta WHERE key LIKE ? AND key != ?", [f"{meta_prefix}%", keep_meta]
            )

    # --- what others changed ----------------------------------------------------------------

    def apply(self, changes: Sequence[replica.Incoming] | replica.Pulled) -> replica.Applied:
        """Store pulled fields that are newer than the ones held: how many were, how many the
        domain refused, and the newest clock seen."""
        with self._store._writing() as db:
            return replica.apply(db, changes)

    def save_conflict(self, conflict: replica.StoredConflict) -> None:
        with self._store._writing() as db:
            replica.save_conflict(db, conflict)

    def drop_conflict(self, conflict_id: str) -> None:
        with self._store._writing() as db:
            replica.drop_conflict(db, conflict_id)

    def conflicts(self, record_id: str | None = None) -> list[replica.StoredConflict]:
        with self._store._reading() as db:
            return replica.conflicts(db, record_id)

    def count_conflicts(self) -> int:
        with self._store._reading() as db:
            return int(db.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0])

    def unsettled(self, kind: str, record_ids: Sequence[str]) -> replica.Unsettled:
        """Which of these records of `kind` have changes not yet sent, and which have stored
        conflicts."""
        with self._store._reading() as db:
            return replica.unsettled(db, kind, record_ids)

    # --- attachment bytes in transit ----------------------------------------------------------

    def to_upload(self) -> list[tuple[str, int]]:
        with self._store._reading() as db:
            return blob_transfer.to_upload(db)

    def to_download(self) -> list[str]:
        with self._store._reading() as db:
            return blob_transfer.to_download(db)

    def read_range(self, sha256: str, offset: int, length: int) -> bytes:
        with self._store._reading() as db:
            return blob_transfer.read_range(db, sha256, offset, length)

    def mark_uploaded(self, sha256: str) -> None:
        with self._store._writing() as db:
            blob_transfer.mark_uploaded(db, sha256)

    def partial(self, sha256: str) -> bytes:
        with self._store._reading() as db:
            return blob_transfer.partial(db, sha256)

    def append_partial(self, sha256: str, data: bytes) -> None:
        with self._store._writing() as db:
            blob_transfer.append_partial(db, sha256, data)

    def drop_partial(self, sha256: str) -> None:
        with self._store._writing() as db:
            blob_transfer.drop_partial(db, sha256)

    # --- the log of rounds --------------------------------------------------------------------

    def log_round(self, entry: LoggedRound, *, keep: int) -> None:
        """Add a round to the log and drop all but the last `keep`."""
        with self._store._writing() as db:
            db.execute(
                f"INSERT INTO sync_log ({_LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    entry.started_at,
                    entry.finished_at,
                    entry.outcome,
                    entry.pushed,
                    entry.pulled,
                    entry.requests,
                    entry.detail,
                ],
            )
            db.execute(
                "DELETE FROM sync_log WHERE seq <= (SELECT max(seq) FROM sync_log) - ?", [keep]
            )

    def logged_rounds(self, limit: int) -> list[LoggedRound]:
        """The last `limit` rounds, newest first."""
        with self._store._reading() as db:
            rows = db.execute(
                f"SELECT {_LOG_COLUMNS} FROM sync_log ORDER BY seq DESC LIMIT ?", [limit]
            ).fetchall()
        return [LoggedRound(*row) for row in rows]
