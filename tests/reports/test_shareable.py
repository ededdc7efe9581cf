"""The renderer's own rules for interviews and tips, whatever records it is handed: shareable
prints counts by role group and the summaries written for sharing, nothing else; "no quotes"
keeps notes and summaries out of every profile."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from fieldkit.domain.choices import Consent, PersonRole
from fieldkit.reports import render
from fieldkit.reports.model import Profile, Report
from tests.reports import canaries, samples
from tests.reports.canaries import SUMMARY, leaks, squash
from tests.reports.pdfcheck import everything_readable, flat

QUOTABLE = canaries.interview("Given", Consent.GIVEN, PersonRole.WORKER)
NO_QUOTES = canaries.interview("NoQuotes", Consent.GIVEN_NO_QUOTES, PersonRole.UNION_DELEGATE)
MANAGER = canaries.interview("Manager", Consent.GIVEN, PersonRole.MANAGER)
TIP = canaries.tip("Tip")
INTERVIEWS = (QUOTABLE, NO_QUOTES, MANAGER)
WATCHED = canaries.canaries([*INTERVIEWS, TIP])


def visit(profile: Profile, language: str = "en_US") -> Report:
    return samples.visit_report(profile=profile, language=language, interviews=INTERVIEWS)


def case(profile: Profile, language: str = "en_US") -> Report:
    report = samples.case_report(language, profile)
    return dataclasses.replace(report, interviews=INTERVIEWS, tips=(TIP,))


KINDS: dict[str, Callable[..., Report]] = {"visit": visit, "case": case}


@pytest.mark.parametrize("language", ["en_US", "es_MX"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shareable_prints_no_canary_even_from_full_records(kind: str, language: str) -> None:
    readable = everything_readable(render(KINDS[kind](Profile.SHAREABLE, language)))
    assert leaks(readable, WATCHED) == []
    for written_for_sharing in (QUOTABLE.sharing_summary, MANAGER.sharing_summary):
        assert squash(written_for_sharing) in squash(readable)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_internal_prints_the_canaries_the_shareable_one_hides(kind: str) -> None:
    # The same search finds them in the internal report: the shareable test can fail.
    found = leaks(everything_readable(render(KINDS[kind](Profile.INTERNAL))), WATCHED)
    assert any(QUOTABLE.pseudonym in name for name in found)
    assert any(NO_QUOTES.pseudonym in name for name in found)


def test_shareable_counts_interviews_by_role_group() -> None:
    english = flat(render(visit(Profile.SHAREABLE)))
    assert "Workers and worker representatives 2 Management 1 Total 3" in english
    spanish = flat(render(visit(Profile.SHAREABLE, "es_MX")))
    assert "Trabajadores y sus representantes 2 Dirección de la empresa 1 Total 3" in spanish
    assert "Resúmenes para compartir" in spanish


def test_no_quotes_keeps_notes_and_summary_out_of_the_internal_report() -> None:
    text = squash(everything_readable(render(visit(Profile.INTERNAL))))
    assert squash(QUOTABLE.notes) in text and squash(QUOTABLE.sharing_summary) in text
    assert squash(NO_QUOTES.pseudonym) in text  # the interview itself is reported
    assert squash(NO_QUOTES.notes) not in text
    assert squash(NO_QUOTES.sharing_summary) not in text
    assert squash("Not printed: the interviewee agreed to the interview but not to") in text


def test_summaries_follow_the_alphabet_not_the_calendar() -> None:
    later = dataclasses.replace(
        QUOTABLE, held_on=dt.date(2026, 3, 1), sharing_summary="Alpha summary written later"
    )
    earlier = dataclasses.replace(
        QUOTABLE, held_on=dt.date(2026, 2, 1), sharing_summary="Beta summary written earlier"
    )
    text = flat(render(samples.visit_report(interviews=(earlier, later))))
    assert text.index("Alpha summary") < text.index("Beta summary")


def test_shareable_without_summaries_says_none_recorded() -> None:
    text = flat(render(samples.visit_report(interviews=(NO_QUOTES,))))
    assert "Summaries for sharing None recorded." in text
    assert SUMMARY not in text
