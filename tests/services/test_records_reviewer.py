"""The reviewer rule below every interface: a reviewer's vault refuses to save, delete, link,
attach to, or settle a conflict over an interview another attaché wrote, with a typed error
in the language shown, and writes nothing. Real vaults and a real HQ on loopback: Rita's
vault learnt its role and HQ's directory by syncing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fieldkit.domain.records import Attachment, Case, Interview, Visit
from fieldkit.errors import ReadOnlyRecord
from fieldkit.i18n import SPANISH, set_language
from fieldkit.services.vault import Vault
from tests.hq_server import RunningHQ
from tests.reviewer_vaults import (
    ANA_NOTES,
    ENGLISH_REFUSAL,
    SPANISH_REFUSAL,
    Reviewing,
    reviewing,
    store_interview_conflicts,
)


@pytest.fixture
def scene(tmp_path: Path, hq: RunningHQ) -> Iterator[Reviewing]:
    with reviewing(tmp_path, hq) as found:
        yield found


def unsent(vault: Vault) -> int:
    return vault.sync.status().unsent


def test_every_write_of_anothers_interview_is_refused_and_nothing_is_written(
    scene: Reviewing,
) -> None:
    rita, interview = scene.rita, scene.interview
    before = unsent(rita)
    attempts = {
        "update": lambda: rita.records.update(replace(interview, notes="Reescrita")),
        "update_from": lambda: rita.records.update_from(
            "interview", interview.id, {"notes": "Reescrita"}
        ),
        "save_from": lambda: rita.records.save_from(
            "interview", interview.id, {"risk_notes": "Otra cosa"}
        ),
        "delete": lambda: rita.records.delete(Interview, interview.id),
        "restore": lambda: rita.records.restore(Interview, interview.id),
        "link to a visit": lambda: rita.records.link(interview, scene.visit),
        "attach": lambda: rita.attachments.attach_bytes(interview, "nota.txt", b"nota"),
        # A value the domain would refuse: the rule speaks first, since nothing could be saved.
        "invalid value": lambda: rita.records.update_from(
            "interview", interview.id, {"held_on": "not a date"}
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ReadOnlyRecord) as refused:
            attempt()
        assert refused.value.message == ENGLISH_REFUSAL, name
    set_language(SPANISH)
    with pytest.raises(ReadOnlyRecord) as refused:
        rita.records.update_from("interview", interview.id, {"notes": "Reescrita"})
    assert refused.value.message == SPANISH_REFUSAL
    assert refused.value.details() == [
        "No se guardó nada. Sólo el agregado laboral que escribió una entrevista puede cambiarla."
    ]

    stored = rita.records.get(Interview, interview.id)
    assert stored == interview and not stored.deleted and stored.notes == ANA_NOTES
    assert rita.attachments.list_for(interview) == []
    assert unsent(rita) == before  # no journal entry: nothing would reach HQ either


def test_what_a_reviewer_may_change_is_unchanged(scene: Reviewing) -> None:
    rita, interview = scene.rita, scene.interview
    case = rita.records.create(
        Case(reference="RRM-7", facility_id=scene.facility.id, received_on=dt.date(2026, 3, 5))
    )
    # Linking a case to the interview changes the case only: allowed, as HQ allows it.
    linked = rita.records.link(case, interview)
    assert [r.KIND for r in linked] == ["case"]
    assert rita.records.get(Case, case.id).interview_ids == (interview.id,)
    visit = rita.records.update_from("visit", scene.visit.id, {"findings": "Pagos atrasados."})
    assert visit.findings == "Pagos atrasados."
    own = rita.records.create(
        Interview(visit_id=scene.visit.id, held_on=dt.date(2026, 3, 6), pseudonym="Mezquite")
    )
    assert rita.records.update_from("interview", own.id, {"place": "Oficina"}).place == "Oficina"
    rita.records.delete(Interview, own.id)
    rita.attachments.attach_bytes(own, "minuta.txt", b"minuta")
    # Ana, an attaché, changes her own interview as ever.
    ana_copy = scene.ana.records.update_from("interview", interview.id, {"notes": "Corregida"})
    assert ana_copy.notes == "Corregida"
    assert rita.records.get(Visit, scene.visit.id).findings == "Pagos atrasados."


def test_settling_a_conflict_over_anothers_interview_is_refused(scene: Reviewing) -> None:
    rita, interview = scene.rita, scene.interview
    store_interview_conflicts(rita, interview)
    for settle in (
        lambda: rita.sync.resolve("c-notes", "Un texto nuevo"),
        lambda: rita.sync.keep(["c-notes", "c-place"], other=True),
        lambda: rita.sync.keep(["c-place"], other=False),  # even keeping what is there
    ):
        with pytest.raises(ReadOnlyRecord) as refused:
            settle()
        assert refused.value.message == ENGLISH_REFUSAL
    assert {c.id for c in rita.sync.conflicts()} == {"c-notes", "c-place"}
    assert rita.records.get(Interview, interview.id) == interview


def test_an_attachment_of_anothers_interview_is_refused_as_the_interview_is(
    scene: Reviewing,
) -> None:
    """Ana's file on her interview reaches Rita; Rita may not describe, delete or restore
    it (HQ refuses a change to an attachment of another's interview), and writes nothing."""
    scene.ana.attachments.attach_bytes(scene.interview, "acta.txt", b"acta de la asamblea")
    scene.ana.sync.sync_now()
    rita = scene.rita
    rita.sync.sync_now()
    (attachment,) = rita.attachments.list_for(scene.interview)
    before = unsent(rita)
    attempts = {
        "describe": lambda: rita.records.update(replace(attachment, description="Otra")),
        "delete": lambda: rita.records.delete(Attachment, attachment.id),
        "restore": lambda: rita.records.restore(Attachment, attachment.id),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ReadOnlyRecord) as refused:
            attempt()
        assert refused.value.message == ENGLISH_REFUSAL, name
    assert rita.records.get(Attachment, attachment.id) == attachment
    assert unsent(rita) == before
    # Her own interview's attachments stay hers to change.
    own = rita.records.create(
        Interview(visit_id=scene.visit.id, held_on=dt.date(2026, 3, 6), pseudonym="Mezquite")
    )
    mine = rita.attachments.attach_bytes(own, "minuta.txt", b"minuta")
    assert rita.records.update(replace(mine, description="Minuta")).description == "Minuta"
