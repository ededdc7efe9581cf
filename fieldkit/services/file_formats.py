"""Reading import files safely: size limits, BOMs, UTF-8 or Excel's Windows-1252, CSV cells
separated by commas or semicolons. Returns plain rows (position, field → value) or one clear
error per bad row; JSON lives in json_rows.py."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.domain.choice_lookup import fold
from fieldkit.domain.fields import FieldSpec, FieldType, Model
from fieldkit.errors import UnreadableFile
from fieldkit.i18n import LANGUAGES, N_, _, translate_in

MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_CELL_CHARS = 16 * 1024 * 1024  # a 10 MB line must be read to be reported, not crash
LIST_SEPARATOR = ";"
# Spreadsheets run cells that start with these as formulas; exports escape them with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_LIST_TYPES = {FieldType.STRINGS, FieldType.CHOICES, FieldType.REFS}

UTF8 = "UTF-8"
UTF8_BOM = N_("UTF-8 with BOM")
UTF16 = "UTF-16"
CP1252 = "Windows-1252"
# Control characters no text file has; tab, line ends, form feed and DOS's end-of-file mark can.
_BINARY = re.compile(b"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")

NOT_UTF8 = N_(
    "it is not UTF-8 text (a byte that UTF-8 does not allow is on line {line}). "
    "Save it as 'CSV UTF-8' or UTF-8 JSON and import it again."
)
NOT_TEXT = N_(
    "it is not a text file (a spreadsheet, an archive or another binary file?). "
    "Save it as CSV and import it again."
)
TOO_BIG = N_("it is larger than {limit} MB.")
BAD_CSV = N_("this line cannot be read as CSV: {error}")
UNKNOWN_COLUMNS = N_("unknown column(s): {columns}.")
BAD_ITEMS = N_("column {column} must hold a JSON list.")
ID_COLUMN = "id"


@dataclass(frozen=True)
class Row:
    """One record's plain values: `line` in the file, `index` its place among the records
    (1 = first), `error` a translated reason when the row could not even be parsed."""

    line: int
    values: dict[str, Any]
    error: str | None = None
    index: int = 0


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # UTF8, UTF8_BOM, UTF16 or CP1252: what the file was read as


def read_text(path: Path) -> Decoded:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or, when it is not
    UTF-8, Windows-1252 (what Excel's plain "CSV" writes on Windows). Binary files, and
    bytes that fit neither, are refused; size-limited."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UnreadableFile(path=path, reason=_(TOO_BIG).format(limit=MAX_IMPORT_BYTES >> 20))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path=path, reason=exc.strerror or type(exc).__name__) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(_decode(path, data, "utf-16"), UTF16)
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(_decode(path, data, "utf-8-sig"), UTF8_BOM)
    try:
        return Decoded(data.decode("utf-8"), UTF8)
    except UnicodeDecodeError as exc:
        if _BINARY.search(data) is not None:
            raise UnreadableFile(path=path, reason=_(NOT_TEXT)) from exc
        try:
            return Decoded(data.decode("cp1252"), CP1252)
        except UnicodeDecodeError:
            raise UnreadableFile(path=path, reason=_not_utf8(data, exc)) from exc


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(path=path, reason=_not_utf8(data, exc)) from exc


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    return _(NOT_UTF8).format(line=data[: error.start].count(b"\n") + 1)


# --- CSV ----------------------------------------------------------------------------------

_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


@dataclass(frozen=True)
class CsvLayout:
    delimiter: str  # "," or ";" (Excel where the decimal mark is a comma) or tab
    skip_first_line: bool  # Excel's "sep=;" line


def sniff_layout(text: str) -> CsvLayout:
    """The cell separator: an Excel `sep=` first line if there is one, else whichever of
    comma, semicolon and tab the header line (outside quotes) uses most."""
    declared = _SEP_LINE.match(text)
    if declared is not None:
        return CsvLayout(declared.group(1), skip_first_line=True)
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return CsvLayout(best if counts[best] > counts[","] else ",", skip_first_line=False)


def csv_rows(path: Path, text: str, model: type[Model], layout: CsvLayout) -> Iterator[Row]:
    """Rows of a CSV file; list columns split on ';', value-object columns hold JSON.
    A header cell may name a field or give its label in either language."""
    csv.field_size_limit(MAX_CELL_CHARS)
    specs = {spec.name: spec for spec in model.specs()}
    source = io.StringIO(text, newline="")
    if layout.skip_first_line:
        source.readline()
    reader = csv.reader(source, delimiter=layout.delimiter)
    first = 2 if layout.skip_first_line else 1
    try:
        header = [column_field(model, name) or name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise UnreadableFile(path=path, reason=_(BAD_CSV).format(error=exc)) from exc
    unknown = [name for name in header if name not in specs and name != ID_COLUMN]
    if unknown:
        raise UnreadableFile(
            path=path, reason=_(UNKNOWN_COLUMNS).format(columns=", ".join(unknown[:10])[:300])
        )
    modes = {name: _cell_mode(specs.get(name)) for name in header}  # once, not per cell
    index = 0
    while True:
        line = reader.line_num + first
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            index += 1
            yield Row(line, {}, _(BAD_CSV).format(error=exc), index)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        index += 1
        yield _csv_row(line, index, dict(zip(header, cells, strict=False)), modes)


def column_field(model: type[Model], heading: str) -> str | None:
    """The field a column heading names: its name or its label in English or Spanish."""
    folded = fold(heading)
    for spec in model.specs():
        names = [spec.name, *(translate_in(language, spec.label) for language in LANGUAGES)]
        if any(fold(name) == folded for name in names):
            return spec.name
    return ID_COLUMN if folded == ID_COLUMN else None


_AS_IS, _LIST, _ITEMS = 0, 1, 2  # how a CSV cell becomes a value


def _cell_mode(spec: FieldSpec | None) -> int:
    if spec is not None and spec.type in _LIST_TYPES:
        return _LIST
    if spec is not None and spec.type is FieldType.ITEMS:
        return _ITEMS
    return _AS_IS


def _csv_row(line: int, index: int, cells: dict[str, str], modes: dict[str, int]) -> Row:
    values: dict[str, Any] = {}
    for name, cell in cells.items():
        value = unescape_formula(cell)
        mode = modes[name]
        if mode == _LIST:
            values[name] = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        elif mode == _ITEMS:
            try:
                values[name] = json.loads(value) if value.strip() else []
            except (json.JSONDecodeError, RecursionError):
                return Row(line, {}, _(BAD_ITEMS).format(column=name), index)
        else:
            values[name] = value
    return Row(line, values, None, index)


def count_lines(text: str) -> int:
    """Lines in `text`: the denominator of a CSV import's progress."""
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def escape_formula(cell: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


def unescape_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell
