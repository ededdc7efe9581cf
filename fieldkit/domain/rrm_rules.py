"""The clock rules of USMCA labor cases, read from `resources/rrm_rules.toml`.

The law lives in that table, not in code: each rule names the event that starts it, the events
that meet it, how many calendar or business days it runs and where it is written.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.domain.choices import CaseEvent, CaseType, DayCount, Sector
from fieldkit.i18n import SPANISH, current_language
from fieldkit.paths import resource_dir

RULES_FILE = "rrm_rules.toml"


class RuleTableError(ValueError):
    """The rule table does not parse: a defect of the shipped data, never of a user's input."""


@dataclass(frozen=True)
class ClockRule:
    id: str
    case_types: frozenset[CaseType]
    starts: CaseEvent
    stops: frozenset[CaseEvent]
    days: int
    count: DayCount
    label_en: str
    label_es: str
    citation: str
    source: str
    cancelled_by: frozenset[CaseEvent] = frozenset()
    only_if: frozenset[CaseEvent] = frozenset()

    @property
    def label(self) -> str:
        """The rule's name in the active language."""
        return self.label_for(current_language())

    def label_for(self, language: str) -> str:
        return self.label_es if language == SPANISH else self.label_en


@dataclass(frozen=True)
class RuleTable:
    version: int
    rules: tuple[ClockRule, ...]
    priority_sectors: frozenset[Sector] = frozenset()
    legitimation_closed: dt.date | None = None

    def get(self, rule_id: str) -> ClockRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_type(self, case_type: CaseType) -> tuple[ClockRule, ...]:
        return tuple(r for r in self.rules if case_type in r.case_types)


def parse_rules(text: str) -> RuleTable:
    """The rule table in `text` (TOML); raises RuleTableError naming the broken rule."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as bad:
        raise RuleTableError(f"{RULES_FILE}: {bad}") from bad
    rules = tuple(_rule(entry) for entry in data.get("clock", []))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleTableError(f"{RULES_FILE}: duplicate clock ids")
    covered = data.get("covered_facility", {})
    closed = data.get("legitimation", {}).get("closed_on")
    try:
        sectors = frozenset(Sector(name) for name in covered.get("priority_sectors", ()))
    except ValueError as bad:
        raise RuleTableError(f"{RULES_FILE}: covered_facility: {bad}") from bad
    if closed is not None and not isinstance(closed, dt.date):
        raise RuleTableError(f"{RULES_FILE}: legitimation.closed_on is not a date")
    return RuleTable(
        version=int(data.get("version", 0)),
        rules=rules,
        priority_sectors=sectors,
        legitimation_closed=closed,
    )


@functools.cache
def default_rules() -> RuleTable:
    """The table shipped in resources/ (read once per process)."""
    return load_rules(resource_dir() / RULES_FILE)


def load_rules(path: Path) -> RuleTable:
    return parse_rules(path.read_text("utf-8"))


def _rule(entry: Mapping[str, Any]) -> ClockRule:
    rule_id = str(entry.get("id", "?"))
    try:
        label = entry["label"]
        days = int(entry["days"])
        if days <= 0:
            raise ValueError("days must be positive")
        return ClockRule(
            id=rule_id,
            case_types=frozenset(CaseType(t) for t in entry["case_types"]),
            starts=CaseEvent(entry["starts"]),
            stops=_events(entry["stops"]),
            days=days,
            count=DayCount(entry.get("count", DayCount.CALENDAR.value)),
            label_en=str(label["en"]),
            label_es=str(label["es"]),
            citation=str(entry["citation"]),
            source=str(entry.get("source", "")),
            cancelled_by=_events(entry.get("cancelled_by", ())),
            only_if=_events(entry.get("only_if", ())),
        )
    except (KeyError, ValueError, TypeError) as bad:
        raise RuleTableError(f"{RULES_FILE}: clock {rule_id!r}: {bad!r}") from bad


def _events(names: Iterable[str]) -> frozenset[CaseEvent]:
    return frozenset(CaseEvent(name) for name in names)
