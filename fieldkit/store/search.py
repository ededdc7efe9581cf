"""FTS5 search inside the encrypted database: prefix matches, accents and case ignored,
newest first."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from fieldkit.domain.search_text import MATCH_END, MATCH_START
from fieldkit.store.json_rows import insert_rows

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


@dataclass(frozen=True)
class SearchHit:
    """A record search found. `snippet` (words around the matches in the body) and
    `marked_title` hold MATCH_START and MATCH_END around each match; `title` holds none."""

    kind: str
    record_id: str
    title: str
    snippet: str
    marked_title: str = ""


def index(
    db: Database, kind: str, record_id: str, title: str, body: str, *, new: bool = False
) -> None:
    """(Re)index a record (`new`: never indexed before); it takes a new, larger rowid so it
    sorts as the newest."""
    if not new:
        remove(db, record_id)
    cursor = db.execute(
        "INSERT INTO search_docs (kind, record_id) VALUES (?, ?)", [kind, record_id]
    )
    db.execute(
        "INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)",
        [cursor.lastrowid, title, body],
    )


def index_many(
    db: Database, entries: Sequence[tuple[str, str, str, str]], *, replaced: Sequence[str] = ()
) -> None:
    """Index many records at once: drop the entries of `replaced` record ids, then add
    (kind, record_id, title, body) entries with new rowids in order (the last is newest)."""
    if replaced:
        ids = json.dumps(list(replaced))
        db.execute(
            "DELETE FROM search_index WHERE rowid IN (SELECT docid FROM search_docs "
            "WHERE record_id IN (SELECT value FROM json_each(?)))",
            [ids],
        )
        db.execute(
            "DELETE FROM search_docs WHERE record_id IN (SELECT value FROM json_each(?))", [ids]
        )
    if not entries:
        return
    first = int(db.execute("SELECT coalesce(max(docid), 0) + 1 FROM search_docs").fetchone()[0])
    insert_rows(
        db,
        "search_docs",
        ("docid", "kind", "record_id"),
        [(first + n, kind, record_id) for n, (kind, record_id, _, _) in enumerate(entries)],
    )
    insert_rows(
        db,
        "search_index",
        ("rowid", "title", "body"),
        [(first + n, title, body) for n, (_, _, title, body) in enumerate(entries)],
    )


def remove(db: Database, record_id: str) -> None:
    row = db.execute("SELECT docid FROM search_docs WHERE record_id = ?", [record_id]).fetchone()
    if row is not None:
        db.execute("DELETE FROM search_index WHERE rowid = ?", [row[0]])
        db.execute("DELETE FROM search_docs WHERE docid = ?", [row[0]])


def match_expression(text: str) -> str | None:
    """User text to an FTS5 query: every word must match, each as a prefix."""
    words = _WORD.findall(text)[:MAX_TERMS]
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def query(
    db: Database, text: str, kinds: Sequence[str] | None = None, limit: int = 50
) -> list[SearchHit]:
    expression = match_expression(text)
    if expression is None:
        return []
    kind_filter = ""
    params: list[object] = [expression]
    if kinds:
        kind_filter = f"AND d.kind IN ({', '.join('?' for _ in kinds)})"
        params.extend(kinds)
    # FTS5 cuts snippets at token boundaries, so a snippet never ends inside a word.
    rows = db.execute(
        "SELECT d.kind, d.record_id, s.title, "
        "snippet(search_index, 1, ?, ?, '…', 12), highlight(search_index, 0, ?, ?) "
        "FROM search_index s JOIN search_docs d ON d.docid = s.rowid "
        f"WHERE search_index MATCH ? {kind_filter} ORDER BY s.rowid DESC LIMIT ?",
        [MATCH_START, MATCH_END, MATCH_START, MATCH_END, *params, limit],
    ).fetchall()
    return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]
