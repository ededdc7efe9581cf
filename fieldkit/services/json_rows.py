"""Records of a JSON import: a list of objects, `{"records": [...]}`, or JSON Lines. Each row
knows its place among the records (what a problem names: a one-line file has every record
on line 1) and, for JSON Lines, its line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from fieldkit.errors import UnreadableFile
from fieldkit.i18n import N_, _
from fieldkit.services.file_formats import Row

BAD_JSON = N_("it is not valid JSON ({error} on line {line}).")
NOT_A_LIST = N_("a JSON import must be a list of objects, or an object with a 'records' list.")
NOT_AN_OBJECT = N_("this entry is not a JSON object.")
JSON_LINES = (".jsonl", ".ndjson")


def is_json_lines(path: Path) -> bool:
    return path.suffix.lower() in JSON_LINES


def json_rows(path: Path, text: str) -> list[Row]:
    """Every entry of the file as a row, numbered from 1 in `index`."""
    stripped = text.lstrip()
    if not stripped:
        return []
    if stripped[0] not in "[{":
        raise UnreadableFile(path=path, reason=_(NOT_A_LIST))
    if is_json_lines(path):
        return list(_json_lines(text))
    try:
        document = json.loads(text)
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
    return [
        Row(0, entry, None, index)
        if isinstance(entry, dict)
        else Row(0, {}, _(NOT_AN_OBJECT), index)
        for index, entry in enumerate(records, start=1)
    ]


def _json_lines(text: str) -> Iterator[Row]:
    decoder = json.JSONDecoder()
    index = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        index += 1
        try:
            entry = decoder.decode(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = _(BAD_JSON).format(error=type(exc).__name__, line=number)
            yield Row(number, {}, reason, index)
            continue
        if isinstance(entry, dict):
            yield Row(number, entry, None, index)
        else:
            yield Row(number, {}, _(NOT_AN_OBJECT), index)
