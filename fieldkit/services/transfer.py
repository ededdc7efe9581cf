"""Import records from CSV or JSON, export them to CSV or JSON.

Import checks every row before writing any: with a bad row nothing is imported (unless the
caller asks to skip invalid rows), and the good rows go in one transaction, so a crash or a
full disk mid-import leaves the vault as it was.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.atomic_file import write_atomic
from fieldkit.domain.codec import from_plain, to_plain
from fieldkit.domain.fields import FieldType
from fieldkit.domain.ids import is_valid_id
from fieldkit.domain.query import Sort
from fieldkit.domain.records import Facility, Record
from fieldkit.errors import ImportRejected, UnreadableFile, ValidationFailed
from fieldkit.i18n import N_, _
from fieldkit.services.file_formats import (
    LIST_SEPARATOR,
    csv_rows,
    escape_formula,
    json_rows,
    read_text,
)
from fieldkit.services.records import RecordService, kind_class
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

CSV_KINDS = (Facility.KIND,)
ALREADY_THERE = N_("a record with id {record_id} is already in the vault.")
BAD_RECORD_ID = N_("id must be a record id (UUIDv7) or left empty.")
CSV_ONLY_FOR = N_("CSV import is for facilities; import {kind} from JSON.")
_SYSTEM = ("created_at", "updated_at", "author_device", "deleted")


@dataclass
class ImportResult:
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


class TransferService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def import_file(self, kind: str, path: Path, *, skip_invalid: bool = False) -> ImportResult:
        """Import records of `kind` from a .csv, .json or .jsonl file."""
        cls = kind_class(kind)
        path = Path(path)
        text = read_text(path)
        if path.suffix.lower() == ".csv":
            if cls.KIND not in CSV_KINDS:
                raise UnreadableFile(
                    path=path, reason=_(CSV_ONLY_FOR).format(kind=_(cls.PLURAL).lower())
                )
            rows = csv_rows(path, text, cls)
        else:
            rows = json_rows(path, text)
        good: list[Record] = []
        problems: list[tuple[int, str]] = []
        seen: set[str] = set()
        for row in rows:
            if row.error is not None:
                problems.append((row.line, row.error))
                continue
            record, reason = self._parse(cls, row.values, seen)
            if record is None:
                problems.append((row.line, reason))
            else:
                seen.add(record.id)
                good.append(record)
        if problems and not skip_invalid:
            raise ImportRejected(path, problems)
        with self._store.transaction():
            for record in good:
                self._store.insert(record)
            self._store.audit(AuditAction.IMPORTED, kind=cls.KIND, detail=f"count={len(good)}")
        return ImportResult(imported=len(good), skipped=problems)

    def _parse(
        self, cls: type[Record], values: dict[str, Any], seen: set[str]
    ) -> tuple[Record | None, str]:
        data = {k: v for k, v in values.items() if k not in _SYSTEM}
        record_id = data.pop("id", None) or None
        if record_id is not None:
            if not isinstance(record_id, str) or not is_valid_id(record_id):
                return None, _(BAD_RECORD_ID)
            if record_id in seen or self._store.get(cls, record_id) is not None:
                return None, _(ALREADY_THERE).format(record_id=record_id)
        parsed, problems = from_plain(cls, data)
        if problems:
            return None, " ".join(p.message for p in problems)
        record = cls(**parsed) if record_id is None else cls(id=record_id, **parsed)
        try:
            self._records.check(record)
        except ValidationFailed as failed:
            return None, " ".join(p.message for p in failed.problems)
        return record, ""

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
