"""Records to and from plain JSON values: the one format for storage columns, the journal,
import and export. Parsing never raises on bad input: it returns the problems it found.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar, cast

from fieldkit.domain.fields import FieldSpec, FieldType, Model
from fieldkit.domain.ids import is_valid_id
from fieldkit.domain.problems import FieldProblem
from fieldkit.i18n import N_

M = TypeVar("M", bound=Model)
Plain = Any  # str | int | bool | None | list[Plain] | dict[str, Plain]

BAD_DATE = N_("{field} must be a date written YYYY-MM-DD.")
BAD_AMOUNT = N_("{field} must be a number such as 1250.50.")
BAD_INTEGER = N_("{field} must be a whole number.")
BAD_BOOL = N_("{field} must be yes or no.")
BAD_CHOICE = N_("{field}: '{value}' is not one of the allowed values ({allowed}).")
BAD_ID = N_("{field} must be a record id.")
BAD_LIST = N_("{field} must be a list.")
BAD_TEXT = N_("{field} must be text.")
UNKNOWN_FIELD = N_("{field} is not a field of this record.")
MAX_DIGITS = 18


# Field types whose values are their own plain form (`value_to_plain` returns them as they are).
PLAIN_AS_IS = frozenset(
    {FieldType.TEXT, FieldType.LONGTEXT, FieldType.BOOL, FieldType.INTEGER, FieldType.REF}
)


def to_plain(obj: Model) -> dict[str, Plain]:
    """Every declared field of `obj` as a JSON-ready value."""
    return {spec.name: value_to_plain(spec, getattr(obj, spec.name)) for spec in obj.specs()}


def value_to_plain(spec: FieldSpec, value: Any) -> Plain:
    t = spec.type
    if value is None:
        return None
    if t is FieldType.DATE:
        return str(value.isoformat())
    if t in (FieldType.MONEY, FieldType.NUMBER):
        return format(value, "f")
    if t is FieldType.CHOICE:
        return str(value)
    if t in (FieldType.CHOICES, FieldType.REFS, FieldType.STRINGS):
        return [str(v) for v in value]
    if t is FieldType.ITEMS:
        return [to_plain(item) for item in value]
    return value


def from_plain(
    cls: type[M], data: Mapping[str, Plain], *, base: M | None = None
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Parse `data` into field values for `cls`; unknown keys are problems, missing keys
    keep `base`'s value (or the default). Returns (values, problems)."""
    known = _parsers(cls)
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, raw in data.items():
        found = known.get(key)
        if found is None:
            problems.append(FieldProblem(str(key), str(key), UNKNOWN_FIELD))
            continue
        spec, parser = found
        try:  # parse_value, inlined: an import parses every field of 100,000 rows
            values[key] = parser(spec, raw)
        except _Problems as bad:
            problems.extend(bad.problems)
        except (ValueError, TypeError, InvalidOperation, ArithmeticError):
            problems.append(FieldProblem(spec.name, spec.label, _MESSAGES[spec.type]))
    if base is not None:
        for name in known:
            values.setdefault(name, getattr(base, name))
    return values, problems


_Parser = Callable[[FieldSpec, Plain], Any]
_PARSERS_BY_NAME: dict[type[Model], dict[str, tuple[FieldSpec, _Parser]]] = {}


def _parsers(cls: type[Model]) -> dict[str, tuple[FieldSpec, _Parser]]:
    """Each field of `cls` by name, with its parser."""
    found = _PARSERS_BY_NAME.get(cls)
    if found is None:
        found = _PARSERS_BY_NAME[cls] = {
            spec.name: (spec, _PARSERS[spec.type]) for spec in cls.specs()
        }
    return found


def parse_value(spec: FieldSpec, raw: Plain) -> tuple[Any, list[FieldProblem]]:
    """One field's value from plain input, or the problems that stop it."""
    parser = _PARSERS[spec.type]
    try:
        return parser(spec, raw), []
    except _Problems as bad:
        return None, bad.problems
    except (ValueError, TypeError, InvalidOperation, ArithmeticError):
        return None, [FieldProblem(spec.name, spec.label, _MESSAGES[spec.type])]


class _Problems(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems


def _blank(raw: Plain) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def normalize_text(raw: str) -> str:
    """NFC, so 'Potosí' typed with a combining accent equals the precomposed one."""
    return unicodedata.normalize("NFC", raw)


def _text(spec: FieldSpec, raw: Plain) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise TypeError
    return normalize_text(str(raw))


def _date(spec: FieldSpec, raw: Plain) -> dt.date | None:
    if _blank(raw):
        return None
    if not isinstance(raw, str):
        raise TypeError
    return dt.date.fromisoformat(raw.strip())


def _decimal(spec: FieldSpec, raw: Plain) -> Decimal | None:
    if _blank(raw):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise TypeError
    text = str(raw).strip().replace(",", "").removeprefix("$").strip()
    value = Decimal(text)
    if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS:
        raise ValueError
    if spec.type is FieldType.MONEY:
        value = value.quantize(Decimal("0.01"))
    return value


def _integer(spec: FieldSpec, raw: Plain) -> int:
    if _blank(raw):
        return 0
    if isinstance(raw, bool):
        raise TypeError
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and len(raw) <= MAX_DIGITS:
        return int(raw.strip())
    raise TypeError


_TRUE = {"true", "yes", "y", "1", "sí", "si", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def _bool(spec: FieldSpec, raw: Plain) -> bool:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise TypeError


def _choice(spec: FieldSpec, raw: Plain) -> StrEnum | None:
    assert spec.choice is not None
    if _blank(raw):
        return cast("StrEnum | None", spec.default)
    if not isinstance(raw, str):
        raise TypeError
    return _one_choice(spec, raw)


def _one_choice(spec: FieldSpec, raw: str) -> StrEnum:
    assert spec.choice is not None
    exact, folded = _choice_names(spec.choice)
    cleaned = raw.strip()
    member = exact.get(cleaned) or folded.get(cleaned.lower())
    if member is not None:
        return member
    allowed = ", ".join(m.value for m in spec.choice)
    raise _Problems(
        [FieldProblem(spec.name, spec.label, BAD_CHOICE, {"value": raw[:40], "allowed": allowed})]
    )


@functools.cache
def _choice_names(choice: type[StrEnum]) -> tuple[dict[str, StrEnum], dict[str, StrEnum]]:
    """A choice's members by value and by name, and by value in lower case."""
    exact: dict[str, StrEnum] = {}
    folded: dict[str, StrEnum] = {}
    for member in choice:
        exact.setdefault(member.value, member)
        exact.setdefault(member.name, member)
        folded.setdefault(member.value.lower(), member)
    return exact, folded


def _ref(spec: FieldSpec, raw: Plain) -> str | None:
    if _blank(raw):
        return None
    if not isinstance(raw, str) or not is_valid_id(raw.strip()):
        raise TypeError
    return raw.strip()


def _list(raw: Plain) -> list[Plain]:
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise _ListError
    return list(raw)


class _ListError(TypeError):
    pass


def _strings(spec: FieldSpec, raw: Plain) -> tuple[str, ...]:
    return tuple(_text(spec, v) for v in _list(raw) if not _blank(v))


def _choices(spec: FieldSpec, raw: Plain) -> tuple[StrEnum, ...]:
    values = _list(raw)
    if not all(isinstance(v, str) for v in values):
        raise TypeError
    return tuple(dict.fromkeys(_one_choice(spec, v) for v in values))


def _refs(spec: FieldSpec, raw: Plain) -> tuple[str, ...]:
    parsed = (_ref(spec, v) for v in _list(raw))
    return tuple(dict.fromkeys(v for v in parsed if v))


def _items(spec: FieldSpec, raw: Plain) -> tuple[Model, ...]:
    assert spec.item is not None
    result: list[Model] = []
    problems: list[FieldProblem] = []
    for index, entry in enumerate(_list(raw)):
        if not isinstance(entry, Mapping):
            problems.append(FieldProblem(f"{spec.name}[{index + 1}]", spec.label, BAD_LIST))
            continue
        values, found = from_plain(spec.item, entry)
        problems.extend(p.nested(f"{spec.name}[{index + 1}]") for p in found)
        if not found:
            result.append(spec.item(**values))
    if problems:
        raise _Problems(problems)
    return tuple(result)


_PARSERS = {
    FieldType.TEXT: _text,
    FieldType.LONGTEXT: _text,
    FieldType.DATE: _date,
    FieldType.MONEY: _decimal,
    FieldType.NUMBER: _decimal,
    FieldType.INTEGER: _integer,
    FieldType.BOOL: _bool,
    FieldType.CHOICE: _choice,
    FieldType.CHOICES: _choices,
    FieldType.REF: _ref,
    FieldType.REFS: _refs,
    FieldType.STRINGS: _strings,
    FieldType.ITEMS: _items,
}

_MESSAGES = {
    FieldType.TEXT: BAD_TEXT,
    FieldType.LONGTEXT: BAD_TEXT,
    FieldType.DATE: BAD_DATE,
    FieldType.MONEY: BAD_AMOUNT,
    FieldType.NUMBER: BAD_AMOUNT,
    FieldType.INTEGER: BAD_INTEGER,
    FieldType.BOOL: BAD_BOOL,
    FieldType.CHOICE: BAD_TEXT,
    FieldType.CHOICES: BAD_LIST,
    FieldType.REF: BAD_ID,
    FieldType.REFS: BAD_ID,
    FieldType.STRINGS: BAD_LIST,
    FieldType.ITEMS: BAD_LIST,
}
