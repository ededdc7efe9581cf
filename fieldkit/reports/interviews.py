"""Interviews and tips in a report, by profile.

Shareable: interviews appear only as a count per role group and the summaries their authors
wrote for sharing (when the interviewee agreed to be quoted), in alphabetical order so that
nothing ties a summary to a role or a date; tips appear only as a count. Nothing else of an
interview or a tip is read here, whatever the records handed in carry.

Internal: every interview in full, except that no report prints the notes or the summary
for sharing of an interview whose consent says "no quotes"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from fieldkit.domain.choices import Consent, PersonRole, may_quote
from fieldkit.domain.records import Interview, Tip
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder

WORKERS = N_("Workers and worker representatives")
MANAGEMENT = N_("Management")
OTHERS = N_("Officials and organizations")
ROLE_GROUPS: dict[PersonRole, str] = {
    PersonRole.WORKER: WORKERS,
    PersonRole.UNION_DELEGATE: WORKERS,
    PersonRole.MANAGER: MANAGEMENT,
    PersonRole.OFFICIAL: OTHERS,
    PersonRole.NGO: OTHERS,
}
GROUP_ORDER = (WORKERS, MANAGEMENT, OTHERS)
ROLE_GROUP = N_("Role group")
INTERVIEW_COUNT = N_("Interviews")
TOTAL = N_("Total")
SUMMARIES = N_("Summaries for sharing")
SHAREABLE_NOTE = N_(
    "A shareable report shows interviews only as counts by role group and the summaries "
    "written for sharing: no names, dates, places, languages or notes."
)
TIPS_LINKED = N_("Number of tips")
TIPS_NOTE = N_("A shareable report shows tips only as a count: no dates, channels or subjects.")
NOT_QUOTED = N_(
    "Not printed: the interviewee agreed to the interview but not to being quoted, in any report."
)


def shareable_interviews(b: Builder, interviews: Sequence[Interview]) -> None:
    """Counts by role group, then the summaries written for sharing that may be quoted."""
    if not interviews:
        b.none()
        return
    counts = Counter(ROLE_GROUPS[interview.role] for interview in interviews)
    rows = [[b.t(group), b.t.number(counts[group])] for group in GROUP_ORDER if counts[group]]
    totals = [[b.t(TOTAL), b.t.number(len(interviews))]]
    b.table([b.t(ROLE_GROUP), b.t(INTERVIEW_COUNT)], rows, [0.6, 0.2], totals=totals, right=(1,))
    b.subheading(b.t(SUMMARIES))
    summaries = sorted(
        (text for text in map(shareable_summary, interviews) if text), key=str.casefold
    )
    if not summaries:
        b.none()
    for summary in summaries:
        b.text(summary)
    b.note(b.t(SHAREABLE_NOTE))


def shareable_summary(interview: Interview) -> str:
    """The interview's summary for sharing, or "" when consent does not allow quoting it."""
    return interview.sharing_summary.strip() if may_quote(interview.consent) else ""


def interview_words(b: Builder, interview: Interview) -> None:
    """An internal report's notes and summary for sharing, as consent allows."""
    b.subheading(b.field(Interview, "notes"))
    if may_quote(interview.consent):
        b.text(interview.notes)
    elif interview.consent is Consent.GIVEN_NO_QUOTES:
        b.note(b.t(NOT_QUOTED))
    else:
        b.none()  # without consent there are no notes to print
    summary = shareable_summary(interview)
    if summary:
        b.subheading(b.field(Interview, "sharing_summary"))
        b.text(summary)


def shareable_tips(b: Builder, tips: Sequence[Tip]) -> None:
    if not tips:
        b.none()
        return
    b.fields([(b.t(TIPS_LINKED), b.t.number(len(tips)))])
    b.note(b.t(TIPS_NOTE))
