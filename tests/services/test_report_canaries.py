"""Every report kind, exported from a real vault as a real PDF, with a canary in every text
field of every interview and tip: the shareable PDF carries none of them in its text, its
metadata, its outline or its annotations; the summary written for sharing is there unless
the interviewee agreed to be interviewed but not quoted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from fieldkit.domain.choices import Consent, PersonRole
from fieldkit.domain.records import Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.reports.model import Profile, Report, ReportOptions
from fieldkit.services.vault import Vault
from tests.reports import canaries
from tests.reports.canaries import leaks, squash
from tests.reports.pdfcheck import everything_readable

DAY = dt.date(2026, 3, 10)
KINDS = ("visit", "case", "grant", "period")


@pytest.fixture
def canary_scene(vault: Vault) -> dict[str, object]:
    records = vault.records
    plant = records.create(Facility(name="Planta Canario"))
    grant = records.create(Grant(award_number="IL-9", grantee="ONG", amount=Decimal(10)))
    visit = records.create(Visit(facility_id=plant.id, grant_id=grant.id, start_date=DAY))
    quotable = records.create(
        canaries.interview("Given", Consent.GIVEN, PersonRole.WORKER, visit_id=visit.id)
    )
    no_quotes = records.create(
        canaries.interview("NoQuotes", Consent.GIVEN_NO_QUOTES, PersonRole.NGO, visit_id=visit.id)
    )
    case = records.create(Case(reference="RRM-9", facility_id=plant.id, received_on=DAY))
    tip = records.create(canaries.tip("Tip"))
    for linked in (visit, quotable, no_quotes):
        records.link(case, linked)
    records.link(tip, case)
    return {
        "visit": visit,
        "case": case,
        "grant": grant,
        "interviews": [quotable, no_quotes],
        "tip": tip,
    }


def build(vault: Vault, scene: dict[str, object], kind: str, profile: Profile) -> Report:
    options = ReportOptions(language="es_MX", profile=profile)
    if kind == "period":
        return vault.reports.period_report(DAY, DAY, options)
    subject = scene[kind]
    assert isinstance(subject, Visit | Case | Grant)
    report: Report = getattr(vault.reports, f"{kind}_report")(subject.id, options)
    return report


def export(vault: Vault, report: Report, name: str) -> str:
    path = Path(vault.files.root) / f"{name}.pdf"
    vault.reports.export_pdf(report, path)
    return everything_readable(path.read_bytes())


def watched(scene: dict[str, object]) -> dict[str, str]:
    interviews = scene["interviews"]
    tip = scene["tip"]
    assert isinstance(interviews, list) and isinstance(tip, Tip)
    return canaries.canaries([*interviews, tip])


@pytest.mark.parametrize("kind", KINDS)
def test_shareable_pdf_carries_no_canary(
    vault: Vault, canary_scene: dict[str, object], kind: str
) -> None:
    readable = export(vault, build(vault, canary_scene, kind, Profile.SHAREABLE), kind)
    assert leaks(readable, watched(canary_scene)) == []
    quotable, _no_quotes = canary_scene["interviews"]  # type: ignore[misc]
    assert isinstance(quotable, Interview)
    if kind in ("visit", "case"):  # the reports that speak of interviews
        assert squash(quotable.sharing_summary) in squash(readable)


@pytest.mark.parametrize("kind", ["visit", "case"])
def test_internal_pdf_names_the_interviews_but_never_quotes_the_unquotable(
    vault: Vault, canary_scene: dict[str, object], kind: str
) -> None:
    readable = export(vault, build(vault, canary_scene, kind, Profile.INTERNAL), kind)
    found = leaks(readable, watched(canary_scene))
    quotable, no_quotes = canary_scene["interviews"]  # type: ignore[misc]
    assert isinstance(quotable, Interview) and isinstance(no_quotes, Interview)
    assert any(no_quotes.pseudonym in name for name in found)  # the search does find canaries
    assert not any(no_quotes.notes in name or no_quotes.sharing_summary in name for name in found)
    if kind == "visit":
        assert any(quotable.notes in name for name in found)
        assert squash(quotable.sharing_summary) in squash(readable)
