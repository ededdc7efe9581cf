"""The rules a record must keep before it is saved. Each broken rule names its field."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from fieldkit.domain.case_lifecycle import TransitionRefused, replay, stage_problem
from fieldkit.domain.choices import CONSENT_GIVEN
from fieldkit.domain.fields import LIST_MAX, FieldSpec, FieldType, Model
from fieldkit.domain.fields import REQUIRED_MSG as REQUIRED
from fieldkit.domain.problems import FieldProblem
from fieldkit.domain.records import Case, Grant, Interview, Record, Visit
from fieldkit.domain.rrm_clocks import unknown_override_rules
from fieldkit.i18n import N_

TOO_LONG = N_("{field} is too long: at most {limit} characters.")
TOO_MANY = N_("{field} has too many entries: at most {limit}.")
CONTROL_CHARS = N_("{field} contains invisible control characters; remove them.")
NOT_A_CHOICE = N_("{field} has a value that is not one of its choices.")
NEGATIVE = N_("{field} cannot be negative.")
DATE_ORDER = N_("{field} must be on or after {other}.")
OVER_AWARD = N_("The amounts in {field} add up to {total}, more than the award of {award}.")
CONSENT_FIRST = N_(
    "{field} can be kept only after consent is recorded as given. Record the consent first."
)
CASE_STEP_REFUSED = N_("{field}: {reason}")
UNKNOWN_CLOCK = N_("{field}: there is no clock named “{rule}” in the rule table.")
NEEDS_VENUE = N_("{field} is required: a visit is held at a facility or an organization.")
NEEDS_PLACE = N_("{field} is required: link the interview to a visit or a facility.")

# Tab, line feed and carriage return are text in notes; other C0/C1 controls and NUL are not.
# (Unicode's category Cc is exactly U+0000-U+001F and U+007F-U+009F; a regex finds them in C.)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_MULTILINE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate(record: Record) -> list[FieldProblem]:
    """Every problem with `record`: generic field rules first, then its kind's own rules."""
    problems: list[FieldProblem] = []
    _check_fields(record, "", problems)
    rule = _KIND_RULES.get(type(record))
    if rule is not None:
        problems.extend(rule(record))
    return problems


# A field's generic check: (path, value, problems found so far) -> None, appending.
_Check = Callable[[str, Any, list[FieldProblem]], None]


def _check_fields(obj: Model, prefix: str, problems: list[FieldProblem]) -> None:
    for name, label, required, check in _plan(type(obj)):
        value = getattr(obj, name)
        path = f"{prefix}{name}" if prefix else name
        if required and _is_empty(value):
            problems.append(FieldProblem(path, label, REQUIRED))
        if check is not None:
            check(path, value, problems)


_Plan = tuple[tuple[str, str, bool, _Check | None], ...]  # name, label, required, check
_PLANS: dict[type[Model], _Plan] = {}


def _plan(cls: type[Model]) -> _Plan:
    """Each field of `cls` with its generic check, decided once per class (an import checks
    100,000 records of one class)."""
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS[cls] = tuple(
            (spec.name, spec.label, spec.required, _check_for(spec)) for spec in cls.specs()
        )
    return found


def _check_for(spec: FieldSpec) -> _Check | None:
    if spec.type in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.STRINGS):
        return _texts_check(spec)
    if spec.type in (FieldType.MONEY, FieldType.INTEGER):
        return functools.partial(_not_negative, spec.label)
    if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
        return functools.partial(_choices_ok, spec)
    if spec.type is FieldType.REFS:
        return functools.partial(_list_ok, spec.label)
    if spec.type is FieldType.ITEMS:
        return functools.partial(_items_ok, spec.label)
    return None


def _texts_check(spec: FieldSpec) -> _Check:
    label, limit = spec.label, spec.max_length
    multiline = spec.type is FieldType.LONGTEXT or limit > 500
    controls = (_MULTILINE_CONTROLS if multiline else _CONTROLS).search

    def check_text(path: str, value: str, problems: list[FieldProblem]) -> None:
        if len(value) > limit:
            problems.append(FieldProblem(path, label, TOO_LONG, {"limit": limit}))
        if controls(value) is not None:
            problems.append(FieldProblem(path, label, CONTROL_CHARS))

    def check(path: str, value: Any, problems: list[FieldProblem]) -> None:
        if isinstance(value, str):
            check_text(path, value, problems)
            return
        for text in value:
            check_text(path, text, problems)
        _list_ok(label, path, value, problems)

    return check


def _not_negative(label: str, path: str, value: Any, problems: list[FieldProblem]) -> None:
    if value is not None and value < 0:
        problems.append(FieldProblem(path, label, NEGATIVE))


def _choices_ok(spec: FieldSpec, path: str, value: Any, problems: list[FieldProblem]) -> None:
    members = value if isinstance(value, tuple) else (value,)
    if spec.choice and any(m is not None and not isinstance(m, spec.choice) for m in members):
        problems.append(FieldProblem(path, spec.label, NOT_A_CHOICE))
    _list_ok(spec.label, path, value, problems)


def _list_ok(label: str, path: str, value: Any, problems: list[FieldProblem]) -> None:
    if isinstance(value, tuple) and len(value) > LIST_MAX:
        problems.append(FieldProblem(path, label, TOO_MANY, {"limit": LIST_MAX}))


def _items_ok(label: str, path: str, value: Any, problems: list[FieldProblem]) -> None:
    _list_ok(label, path, value, problems)
    for index, item in enumerate(value):
        _check_fields(item, f"{path}[{index + 1}].", problems)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date_order(obj: Any, start: str, end: str) -> Iterator[FieldProblem]:
    first, last = getattr(obj, start), getattr(obj, end)
    if first is not None and last is not None and last < first:
        yield FieldProblem(end, type(obj).spec(end).label, DATE_ORDER, {"other": str(first)})


def _visit_rules(visit: Visit) -> Iterator[FieldProblem]:
    if visit.facility_id is None and visit.organization_id is None:
        yield FieldProblem("facility_id", Visit.spec("facility_id").label, NEEDS_VENUE)
    yield from _date_order(visit, "start_date", "end_date")


def _interview_rules(interview: Interview) -> Iterator[FieldProblem]:
    if interview.visit_id is None and interview.facility_id is None:
        yield FieldProblem("facility_id", Interview.spec("facility_id").label, NEEDS_PLACE)
    if interview.consent not in CONSENT_GIVEN:
        for name in ("notes", "sharing_summary", "risk_notes", "safe_contact"):
            if getattr(interview, name).strip():
                yield FieldProblem(name, Interview.spec(name).label, CONSENT_FIRST)


def _grant_rules(grant: Grant) -> Iterator[FieldProblem]:
    yield from _date_order(grant, "period_start", "period_end")
    award = grant.amount
    total = grant.disbursed
    if award is not None and award >= 0 and total > award:
        yield FieldProblem(
            "disbursements",
            Grant.spec("disbursements").label,
            OVER_AWARD,
            {"total": _usd(total), "award": _usd(award)},
        )


def _usd(amount: Decimal) -> str:
    return f"{amount:,.2f} USD"


def _case_rules(case: Case) -> Iterator[FieldProblem]:
    """A case's events must follow its lifecycle; its overrides must name known clocks."""
    try:
        replay(case.case_type, case.events)
    except TransitionRefused as refused:
        yield FieldProblem(
            "events", Case.spec("events").label, CASE_STEP_REFUSED, {"reason": refused.reason}
        )
    reason = stage_problem(case)
    if reason is not None:
        yield FieldProblem("stage", Case.spec("stage").label, CASE_STEP_REFUSED, {"reason": reason})
    for rule in unknown_override_rules(case):
        label = Case.spec("clock_overrides").label
        yield FieldProblem("clock_overrides", label, UNKNOWN_CLOCK, {"rule": rule[:40]})


_KIND_RULES: dict[type[Record], Callable[[Any], Iterator[FieldProblem]]] = {
    Case: _case_rules,
    Visit: _visit_rules,
    Interview: _interview_rules,
    Grant: _grant_rules,
}

# What each rule between fields reads, by record kind: a check that sees only some of a
# record's fields (a push naming part of a record) cannot judge the rule, and must not.
_RULE_READS: dict[str, dict[str, frozenset[str]]] = {
    "visit": {
        NEEDS_VENUE: frozenset({"facility_id", "organization_id"}),
        DATE_ORDER: frozenset({"start_date", "end_date"}),
    },
    "interview": {
        NEEDS_PLACE: frozenset({"facility_id", "visit_id"}),
        CONSENT_FIRST: frozenset({"consent"}),  # and the field the problem names
    },
    "grant": {
        DATE_ORDER: frozenset({"period_start", "period_end"}),
        OVER_AWARD: frozenset({"amount", "disbursements"}),
    },
    "case": {
        CASE_STEP_REFUSED: frozenset({"case_type", "events", "stage"}),
        UNKNOWN_CLOCK: frozenset({"case_type", "clock_overrides"}),
    },
}


def rule_reads(kind: str, problem: FieldProblem) -> frozenset[str] | None:
    """The fields the rule between fields behind `problem` reads (the field it names among
    them), or None when the problem is not one of those rules."""
    reads = _RULE_READS.get(kind, {}).get(problem.msgid)
    return None if reads is None else reads | {problem.path}


def has_rules_between_fields(kind: str) -> bool:
    return kind in _RULE_READS
