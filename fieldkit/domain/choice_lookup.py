"""Choices and record kinds as people write them: codes (`SLP`), English labels (`San Luis
Potosi`), Spanish labels (`Automotriz`), in any case and with or without accents.

Imports and the command line use these so that a spreadsheet of facilities exported from any
system reads as is; an unknown value gets the closest known one as a suggestion.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fieldkit.domain.choices import LABELS, MexicanState
from fieldkit.domain.fields import FieldSpec, FieldType, Model
from fieldkit.domain.problems import FieldProblem
from fieldkit.domain.records import KINDS, Record
from fieldkit.i18n import LANGUAGES, N_, translate_in

UNKNOWN_CHOICE = N_("{field}: '{value}' is not one of its choices. Did you mean '{suggestion}'?")
UNKNOWN_CHOICE_NO_HINT = N_("{field}: '{value}' is not one of its choices ({allowed}).")

_SEPARATORS = re.compile(r"[\s_\-./]+")

# Names people use for a state besides its code and its short name.
STATE_ALIASES: dict[MexicanState, tuple[str, ...]] = {
    MexicanState.CMX: ("CDMX", "DF", "Distrito Federal", "Ciudad de Mexico"),
    MexicanState.MEX: ("Edomex", "Mexico", "Estado de Mexico"),
    MexicanState.COA: ("Coahuila de Zaragoza",),
    MexicanState.MIC: ("Michoacan de Ocampo",),
    MexicanState.VER: ("Veracruz de Ignacio de la Llave",),
    MexicanState.BCN: ("Baja California Norte",),
    MexicanState.QUE: ("Queretaro de Arteaga",),
}


def fold(text: str) -> str:
    """`text` for comparison: no accents, lower case, runs of spaces, `_`, `-`, `.` and
    `/` as one space. 'San Luis Potosí', 'SAN-LUIS potosi' and 'san_luis_potosi' fold alike."""
    if text.isascii():  # nothing to decompose, no accents to drop
        bare = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


@functools.lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    # An import repeats the same few spellings ("SLP", "Automotriz") in every row.
    return fold(text)


@dataclass(frozen=True)
class ChoiceNames:
    """Every name a choice's members go by, folded, and what to suggest for a typo."""

    members: dict[str, StrEnum]
    shown: dict[str, str]  # folded name -> the name as written, for "did you mean"

    def find(self, text: str) -> StrEnum | None:
        return self.members.get(_folded(text))

    def suggestion(self, text: str) -> str | None:
        """The known name closest to `text`, if one is reasonably close."""
        folded = fold(text)
        if not folded:
            return None
        close = difflib.get_close_matches(folded, list(self.shown), n=1, cutoff=0.6)
        return self.shown[close[0]] if close else None


@functools.cache
def choice_names(choice: type[StrEnum]) -> ChoiceNames:
    """The names of `choice`: value, member name, labels in every language, aliases. A name
    two members share (none do today) is dropped rather than guessed."""
    candidates: dict[str, set[StrEnum]] = {}
    shown: dict[str, str] = {}
    for member in choice:
        names = [*_labels(member), member.value, member.name]  # labels shown first
        if isinstance(member, MexicanState):
            names.extend(STATE_ALIASES.get(member, ()))
        for name in names:
            key = fold(name)
            candidates.setdefault(key, set()).add(member)
            shown.setdefault(key, name)
    members = {key: next(iter(found)) for key, found in candidates.items() if len(found) == 1}
    return ChoiceNames(members, {key: shown[key] for key in members})


def _labels(member: StrEnum) -> list[str]:
    msgid = LABELS.get(member)
    if msgid is None:
        return []
    return list(dict.fromkeys(translate_in(language, msgid) for language in LANGUAGES))


def kind_named(text: str) -> type[Record] | None:
    """The record class a person means by `text`: its kind (`facility`), its plural
    (`facilities`), or its label in either language (`Instalaciones`), any case or accents."""
    return _kind_names().get(fold(text))


def kind_spellings() -> list[str]:
    """Kinds and their English plurals, for help texts and argument choices."""
    names: list[str] = []
    for kind, cls in KINDS.items():
        names += [kind, cls.PLURAL.lower()]
    return names


@functools.cache
def _kind_names() -> dict[str, type[Record]]:
    names: dict[str, type[Record]] = {}
    for kind, cls in KINDS.items():
        spellings = [kind, cls.PLURAL, cls.LABEL]
        for language in LANGUAGES:
            spellings += [translate_in(language, cls.LABEL), translate_in(language, cls.PLURAL)]
        for spelling in spellings:
            names.setdefault(fold(spelling), cls)
    return names


def with_choice_codes(
    model: type[Model], data: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """`data` (plain import values) with every choice written as a code, label or alias
    replaced by its code, in list fields and value lists too. Other values pass unchanged;
    an unknown choice is a problem that suggests the closest name."""
    specs = _specs_by_name(model)
    result = dict(data)
    problems: list[FieldProblem] = []
    for name, raw in data.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.type is FieldType.CHOICE and isinstance(raw, str):
            result[name] = _code(spec, raw, problems)
        elif spec.type is FieldType.CHOICES and isinstance(raw, list | tuple):
            result[name] = [_code(spec, v, problems) if isinstance(v, str) else v for v in raw]
        elif spec.type is FieldType.ITEMS and spec.item is not None and isinstance(raw, list):
            result[name] = [
                _item_codes(spec, index, entry, problems) for index, entry in enumerate(raw)
            ]
    return result, problems


_SPECS: dict[type[Model], dict[str, FieldSpec]] = {}


def _specs_by_name(model: type[Model]) -> dict[str, FieldSpec]:
    found = _SPECS.get(model)
    if found is None:
        found = _SPECS[model] = {spec.name: spec for spec in model.specs()}
    return found


def _item_codes(spec: FieldSpec, index: int, entry: Any, problems: list[FieldProblem]) -> Any:
    if not isinstance(entry, Mapping) or spec.item is None:
        return entry
    converted, found = with_choice_codes(spec.item, entry)
    problems.extend(p.nested(f"{spec.name}[{index + 1}]") for p in found)
    return converted


def _code(spec: FieldSpec, raw: str, problems: list[FieldProblem]) -> str:
    if not raw.strip() or spec.choice is None:
        return raw
    names = choice_names(spec.choice)
    member = names.find(raw)
    if member is not None:
        return member.value
    suggestion = names.suggestion(raw)
    value = raw.strip()[:40]
    if suggestion is not None:
        params = {"value": value, "suggestion": suggestion}
        problems.append(FieldProblem(spec.name, spec.label, UNKNOWN_CHOICE, params))
    else:
        allowed = ", ".join(m.value for m in spec.choice)
        params = {"value": value, "allowed": allowed}
        problems.append(FieldProblem(spec.name, spec.label, UNKNOWN_CHOICE_NO_HINT, params))
    return raw
