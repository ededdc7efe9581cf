from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.choices import (
    CONSENT_GIVEN,
    ActionStatus,
    CaseStage,
    Consent,
    MexicanState,
    RemedyKind,
    Sector,
    TriageStatus,
)
from fieldkit.domain.records import (
    RECORD_TYPES,
    Attachment,
    Case,
    Facility,
    Grant,
    Interview,
    Tip,
    Visit,
)
from fieldkit.domain.rrm_clocks import case_clocks
from fieldkit.domain.validation import validate
from fieldkit.reports.period import FIRST_SECTORS
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.today import grant_report_items
from fieldkit.services.vault import Vault, create_vault

HULE = "Contrato-Ley de la Industria de la Transformación del Hule en Productos Manufacturados"


def _new_vault(root: Path) -> Vault:
    vault, _recovery = create_vault(
        root, "demo passphrase long", kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
    )
    return vault


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, dict[str, int]]]:
    vault = _new_vault(tmp_path_factory.mktemp("demo") / "v")
    counts = fill_with_demo_data(vault)
    yield vault, counts
    vault.lock()


def _case_at(vault: Vault, facility: Facility) -> Case:
    (case,) = [c for c in vault.records.list(Case) if c.facility_id == facility.id]
    return case


def _facility(vault: Vault, **wanted: object) -> Facility:
    (found,) = [
        f
        for f in vault.records.list(Facility)
        if all(getattr(f, name) == value for name, value in wanted.items())
    ]
    return found


def test_counts_match_the_vault_and_every_kind_is_present(
    filled: tuple[Vault, dict[str, int]],
) -> None:
    vault, counts = filled
    assert set(counts) == {cls.KIND for cls in RECORD_TYPES}
    for cls in RECORD_TYPES:
        assert counts[cls.KIND] == vault.records.count(cls) > 0, cls.KIND
    assert counts["facility"] >= 12
    assert counts["visit"] >= 12
    assert counts["interview"] >= 8
    assert counts["tip"] >= 6
    assert counts["grant"] == 3


def test_every_stored_record_passes_validation(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    for cls in RECORD_TYPES:
        for record in vault.records.list(cls):
            assert validate(record) == [], (cls.KIND, record.title)


def test_facilities_span_the_sectors_and_states(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    facilities = vault.records.list(Facility)
    # The sectors of the first release (the demo need not span the newer ones), "other" aside.
    assert {f.sector for f in facilities} >= FIRST_SECTORS - {Sector.OTHER}
    states = {f.state for f in facilities}
    assert states >= {MexicanState.GUA, MexicanState.PUE, MexicanState.SLP, MexicanState.ZAC}
    assert [f.sector_agreement for f in facilities if f.sector_agreement] == [HULE]


def test_german_assembly_plant_case(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    plant = _facility(vault, sector=Sector.AUTOS, parent_company="German-owned automaker")
    case = _case_at(vault, plant)
    kinds = {r.kind for r in case.remedies}
    assert kinds >= {
        RemedyKind.REINSTATEMENT,
        RemedyKind.BACK_PAY,
        RemedyKind.TRAINING,
        RemedyKind.NEUTRALITY_STATEMENT,
        RemedyKind.CONDUCT_GUIDELINES,
    }
    text = " ".join(f"{r.description} {r.evidence}" for r in case.remedies).lower()
    assert "8 de los 10" in text
    assert "zero-tolerance" in text
    assert case.stage is CaseStage.REMEDIATION_AGREED
    assert {RemedyKind.LOST_WAGES, RemedyKind.ZERO_TOLERANCE_POLICY} <= kinds
    assert (len(case.visit_ids), len(case.interview_ids), len(case.tip_ids)) == (2, 2, 1)
    assert all(vault.records.get(Visit, i).facility_id == plant.id for i in case.visit_ids)
    for tip_id in case.tip_ids:
        tip = vault.records.get(Tip, tip_id)
        assert tip.case_id == case.id
        assert tip.triage is TriageStatus.LINKED_TO_CASE


def test_san_luis_potosi_tire_plant_case(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    plant = _facility(vault, state=MexicanState.SLP)
    assert plant.sector is Sector.RUBBER_TIRES
    assert plant.sector_agreement == HULE
    case = _case_at(vault, plant)
    assert {r.kind for r in case.remedies} >= {RemedyKind.BACK_PAY, RemedyKind.WAGE_INCREASE}
    assert any("contrato-ley" in r.description.lower() for r in case.remedies)
    assert (len(case.visit_ids), len(case.interview_ids), len(case.tip_ids)) == (2, 2, 1)


def test_search_finds_the_tire_plant_and_reinstatement(
    filled: tuple[Vault, dict[str, int]],
) -> None:
    vault, _ = filled
    plant = _facility(vault, state=MexicanState.SLP)
    assert plant.id in {hit.record_id for hit in vault.records.search("potosi")}
    hits = vault.records.search("reinstalacion")
    assert any(hit.kind == Case.KIND for hit in hits)


def test_no_disbursement_total_exceeds_its_award(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    grants = vault.records.list(Grant)
    for grant in grants:
        assert grant.amount is not None
        assert grant.amount >= 1_000_000
        assert grant.disbursements
        assert grant.disbursed <= grant.amount, grant.award_number
    grant_ids = {v.grant_id for v in vault.records.list(Visit) if v.grant_id}
    assert grant_ids == {g.id for g in grants}


def test_interview_consent_rules(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    interviews = vault.records.list(Interview)
    for interview in interviews:
        assert interview.visit_id or interview.facility_id
        if interview.notes or interview.risk_notes or interview.safe_contact:
            assert interview.consent in CONSENT_GIVEN, interview.pseudonym
            assert interview.consent_scope
    withdrawn = [i for i in interviews if i.consent is Consent.WITHDRAWN]
    assert len(withdrawn) == 1
    assert not withdrawn[0].notes
    no_quotes = [i for i in interviews if i.consent is Consent.GIVEN_NO_QUOTES]
    assert no_quotes and all("citas" in i.consent_scope for i in no_quotes)
    assert not any(i.sharing_summary for i in no_quotes)
    assert sum(bool(i.sharing_summary) for i in interviews) >= 3
    assert any("intérprete" in i.language for i in interviews)
    assert {i.language for i in interviews} >= {"es", "en"}


def test_visits_have_overdue_and_upcoming_follow_ups(
    filled: tuple[Vault, dict[str, int]],
) -> None:
    vault, _ = filled
    today = dt.date(2026, 11, 21)
    open_dues = [
        f.due
        for v in vault.records.list(Visit)
        for f in v.follow_ups
        if f.status is ActionStatus.OPEN and f.due is not None
    ]
    assert any(due < today for due in open_dues)
    assert any(due > today for due in open_dues)


def test_attachments_are_readable(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    attachments = vault.records.list(Attachment)
    assert attachments
    texts = [vault.attachments.read(a).decode("utf-8") for a in attachments]
    assert any("MINUTA" in text for text in texts)


def test_filling_a_vault_is_quick_and_ids_are_fresh(
    tmp_path: Path, filled: tuple[Vault, dict[str, int]]
) -> None:
    vault = _new_vault(tmp_path / "v")
    try:
        started = time.perf_counter()
        counts = fill_with_demo_data(vault)
        elapsed = time.perf_counter() - started
        assert counts == filled[1]
        assert elapsed < 5.0, f"filling took {elapsed:.2f} s"
        first = {f.id for f in filled[0].records.list(Facility)}
        assert first.isdisjoint(f.id for f in vault.records.list(Facility))
    finally:
        vault.lock()


def test_demo_case_clocks_follow_the_rules(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    clocks = [c for case in vault.records.list(Case) for c in case_clocks(case)]
    assert len(clocks) >= 10 and not any(c.late for c in clocks)
    running = [(c.rule.id, c.due) for c in clocks if c.running]
    assert running == [("mexico_results", dt.date(2026, 12, 4))]
    demo_day = dt.date(2026, 11, 21)
    assert not any(c.overdue(demo_day) for c in clocks)


def test_a_mine_is_in_a_priority_sector_and_a_farm_is_not(
    filled: tuple[Vault, dict[str, int]],
) -> None:
    vault, _ = filled
    by_sector = {f.sector: f for f in vault.records.list(Facility)}
    assert by_sector[Sector.MINING].covered and not by_sector[Sector.AGRICULTURE].covered
    assert by_sector[Sector.AGRICULTURE].trade_link  # it exports, but farms are not a priority
    assert len(by_sector[Sector.RUBBER_TIRES].labor_events) == 2


def test_demo_grant_calendar_shows_one_missed_report(filled: tuple[Vault, dict[str, int]]) -> None:
    vault, _ = filled
    items = grant_report_items(vault.records, dt.date(2026, 11, 21))
    assert [(i.record.award_number, i.due) for i in items] == [  # type: ignore[attr-defined]
        ("IL-36072-21-75-K", dt.date(2026, 10, 29))
    ]
