"""Property tests: any sequence of saves, edits and deletes leaves the tables, the journal and
the search index agreeing with a simple model, and search finds text however it is accented."""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.domain.codec import to_plain
from fieldkit.domain.query import Equals
from fieldkit.domain.records import Facility
from fieldkit.errors import DiskFull
from fieldkit.store.store import Store

WORDS = ["potosí", "reinstalación", "Silao", "ÑANDÚ", "huelga", "contrato", "Querétaro", "llantas"]
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
operations = st.lists(
    st.tuples(st.sampled_from(["create", "edit", "delete"]), st.integers(0, 20), names),
    min_size=1,
    max_size=25,
)


def plain_word(word: str) -> str:
    """What a hurried user types: no accents, lower case, sometimes only the start."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
    )
    return stripped.lower()[: max(3, len(stripped) - 2)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_store_journal_and_search_agree_with_a_model(tmp_path_factory, ops) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path_factory.mktemp("p") / "v.db", os.urandom(32))
    model: dict[str, Facility] = {}
    for action, pick, name in ops:
        live = sorted(model)
        with store.transaction():
            if action == "create" or not live:
                saved = store.insert(Facility(name=name))
            else:
                current = model[live[pick % len(live)]]
                change = {"name": name} if action == "edit" else {"deleted": True}
                saved = store.update(current, dataclasses.replace(current, **change))
        if saved.deleted:
            model.pop(saved.id)
        else:
            model[saved.id] = saved

    assert {f.id: f for f in store.list(Facility)} == model
    # The newest journal value of every field is the field's stored value.
    for facility in model.values():
        newest: dict[str, object] = {}
        for entry in store.journal_entries(record_id=facility.id):
            newest.update(entry.changes)
        plain = to_plain(facility)
        assert {k: v for k, v in newest.items() if k in plain} == plain
    # Every live record is found by each of its words, typed plainly; deleted ones never.
    for facility in model.values():
        for word in facility.name.split():
            assert facility.id in {h.record_id for h in store.search(plain_word(word), limit=500)}
    found = {h.record_id for w in WORDS for h in store.search(plain_word(w), limit=500)}
    assert found == set(model)
    store.close()


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    with store.transaction():
        kept = store.insert(Facility(name="ya guardado"))
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = "x" * 400
    failed_at = None
    for attempt in range(200):
        try:
            with store.transaction():
                store.insert(Facility(name=f"nuevo {attempt}", address=big, municipality=big))
        except DiskFull as error:
            failed_at = attempt
            assert "disk is full" in error.message
            break
    assert failed_at is not None
    # Nothing half-written: every saved record is whole, and the failed one left no trace.
    assert store.get(Facility, kept.id) == kept
    assert store.count(Facility) == failed_at + 1
    assert store.list(Facility, filters=[Equals("name", f"nuevo {failed_at}")]) == []
    journaled = {e.record_id for e in store.journal_entries(limit=100_000)}
    assert journaled == {f.id for f in store.list(Facility)}
    assert store.integrity_problems() == []
