"""How the record editor groups a kind's fields: its sections in order (a title, a note, and
whether the section stands out, like an interview's consent and safety), and which long texts
get more room. Any field a kind's layout does not place goes in a last section."""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.domain.records import Case, Interview, Record, Visit
from fieldkit.i18n import N_


@dataclass(frozen=True)
class Section:
    names: tuple[str, ...]
    title: str | None = None  # msgid
    note: str | None = None  # msgid
    prominent: bool = False


SECTIONS: dict[str, tuple[Section, ...]] = {
    Interview.KIND: (
        Section(
            ("consent", "consent_scope", "risk", "risk_notes", "safe_contact"),
            N_("Consent and safety"),
            N_(
                "Record consent before the notes: notes, risk notes and safe-contact notes "
                "are kept only when consent is given."
            ),
            prominent=True,
        ),
        Section(("pseudonym", "role", "role_details", "held_on", "place", "language")),
        Section(("visit_id", "facility_id")),
        Section(("notes",)),
        Section(
            ("sharing_summary",),
            N_("For sharing"),
            N_(
                "The only words about this interview that a shareable report prints. Write "
                "them for readers outside the embassy and HQ: no name, date, place or detail "
                'that could point to the person. Not printed when consent is "Given, no '
                'quotes".'
            ),
        ),
    ),
    # The case's place in the mechanism leads: its type, stage and the events that set it.
    Case.KIND: (
        Section(("reference", "facility_id", "petitioner", "received_on", "allegations")),
        Section(
            ("case_type", "stage", "events", "clock_overrides"),
            N_("Rapid Response clocks and stage"),
            N_(
                "The stage follows the case's events, and each clock runs from the date of its "
                "event. Override a clock only with a reason (a holiday, an agreed extension)."
            ),
        ),
        Section(("remediation_party", "mexico_grounds", "remedies", "sanctions", "deadlines")),
    ),
    # The title and status lead, as in the visits list; the rest follows the spec.
    Visit.KIND: (
        Section(
            ("summary", "status", "facility_id", "grant_id", "start_date", "end_date", "purpose")
        ),
    ),
}
ROOMY: dict[tuple[str, str], int] = {(Interview.KIND, "notes"): 340}


def sections_for(cls: type[Record]) -> list[Section]:
    """The form's sections: a kind's own layout, then any field it does not place."""
    declared = SECTIONS.get(cls.KIND, ())
    placed = {name for section in declared for name in section.names}
    rest = tuple(spec.name for spec in cls.specs() if spec.name not in placed)
    return [*declared, Section(rest)] if rest else list(declared)
