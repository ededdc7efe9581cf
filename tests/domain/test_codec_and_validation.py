from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fieldkit.domain.choices import Consent, MexicanState, Sector
from fieldkit.domain.codec import from_plain, to_plain
from fieldkit.domain.fields import LONGTEXT_MAX, TEXT_MAX
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import RECORD_TYPES, Facility, Grant, Interview, Visit
from fieldkit.domain.validation import validate
from fieldkit.domain.values import Disbursement
from fieldkit.i18n import SPANISH, set_language


def paths(problems: list) -> set[str]:
    return {p.path for p in problems}


def test_every_kind_round_trips_through_plain_values() -> None:
    for cls in RECORD_TYPES:
        record = cls()
        values, problems = from_plain(cls, to_plain(record))
        assert problems == []
        assert cls(id=record.id, **values) == record


def test_parse_reports_each_bad_field_by_name() -> None:
    _, problems = from_plain(
        Visit,
        {
            "start_date": "2024-13-01",
            "purpose": "inspection",
            "follow_ups": [{"action": "call", "due": "soon"}],
            "facility_id": "x",
            "bogus": 1,
        },
    )
    assert paths(problems) == {"start_date", "purpose", "follow_ups[1].due", "facility_id", "bogus"}


def test_money_is_exact_and_accepts_common_spellings() -> None:
    values, problems = from_plain(Grant, {"amount": "$1,250,000.5"})
    assert problems == []
    assert values["amount"] == Decimal("1250000.50")
    _, problems = from_plain(Grant, {"amount": "NaN"})
    assert paths(problems) == {"amount"}


def test_required_fields_and_rules_name_their_field() -> None:
    problems = validate(Interview(notes="dijo que..."))
    assert paths(problems) == {"held_on", "pseudonym", "facility_id", "notes"}
    assert any("consent" in p.message for p in problems)


def test_consent_given_allows_notes() -> None:
    interview = Interview(
        pseudonym="Colibrí",
        facility_id=new_id(),
        held_on=dt.date(2025, 3, 1),
        consent=Consent.GIVEN,
        notes="dijo que...",
    )
    assert validate(interview) == []


def test_dates_must_be_in_order() -> None:
    visit = Visit(
        facility_id=new_id(), start_date=dt.date(2025, 5, 2), end_date=dt.date(2025, 5, 1)
    )
    assert paths(validate(visit)) == {"end_date"}


def test_disbursements_cannot_exceed_the_award() -> None:
    grant = Grant(
        award_number="IL-1",
        grantee="ONG",
        amount=Decimal("100.00"),
        disbursements=(
            Disbursement(paid_on=dt.date(2025, 1, 1), amount=Decimal("60.00")),
            Disbursement(paid_on=dt.date(2025, 2, 1), amount=Decimal("40.01")),
        ),
    )
    assert paths(validate(grant)) == {"disbursements"}


def test_amounts_cannot_be_negative() -> None:
    grant = Grant(award_number="IL-1", grantee="ONG", amount=Decimal("-1"))
    assert paths(validate(grant)) == {"amount"}


def test_length_limits_at_the_boundary() -> None:
    assert validate(Facility(name="x" * TEXT_MAX)) == []
    assert paths(validate(Facility(name="x" * (TEXT_MAX + 1)))) == {"name"}
    ok = Interview(
        pseudonym="p",
        facility_id=new_id(),
        held_on=dt.date(2025, 1, 1),
        consent=Consent.GIVEN,
        notes="n" * LONGTEXT_MAX,
    )
    assert validate(ok) == []
    too_long = Interview(
        pseudonym="p",
        facility_id=new_id(),
        held_on=dt.date(2025, 1, 1),
        consent=Consent.GIVEN,
        notes="n" * (LONGTEXT_MAX + 1),
    )
    assert paths(validate(too_long)) == {"notes"}


def test_control_characters_are_refused_but_newlines_in_notes_are_fine() -> None:
    assert paths(validate(Facility(name="Planta\x00Uno"))) == {"name"}
    assert paths(validate(Facility(name="Planta\nUno"))) == {"name"}
    visit = Visit(facility_id=new_id(), start_date=dt.date(2025, 1, 1), findings="uno\ndos\tres")
    assert validate(visit) == []


def test_odd_unicode_is_kept() -> None:
    name = "Ñandú \u200f\u202e rtl 👷🏽\u200d♀️ e\u0301"
    assert validate(Facility(name=name)) == []


def test_text_is_normalized_to_nfc() -> None:
    values, _ = from_plain(Facility, {"name": "Potosi\u0301"})
    assert values["name"] == "Potosí"


def test_choice_values_are_checked() -> None:
    facility = Facility(name="x", sector="cars")  # type: ignore[arg-type]
    assert paths(validate(facility)) == {"sector"}
    values, problems = from_plain(Facility, {"state": "slp", "sector": "AUTOS"})
    assert problems == [] and values["state"] is MexicanState.SLP
    assert values["sector"] is Sector.AUTOS


def test_messages_exist_in_spanish() -> None:
    set_language(SPANISH)
    message = validate(Facility())[0].message
    assert "Name" not in message and message.strip()


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60
).filter(lambda s: s.strip() != "")


@given(text_values)
def test_any_printable_text_survives_the_codec(name: str) -> None:
    values, problems = from_plain(Facility, {"name": name})
    assert problems == []
    facility = Facility(**values)
    assert to_plain(facility)["name"] == unicodedata.normalize("NFC", name)


@given(
    st.dictionaries(
        st.sampled_from([s.name for s in Grant.specs()] + ["x"]),
        st.one_of(
            st.none(),
            st.text(max_size=20),
            st.integers(),
            st.booleans(),
            st.lists(st.text(max_size=5), max_size=3),
            st.dictionaries(st.text(max_size=5), st.text(max_size=5)),
        ),
    )
)
def test_parsing_never_raises(data: dict) -> None:
    values, problems = from_plain(Grant, data)
    if not problems:
        validate(Grant(**values))
