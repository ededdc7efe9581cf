"""Import records from CSV or JSON, export them to CSV or JSON.

Import checks every row before writing any: with a bad row nothing is imported (unless the
caller asks to skip invalid rows), and the good rows go in one transaction, so a crash or a
full disk mid-import leaves the vault as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fieldkit.atomic_file import write_atomic
from fieldkit.domain.codec import to_plain
from fieldkit.domain.fields import FieldType
from fieldkit.domain.query import Sort
from fieldkit.domain.records import Record
from fieldkit.errors import ImportRejected
from fieldkit.services.file_formats import LIST_SEPARATOR, Row, escape_formula
from fieldkit.services.importing import Progress, RowChecker, _no_progress, open_source
from fieldkit.services.records import RecordService, kind_class
from fieldkit.store import bulk
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

SAMPLE_ROWS = 20


@dataclass
class ImportResult:
    """What an import did. Positions are lines of a CSV or JSON Lines file, records of a JSON
    list (`unit`); `duplicates` were imported, or skipped when asked."""

    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    duplicates_skipped: bool = False
    encoding: str = ""
    delimiter: str | None = None
    unit: str = "line"


@dataclass
class ImportPreview:
    """What importing a file would do, found without writing anything."""

    kind: str
    encoding: str
    delimiter: str | None
    unit: str
    columns: list[str]  # field names, in the file's order
    sample: list[tuple[int, dict[str, Any]]]  # the first rows as read: (position, values)
    rows: int
    ready: int  # rows that would be imported (likely duplicates included)
    problems: list[tuple[int, str]]
    duplicates: list[tuple[int, str]]


class TransferService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def import_file(
        self,
        kind: str,
        path: Path,
        *,
        skip_invalid: bool = False,
        skip_duplicates: bool = False,
        progress: Progress = _no_progress,
    ) -> ImportResult:
        """Import records of `kind` from a .csv, .json or .jsonl file, all or nothing:
        every row is checked, and with a bad row (unless `skip_invalid`) nothing is kept.
        `progress(done, total)` follows the file as it is read."""
        source = open_source(kind_class(kind), Path(path))
        checker = RowChecker(self._store, self._records, source)
        found = checker.found

        def good_batches() -> Iterator[list[Record]]:
            for batch in checker.batches(progress, skip_duplicates=skip_duplicates):
                if found.problems and not skip_invalid:
                    continue  # nothing will be kept: check the rest, write no more
                yield batch
            if found.problems and not skip_invalid:
                raise ImportRejected(source.path, found.problems, unit=source.unit)

        with self._store.transaction():
            imported = bulk.insert_records(self._store, good_batches(), _no_count)
            detail = f"count={imported}"
            self._store.audit(AuditAction.IMPORTED, kind=source.cls.KIND, detail=detail)
        return ImportResult(
            imported=imported,
            skipped=found.problems,
            duplicates=found.duplicates,
            duplicates_skipped=skip_duplicates,
            encoding=source.encoding,
            delimiter=source.delimiter,
            unit=source.unit,
        )

    def preview_import(
        self, kind: str, path: Path, *, progress: Progress = _no_progress
    ) -> ImportPreview:
        """Read and check the whole file as an import would, writing nothing: the first
        rows, every problem and every likely duplicate."""
        source = open_source(kind_class(kind), Path(path))
        sample: list[tuple[int, dict[str, Any]]] = []
        columns: dict[str, None] = {}

        def sampled() -> Iterator[Row]:
            for row in source.rows:
                if len(sample) < SAMPLE_ROWS:
                    sample.append((source.position(row), row.values))
                    columns.update(dict.fromkeys(row.values))
                yield row

        checker = RowChecker(self._store, self._records, replace(source, rows=sampled()))
        for _batch in checker.batches(progress):
            pass
        found = checker.found
        return ImportPreview(
            kind=source.cls.KIND,
            encoding=source.encoding,
            delimiter=source.delimiter,
            unit=source.unit,
            columns=list(columns),
            sample=sample,
            rows=found.rows,
            ready=found.good,
            problems=found.problems,
            duplicates=found.duplicates,
        )

    def export(
        self,
        kind: str,
        fmt: str,
        output: Path | None = None,
        *,
        include_deleted: bool = False,
    ) -> tuple[str, int]:
        """Export every record of `kind` as 'json' or 'csv'. Writes `output` atomically when
        given; returns (text, count)."""
        cls = kind_class(kind)
        records = self._records.list(
            cls, include_deleted=include_deleted, sort=[Sort("created_at")]
        )
        text = _to_csv(cls, records) if fmt == "csv" else _to_json(records)
        if output is not None:
            write_atomic(Path(output), text.encode("utf-8"), mode=0o600)
        self._store.audit(
            AuditAction.EXPORTED, kind=cls.KIND, detail=f"format={fmt},count={len(records)}"
        )
        return text, len(records)


def _no_count(_stored: int) -> None:
    """The bulk path's own count: progress follows the file instead."""


def _system(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "author_device": record.author_device,
        "deleted": record.deleted,
    }


def _to_json(records: list[Record]) -> str:
    payload = [{**_system(r), **to_plain(r)} for r in records]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _to_csv(cls: type[Record], records: list[Record]) -> str:
    specs = cls.specs()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", *(s.name for s in specs)])
    for record in records:
        plain = to_plain(record)
        cells = [record.id]
        for spec in specs:
            value = plain[spec.name]
            if spec.type is FieldType.ITEMS:
                cell = json.dumps(value, ensure_ascii=False) if value else ""
            elif isinstance(value, list):
                cell = f"{LIST_SEPARATOR} ".join(value)
            elif isinstance(value, bool):
                cell = "yes" if value else "no"
            else:
                cell = "" if value is None else str(value)
            cells.append(escape_formula(cell))
        writer.writerow(cells)
    return buffer.getvalue()
