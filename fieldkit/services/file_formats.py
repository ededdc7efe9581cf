"""Reading import files safely: size limits, BOMs, strict UTF-8, CSV cells, JSON with line
numbers. Returns plain rows (line number, field → value) or one clear error per bad row."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.domain.fields import FieldType, Model
from fieldkit.errors import UnreadableFile
from fieldkit.i18n import N_, _

MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_CELL_CHARS = 16 * 1024 * 1024  # a 10 MB line must be read to be reported, not crash
LIST_SEPARATOR = ";"
# Spreadsheets run cells that start with these as formulas; exports escape them with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_LIST_TYPES = {FieldType.STRINGS, FieldType.CHOICES, FieldType.REFS}

NOT_UTF8 = N_(
    "it is not UTF-8 text (a byte that UTF-8 does not allow is on line {line}). "
    "Save it as 'CSV UTF-8' or UTF-8 JSON and import it again."
)
TOO_BIG = N_("it is larger than {limit} MB.")
BAD_JSON = N_("it is not valid JSON ({error} on line {line}).")
NOT_A_LIST = N_("a JSON import must be a list of objects, or an object with a 'records' list.")
NOT_AN_OBJECT = N_("this entry is not a JSON object.")
BAD_CSV = N_("this line cannot be read as CSV: {error}")
UNKNOWN_COLUMNS = N_("unknown column(s): {columns}.")
BAD_ITEMS = N_("column {column} must hold a JSON list.")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]
    error: str | None = None  # a translated reason when the row could not even be parsed


def read_text(path: Path) -> str:
    """The file's text: BOM-aware, strict UTF-8 (or UTF-16 with a BOM), size-limited."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UnreadableFile(path=path, reason=_(TOO_BIG).format(limit=MAX_IMPORT_BYTES >> 20))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path=path, reason=exc.strerror or type(exc).__name__) from exc
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(path=path, reason=_(NOT_UTF8).format(line=line)) from exc


def json_rows(path: Path, text: str) -> Iterator[Row]:
    """Objects of a JSON array (or {"records": [...]}, or JSON Lines) with their line numbers."""
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    if not stripped:
        return
    if stripped[0] != "[" and stripped[0] != "{":
        raise UnreadableFile(path=path, reason=_(NOT_A_LIST))
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _json_lines(path, text, decoder)
        return
    try:
        document = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            path=path, reason=_(BAD_JSON).format(error=exc.msg, line=exc.lineno)
        ) from exc
    except RecursionError as exc:
        raise UnreadableFile(path=path, reason=_(NOT_A_LIST)) from exc
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        records = document["records"]
    elif isinstance(document, list):
        records = document
    else:
        raise UnreadableFile(path=path, reason=_(NOT_A_LIST))
    lines = _element_lines(text, len(records))
    for index, entry in enumerate(records):
        line = lines[index] if index < len(lines) else 0
        if isinstance(entry, dict):
            yield Row(line, entry)
        else:
            yield Row(line, {}, _(NOT_AN_OBJECT))


_OBJECT_START = re.compile(r"[\[,]\s*\{")


def _element_lines(text: str, count: int) -> list[int]:
    """Line numbers of the top-level objects, found by re-walking the text with raw_decode."""
    decoder = json.JSONDecoder()
    start = text.find("[", 0 if text.lstrip().startswith("[") else text.find('"records"'))
    lines: list[int] = []
    position = start + 1
    line = text.count("\n", 0, position) + 1
    while len(lines) < count:
        while position < len(text) and text[position] in " \t\r\n,":
            if text[position] == "\n":
                line += 1
            position += 1
        if position >= len(text) or text[position] == "]":
            break
        lines.append(line)
        _, end = decoder.raw_decode(text, position)
        line += text.count("\n", position, end)
        position = end
    return lines


def _json_lines(path: Path, text: str, decoder: json.JSONDecoder) -> Iterator[Row]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = decoder.decode(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Row(number, {}, _(BAD_JSON).format(error=type(exc).__name__, line=number))
            continue
        if isinstance(entry, dict):
            yield Row(number, entry)
        else:
            yield Row(number, {}, _(NOT_AN_OBJECT))


def csv_rows(path: Path, text: str, model: type[Model]) -> Iterator[Row]:
    """Rows of a CSV file; list columns split on ';', value-object columns hold JSON."""
    csv.field_size_limit(MAX_CELL_CHARS)
    specs = {spec.name: spec for spec in model.specs()}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise UnreadableFile(path=path, reason=_(BAD_CSV).format(error=exc)) from exc
    unknown = [name for name in header if name not in specs and name != "id"]
    if unknown:
        raise UnreadableFile(
            path=path, reason=_(UNKNOWN_COLUMNS).format(columns=", ".join(unknown[:10])[:300])
        )
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(line, {}, _(BAD_CSV).format(error=exc))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield _csv_row(line, dict(zip(header, cells, strict=False)), specs)


def _csv_row(line: int, cells: dict[str, str], specs: dict[str, Any]) -> Row:
    values: dict[str, Any] = {}
    for name, cell in cells.items():
        value = unescape_formula(cell)
        spec = specs.get(name)
        if spec is not None and spec.type in _LIST_TYPES:
            values[name] = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        elif spec is not None and spec.type is FieldType.ITEMS:
            try:
                values[name] = json.loads(value) if value.strip() else []
            except (json.JSONDecodeError, RecursionError):
                return Row(line, {}, _(BAD_ITEMS).format(column=name))
        else:
            values[name] = value
    return Row(line, values)


def escape_formula(cell: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


def unescape_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell
