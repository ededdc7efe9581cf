"""The Rapid Response clocks against the public record of real cases, and the rule table."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fieldkit.domain.choices import CaseEvent as E
from fieldkit.domain.choices import CaseType, DayCount
from fieldkit.domain.records import Case
from fieldkit.domain.rrm_clocks import add_days, case_clocks
from fieldkit.domain.rrm_rules import RuleTableError, default_rules, parse_rules
from fieldkit.domain.values import CaseStep, ClockOverride
from fieldkit.i18n import SPANISH, set_language

D = dt.date


def steps(*pairs: tuple[E, dt.date]) -> tuple[CaseStep, ...]:
    return tuple(CaseStep(event=event, on=on) for event, on in pairs)


# Tridonex (Matamoros): petition 2021-05-10; the U.S. request for review 2021-06-09; Mexico said
# on 06-19 it would review, and answered on 07-24 (USTR; porgeslaw.com case page).
TRIDONEX = Case(
    reference="Tridonex",
    received_on=D(2021, 5, 10),
    case_type=CaseType.RRM_PETITION,
    events=steps(
        (E.PETITION_RECEIVED, D(2021, 5, 10)),
        (E.ILC_SUFFICIENT, D(2021, 6, 9)),
        (E.REVIEW_REQUESTED, D(2021, 6, 9)),
        (E.MEXICO_AGREED_TO_REVIEW, D(2021, 6, 19)),
        (E.MEXICO_FOUND_NO_DENIAL, D(2021, 7, 24)),
    ),
)
# General Motors Silao: the first self-initiated request, 2021-05-12.
SILAO = Case(
    reference="GM Silao",
    received_on=D(2021, 5, 12),
    case_type=CaseType.RRM_SELF_INITIATED,
    events=steps((E.REVIEW_REQUESTED, D(2021, 5, 12))),
)


def by_rule(case: Case) -> dict[str, tuple[dt.date, dt.date | None]]:
    return {c.rule.id: (c.due, c.actual) for c in case_clocks(case)}


def test_tridonex_clocks_were_all_met() -> None:
    clocks = by_rule(TRIDONEX)
    assert clocks["ilc_rrm_petition"] == (D(2021, 6, 9), D(2021, 6, 9))
    assert clocks["mexico_notice"] == (D(2021, 6, 19), D(2021, 6, 19))
    assert clocks["mexico_results"] == (D(2021, 7, 24), D(2021, 7, 24))
    assert not any(c.late or c.overdue(D(2021, 8, 1)) for c in case_clocks(TRIDONEX))


def test_silao_self_initiated_clocks_run_from_the_request() -> None:
    clocks = by_rule(SILAO)
    assert clocks == {
        "mexico_notice": (D(2021, 5, 22), None),
        "mexico_results": (D(2021, 6, 26), None),
    }
    assert "ilc_rrm_petition" not in clocks  # no petition: the ILC's 30 days never start
    notice = case_clocks(SILAO)[0]
    assert notice.overdue(D(2021, 5, 23)) and not notice.overdue(D(2021, 5, 22))


def test_a_business_day_override_skips_weekends() -> None:
    override = ClockOverride(rule="mexico_notice", count=DayCount.BUSINESS, reason="Días hábiles")
    case = dataclasses.replace(TRIDONEX, clock_overrides=(override,))
    notice = next(c for c in case_clocks(case) if c.rule.id == "mexico_notice")
    assert notice.due == D(2021, 6, 23) and notice.override == override
    assert by_rule(case)["mexico_results"] == (D(2021, 7, 24), D(2021, 7, 24))  # untouched


def test_an_override_can_set_days_or_the_due_date() -> None:
    longer = ClockOverride(rule="mexico_results", days=60, reason="Agreed extension")
    by_hand = ClockOverride(rule="mexico_notice", due=D(2021, 6, 30), reason="Holiday")
    case = dataclasses.replace(TRIDONEX, clock_overrides=(longer, by_hand))
    assert by_rule(case)["mexico_results"][0] == D(2021, 8, 8)
    assert by_rule(case)["mexico_notice"][0] == D(2021, 6, 30)


def test_late_and_cancelled_clocks() -> None:
    late = Case(
        reference="x",
        case_type=CaseType.RRM_SELF_INITIATED,
        events=steps(
            (E.REVIEW_REQUESTED, D(2024, 3, 1)),
            (E.MEXICO_DECLINED, D(2024, 3, 15)),
        ),
    )
    clocks = {c.rule.id: c for c in case_clocks(late)}
    assert clocks["mexico_notice"].late  # answered on day 14 of 10
    assert clocks["mexico_results"].cancelled  # no review, no results due
    assert not clocks["mexico_results"].overdue(D(2025, 1, 1))


def test_business_days_count_from_the_next_weekday() -> None:
    friday = D(2026, 11, 20)
    assert add_days(friday, 1, DayCount.BUSINESS) == D(2026, 11, 23)
    assert add_days(friday, 5, DayCount.BUSINESS) == D(2026, 11, 27)
    assert add_days(friday, 5, DayCount.CALENDAR) == D(2026, 11, 25)


def test_every_shipped_rule_cites_its_source_in_both_languages() -> None:
    table = default_rules()
    assert {r.id for r in table.rules} >= {"ilc_rrm_petition", "mexico_notice", "mexico_results"}
    for rule in table.rules:
        assert rule.citation.strip() and rule.source.startswith("https://")
        assert rule.label_en.strip() and rule.label_es.strip()
    set_language(SPANISH)
    assert table.get("mexico_results").label == "Resultados de la revisión de México"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "broken",
    [
        'starts = "no_such_event"',
        "days = 0",
        'count = "lunar"',
    ],
)
def test_a_broken_rule_table_names_the_rule(broken: str) -> None:
    base = {
        "id": '"x"',
        "case_types": '["rrm_petition"]',
        "starts": '"ev_review_requested"',
        "stops": '["ev_mexico_declined"]',
        "days": "10",
        "count": '"calendar"',
        "label.en": '"a"',
        "label.es": '"b"',
        "citation": '"c"',
    }
    key = broken.split(" = ", maxsplit=1)[0]
    base[key] = broken.split(" = ")[1]
    text = "[[clock]]\n" + "\n".join(f"{k} = {v}" for k, v in base.items())
    with pytest.raises(RuleTableError, match="'x'"):
        parse_rules(text)
