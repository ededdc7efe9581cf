"""The import pipeline: read a file into rows, check each row into a record (choices by code
or label, ids, validation, likely duplicates), and hand the good records to the store's bulk
path in batches. Preview runs the same checks and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.domain.choice_lookup import fold, with_choice_codes
from fieldkit.domain.codec import from_plain
from fieldkit.domain.ids import is_valid_id
from fieldkit.domain.records import SYSTEM_FIELDS, Facility, Record
from fieldkit.errors import UnreadableFile, ValidationFailed
from fieldkit.i18n import N_, _
from fieldkit.services.file_formats import (
    CsvLayout,
    Row,
    count_lines,
    csv_rows,
    read_text,
    sniff_layout,
)
from fieldkit.services.json_rows import is_json_lines, json_rows
from fieldkit.services.records import RecordService
from fieldkit.store import bulk
from fieldkit.store.store import Store

CSV_KINDS = (Facility.KIND,)
BATCH = 1000
ALREADY_THERE = N_("a record with id {record_id} is already in the vault.")
BAD_RECORD_ID = N_("id must be a record id (UUIDv7) or left empty.")
CSV_ONLY_FOR = N_("CSV import is for facilities; import {kind} from JSON.")
LIKELY_DUPLICATE = N_("likely a duplicate of the facility '{name}' already in the vault.")
DUPLICATE_IN_FILE = N_("likely a duplicate of '{name}' earlier in this file.")
Progress = Callable[[int, int], None]  # (done, total), in the file's lines or records


def _no_progress(done: int, total: int) -> None:
    """Progress nobody watches."""


@dataclass(frozen=True)
class Source:
    """An import file as read: its rows and how it was read."""

    path: Path
    cls: type[Record]
    encoding: str
    delimiter: str | None  # CSV only
    unit: str  # what a position counts: "line" (CSV, JSON Lines) or "record" (a JSON list)
    total: int  # lines or records: the denominator of progress
    rows: Iterable[Row]

    def position(self, row: Row) -> int:
        return row.index if self.unit == "record" else row.line


def open_source(cls: type[Record], path: Path) -> Source:
    path = Path(path)
    decoded = read_text(path)
    if path.suffix.lower() == ".csv":
        if cls.KIND not in CSV_KINDS:
            reason = _(CSV_ONLY_FOR).format(kind=_(cls.PLURAL).lower())
            raise UnreadableFile(path=path, reason=reason)
        layout: CsvLayout = sniff_layout(decoded.text)
        rows = csv_rows(path, decoded.text, cls, layout)
        total = count_lines(decoded.text)
        return Source(path, cls, decoded.encoding, layout.delimiter, "line", total, rows)
    entries = json_rows(path, decoded.text)
    unit = "line" if is_json_lines(path) else "record"
    total = count_lines(decoded.text) if unit == "line" else len(entries)
    return Source(path, cls, decoded.encoding, None, unit, total, entries)


@dataclass
class Checked:
    """What checking a file found: problems and likely duplicates as (position, reason)."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    good: int = 0
    rows: int = 0


class RowChecker:
    """Turns rows into records, noting problems and likely duplicates in `found`."""

    def __init__(self, store: Store, records: RecordService, source: Source) -> None:
        self._store = store
        self._records = records
        self._source = source
        self._seen_ids: set[str] = set()
        self._names: dict[tuple[str, str | None], str] | None = None
        self._names_in_file: dict[tuple[str, str | None], str] = {}
        self.found = Checked()

    def batches(
        self, progress: Progress, *, skip_duplicates: bool = False
    ) -> Iterator[list[Record]]:
        """Good records in batches (likely duplicates left out with `skip_duplicates`)."""
        batch: list[tuple[Row, dict[str, Any]]] = []
        for row in self._source.rows:
            batch.append((row, row.values))
            if len(batch) >= BATCH:
                yield self._check_batch(batch, skip_duplicates)
                progress(self._source.position(row), self._source.total)
                batch = []
        if batch:
            yield self._check_batch(batch, skip_duplicates)
        progress(self._source.total, self._source.total)

    def _check_batch(
        self, batch: list[tuple[Row, dict[str, Any]]], skip_duplicates: bool
    ) -> list[Record]:
        ids = [v["id"] for _, v in batch if isinstance(v.get("id"), str) and v["id"]]
        existing = bulk.existing_ids(self._store, self._source.cls.KIND, ids)
        good: list[Record] = []
        for row, values in batch:
            self.found.rows += 1
            where = self._source.position(row)
            if row.error is not None:
                self.found.problems.append((where, row.error))
                continue
            record, reason = self._parse(values, existing)
            if record is None:
                self.found.problems.append((where, reason))
                continue
            self.found.good += 1
            duplicate = self._duplicate(record)
            if duplicate is not None:
                self.found.duplicates.append((where, duplicate))
                if skip_duplicates:
                    continue
            good.append(record)
        return good

    def _parse(self, values: dict[str, Any], existing: set[str]) -> tuple[Record | None, str]:
        cls = self._source.cls
        data = {k: v for k, v in values.items() if k not in SYSTEM_FIELDS or k == "id"}
        record_id = data.pop("id", None) or None
        if record_id is not None:
            if not isinstance(record_id, str) or not is_valid_id(record_id):
                return None, _(BAD_RECORD_ID)
            if record_id in self._seen_ids or record_id in existing:
                return None, _(ALREADY_THERE).format(record_id=record_id)
        coded, problems = with_choice_codes(cls, data)
        parsed, more = from_plain(cls, coded)
        problems += [p for p in more if p.path not in {q.path for q in problems}]
        if problems:
            return None, " ".join(p.message for p in problems)
        record = cls(**parsed) if record_id is None else cls(id=record_id, **parsed)
        try:
            self._records.check(record)
        except ValidationFailed as failed:
            return None, " ".join(p.message for p in failed.problems)
        if record_id is not None:
            self._seen_ids.add(record_id)
        return record, ""

    def _duplicate(self, record: Record) -> str | None:
        """Why `record` is likely a facility already known (same name and state, accents
        and case aside), or None."""
        if not isinstance(record, Facility):
            return None
        if self._names is None:
            self._names = {}
            for name, state in bulk.facility_names_and_states(self._store):
                self._names.setdefault((fold(name), state), name)
        key = (fold(record.name), record.state.value if record.state else None)
        known = self._names.get(key)
        if known is not None:
            return _(LIKELY_DUPLICATE).format(name=known)
        earlier = self._names_in_file.get(key)
        if earlier is not None:
            return _(DUPLICATE_IN_FILE).format(name=earlier)
        self._names_in_file[key] = record.name
        return None
