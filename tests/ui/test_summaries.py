"""The grant and case summaries at the top of their detail panes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtGui import QTextDocument

from fieldkit.domain.choices import (
    CaseEvent,
    CaseStage,
    CaseType,
    LaborEventKind,
    RemedyKind,
    RemedyStatus,
)
from fieldkit.domain.records import Case, Facility, Grant
from fieldkit.domain.values import CaseStep, Deadline, Disbursement, LaborEvent, Remedy
from fieldkit.ui.summaries import (
    case_summary_html,
    disbursement_chart,
    facility_summary_html,
    grant_summary_html,
)

GRANT = Grant(
    award_number="IL-1",
    grantee="ONG",
    amount=Decimal("1000000"),
    period_start=dt.date(2024, 1, 1),
    period_end=dt.date(2026, 12, 31),
    disbursements=(
        Disbursement(paid_on=dt.date(2024, 3, 1), amount=Decimal("400000")),
        Disbursement(paid_on=dt.date(2025, 3, 1), amount=Decimal("350000")),
    ),
)


def test_grant_summary_shows_award_disbursed_remaining_and_a_chart(qapp) -> None:  # type: ignore[no-untyped-def]
    document = QTextDocument()
    html = grant_summary_html(GRANT, document)
    assert "$1,000,000.00" in html and "$750,000.00" in html and "$250,000.00" in html
    assert "<img" in html
    image = disbursement_chart(GRANT)
    assert not image.isNull()
    # The line is drawn: some pixels are the chart's navy, not all white.
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    assert "#1f3a5f" in colours and len(colours) > 3


def test_the_chart_has_device_pixels_for_a_high_dpi_screen(qapp) -> None:  # type: ignore[no-untyped-def]
    sharp = disbursement_chart(GRANT, pixel_ratio=2.0)
    plain = disbursement_chart(GRANT, pixel_ratio=1.0)
    assert (sharp.width(), sharp.height()) == (2 * plain.width(), 2 * plain.height())
    assert sharp.devicePixelRatio() == 2.0
    assert sharp.deviceIndependentSize().toSize() == plain.size()  # laid out at the same size
    assert "width='420' height='170'" in grant_summary_html(GRANT, QTextDocument())


def test_grant_without_disbursements_has_no_chart(qapp) -> None:  # type: ignore[no-untyped-def]
    html = grant_summary_html(
        Grant(award_number="IL-2", grantee="X", amount=Decimal(5)), QTextDocument()
    )
    assert "<img" not in html and "$5.00" in html


def test_case_summary_marks_stages_and_remedies() -> None:
    case = Case(
        reference="RRM-1",
        received_on=dt.date(2024, 1, 1),
        stage=CaseStage.REMEDIATION_AGREED,
        remedies=(
            Remedy(
                kind=RemedyKind.REINSTATEMENT,
                status=RemedyStatus.COMPLETED,
                evidence="8 of 10 reinstated",
            ),
            Remedy(kind=RemedyKind.BACK_PAY, status=RemedyStatus.IN_PROGRESS),
        ),
        deadlines=(Deadline(label="Plan", due=dt.date(2026, 12, 1)),),
    )
    html = case_summary_html(case)
    assert html.count("✓") == 3 and html.count("○") == 2  # before and after the current one
    assert "● Remediation plan agreed" in html
    assert "☑ <b>Reinstatement</b>" in html and "☐ <b>Back pay (wage differences)</b>" in html
    assert "8 of 10 reinstated" in html and "Plan" in html


def test_case_summary_follows_the_path_of_its_events() -> None:
    case = Case(
        reference="RRM-2",
        received_on=dt.date(2021, 5, 12),
        case_type=CaseType.RRM_SELF_INITIATED,
        stage=CaseStage.MEXICO_REVIEWING,
        events=(
            CaseStep(event=CaseEvent.REVIEW_REQUESTED, on=dt.date(2021, 5, 12)),
            CaseStep(event=CaseEvent.MEXICO_AGREED_TO_REVIEW, on=dt.date(2021, 5, 21)),
        ),
    )
    html = case_summary_html(case)
    assert "✓ Request for review sent to Mexico" in html and "● Mexico reviewing" in html
    assert "○ Mexico's results: denial of rights" in html  # a branch open to it
    assert "Panel constituted" not in html  # not a step this case can take next
    assert "Results of Mexico's review" in html and "Overdue" in html  # due 2021-06-26


def test_facility_summary_says_covered_and_what_to_check() -> None:
    vote = LaborEvent(kind=LaborEventKind.LEGITIMATION_VOTE, on=dt.date(2024, 2, 1))
    plant = Facility(name="x", priority_sector=True, trade_link=True, labor_events=(vote,))
    html = facility_summary_html(plant)
    assert "<b>Covered facility</b>" in html and "2024-02-01" in html
    assert "Not a covered facility" in facility_summary_html(Facility(name="farm"))
