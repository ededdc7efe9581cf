"""Choices and kinds by the names people write."""

from __future__ import annotations

import pytest

from fieldkit.domain.choice_lookup import choice_names, fold, kind_named, with_choice_codes
from fieldkit.domain.choices import LABELS, MexicanState, RemedyKind, Sector
from fieldkit.domain.records import KINDS, Case, Facility, Interview
from fieldkit.i18n import SPANISH, set_language


def test_fold_ignores_case_accents_and_separators() -> None:
    assert fold(" San_Luis-POTOSÍ ") == fold("san luis potosi") == "san luis potosi"


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("SLP", MexicanState.SLP),
        ("slp", MexicanState.SLP),
        ("San Luis Potosí", MexicanState.SLP),
        ("san luis potosi", MexicanState.SLP),
        ("Mexico City", MexicanState.CMX),
        ("Ciudad de México", MexicanState.CMX),
        ("CDMX", MexicanState.CMX),
        ("State of Mexico", MexicanState.MEX),
        ("Nuevo Leon", MexicanState.NLE),
    ],
)
def test_states_by_code_label_and_alias(text: str, member: MexicanState) -> None:
    assert choice_names(MexicanState).find(text) is member


def test_every_member_of_every_choice_is_found_by_each_of_its_names() -> None:
    set_language(SPANISH)  # the active language must not matter
    for member in LABELS:
        names = choice_names(type(member))
        assert names.find(member.value) is member
        assert names.find(member.name.lower()) is member


def test_spanish_and_english_labels() -> None:
    sectors = choice_names(Sector)
    assert sectors.find("Automotriz") is Sector.AUTOS and sectors.find("autos") is Sector.AUTOS
    assert choice_names(RemedyKind).find("Reinstalación") is RemedyKind.REINSTATEMENT


def test_codes_in_nested_values_and_suggestions() -> None:
    data = {
        "allegations": ["Dismissal for union activity"],
        "remedies": [
            {"kind": "pago retroactivo (diferencias salariales)"},
            {"kind": "SALARIOS CAIDOS"},
            {"kind": "lost wages after dismisal"},
        ],
    }
    coded, problems = with_choice_codes(Case, data)
    assert coded["allegations"] == ["union_dismissal"]
    assert coded["remedies"][:2] == [{"kind": "back_pay"}, {"kind": "lost_wages"}]
    (problem,) = problems
    assert problem.path == "remedies[3].kind"
    assert "Did you mean 'Lost wages after dismissal'?" in problem.message


def test_kinds_by_plural_and_label() -> None:
    assert kind_named("facilities") is Facility and kind_named("Entrevistas") is Interview
    assert kind_named("CENTROS DE TRABAJO") is Facility and kind_named("factories") is None
    assert all(kind_named(kind) is cls for kind, cls in KINDS.items())
