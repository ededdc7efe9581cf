"""Reports from a real vault: the right records are gathered, and the shareable profile
carries nothing that could identify an interviewee."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fieldkit.domain.choices import Consent, PersonRole, TriageStatus
from fieldkit.domain.records import Interview, Tip
from fieldkit.reports.model import Profile
from fieldkit.services.reports import redact
from fieldkit.services.vault import Vault
from tests.reports import canaries
from tests.services.conftest import DAY, SECRET, options


def test_redact_keeps_only_role_consent_and_summary_when_shareable() -> None:
    interview = canaries.interview("R", Consent.GIVEN, PersonRole.UNION_DELEGATE)
    shareable = redact(interview, Profile.SHAREABLE)
    kept = Interview(
        id=interview.id,
        role=PersonRole.UNION_DELEGATE,
        consent=Consent.GIVEN,
        sharing_summary=interview.sharing_summary,
    )
    assert shareable == kept
    assert redact(interview, Profile.INTERNAL) is interview
    identifying = {s.name for s in Interview.specs() if s.identifying}
    assert identifying == set(SECRET)


def test_no_quotes_drops_notes_and_summary_in_every_profile() -> None:
    interview = canaries.interview("N", Consent.GIVEN_NO_QUOTES, PersonRole.WORKER)
    assert interview.notes and interview.sharing_summary
    internal = redact(interview, Profile.INTERNAL)
    assert internal == dataclasses.replace(interview, notes="", sharing_summary="")
    assert redact(interview, Profile.SHAREABLE).sharing_summary == ""


def test_redact_keeps_only_a_tips_triage_when_shareable() -> None:
    tip = canaries.tip("T", triage=TriageStatus.REFERRED)
    assert redact(tip, Profile.SHAREABLE) == Tip(id=tip.id, triage=TriageStatus.REFERRED)
    assert redact(tip, Profile.INTERNAL) is tip


def test_visit_report_gathers_its_records(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    report = vault.reports.visit_report(scene["visit"].id, options(Profile.INTERNAL))
    assert report.facility == scene["plant"] and report.grant == scene["grant"]
    assert [i.id for i in report.interviews] == [scene["interview"].id]
    assert report.interviews[0].pseudonym == SECRET["pseudonym"]
    assert report.attachments == (scene["attachment"],)


def test_shareable_visit_report_carries_no_identifying_text(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    report = vault.reports.visit_report(scene["visit"].id, options())
    flat = repr(report)
    assert not [value for value in SECRET.values() if value in flat]
    assert "Relata despidos." not in flat and report.interviews[0].held_on is None


def test_case_report_gathers_links_both_ways(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    report = vault.reports.case_report(scene["case"].id, options())
    assert [v.id for v in report.visits] == [scene["visit"].id]
    assert [t.id for t in report.tips] == [scene["tip"].id]
    assert report.interviews[0].pseudonym == ""
    assert report.tips[0].subject == ""
    assert set(report.facilities) == {scene["plant"].id}


def test_deleted_records_stay_out(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    vault.records.delete(Interview, scene["interview"].id)
    vault.records.delete(Tip, scene["tip"].id)
    assert vault.reports.visit_report(scene["visit"].id, options()).interviews == ()
    assert vault.reports.case_report(scene["case"].id, options()).tips == ()


def test_grant_and_period_reports(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    grant = vault.reports.grant_report(scene["grant"].id, options())
    assert [v.id for v in grant.visits] == [scene["visit"].id]
    period = vault.reports.period_report(DAY, DAY + dt.timedelta(30), options())
    assert [v.id for v in period.visits] == [scene["visit"].id]
    whole = vault.reports.period_report(DAY, DAY + dt.timedelta(40), options())
    assert {v.id for v in whole.visits} == {scene["visit"].id, scene["other_visit"].id}
    assert set(whole.facilities) == {scene["plant"].id}


def test_options_are_carried_unchanged(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    chosen = dataclasses.replace(options(), marking="SENSITIVE", author="A. Attaché")
    assert vault.reports.visit_report(scene["visit"].id, chosen).options == chosen
