"""What each report says, read back from the PDF with pypdf."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from fieldkit.domain.records import Case, Grant, Visit
from fieldkit.domain.values import Remedy
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.reports import render
from fieldkit.reports.model import (
    CaseReport,
    GrantReport,
    PeriodReport,
    Profile,
    ReportOptions,
    VisitReport,
)
from tests.reports import samples
from tests.reports.pdfcheck import flat, positions, reader, texts


def test_visit_report_content() -> None:
    text = flat(render(samples.visit_report()))
    for expected in (
        "Visit report",
        "Llantas del Potosí, planta San Luis",
        "Global Tire Holdings",
        "Rubber and tires",
        "San Luis Potosí",
        "CFCRL/SLP/2023/0457",
        "Rejected in the legitimation vote",
        "Contrato-ley de la industria del hule",
        "Case follow-up",
        "A. Rivera; M. Chen",
        "IL-31234-17-75-K",
        "Second-shift line workers",
        "wage table",
        samples.FINDING,
        samples.ACTION,
        "Workers and worker representatives 2",  # both interviews, shareable: a count
        "wage-table-photo.jpg",
        "2,345,678",
        "9f86d081884c7d659a2feaa0c55ad015",
        "a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Prepared by",
        "Signature",
        "Shareable: interviewee identities removed",
    ):
        assert expected in text, expected


def test_internal_visit_report_shows_each_interview() -> None:
    text = flat(render(samples.visit_report(profile=Profile.INTERNAL)))
    for expected in ("Interview 1", "Interview 2", "Union delegate", "Refer to legal aid NGO"):
        assert expected in text, expected


def test_visit_report_total_of_people_met() -> None:
    assert re.search(r"Total\s*10\b", flat(render(samples.visit_report())))


def test_empty_sections_say_none_recorded() -> None:
    report = samples.visit_report(findings="", interviews=(), follow_ups=0)
    text = flat(render(report))
    assert text.count("None recorded.") >= 3
    for heading in ("Findings", "Follow-up actions", "Interviews"):
        assert heading in text


def test_blank_author_leaves_a_line_to_sign() -> None:
    text = flat(render(samples.visit_report(author="")))
    assert "Prepared by" in text and "A. Rivera; M. Chen" in text


def test_case_summary_content() -> None:
    text = flat(render(samples.case_report()))
    for expected in (
        "Case summary",
        "RRM-2025-04",
        "Autowerk Puebla assembly plant",
        "Independent union and a U.S. labor federation",
        "Dismissal for union activity",
        "Denial of freedom of association",
        "Reinstatement",
        "Eight workers reinstated",
        "Signed reinstatement letters",
        "Back pay",
        "Remediation plan due",
        "Current stage",
        "Request for review sent to Mexico",
        "Ten workers were fired for union activity.",
        "Workers and worker representatives 1",
        "Number of tips 1",
    ):
        assert expected in text, expected
    for internal_only in ("Interview 1", "Dismissals after union assembly", "Linked to a case"):
        assert internal_only not in text, internal_only


def test_internal_case_summary_lists_interviews_and_tips() -> None:
    text = flat(render(samples.case_report(profile=Profile.INTERNAL)))
    for expected in ("Interview 1", "Dismissals after union assembly", "Linked to a case"):
        assert expected in text, expected


def test_grant_report_amounts() -> None:
    text = flat(render(samples.grant_report()))
    for expected in (
        "Grant status report",
        "IL-35000-21-75-K",
        "$2,500,000.00",
        "$500,000.00",
        "$750,000.50",
        "$400,000.00",
        "$1,650,000.50",  # total disbursed
        "$849,999.50",  # remaining
        "Baseline study",
        "Conciliators trained",
        "134",
        "Cumulative disbursed",  # the chart's legend
        "Award amount",
        "Monitoring visits",
        "Llantas del Potosí, planta San Luis",
    ):
        assert expected in text, expected


def test_period_summary_counts_by_sector_and_state() -> None:
    report = samples.period_report(40)
    text = flat(render(report))
    assert "Period summary" in text and "Jan 1, 2026 – Mar 31, 2026" in text
    # 40 visits over 10 facilities cycling through 9 sectors: autos has 2 facilities.
    assert re.search(r"Autos 8 Auto parts 4 Electronics 4", text)
    assert re.search(r"Total 40\b", text)
    assert "Aguascalientes" in text and "Visits by sector and state" in text
    assert text.count("Planta 003") == 4


def test_period_summary_without_visits() -> None:
    report = samples.period_report(1)
    empty = type(report)(report.options, report.start, report.end, (), {})
    assert flat(render(empty)).count("None recorded.") == 3


def test_spanish_report_uses_spanish_labels() -> None:
    english = flat(render(samples.visit_report()))
    spanish = flat(render(samples.visit_report(language="es_MX")))
    assert "Findings" in english and "Findings" not in spanish
    assert "Hallazgos" in spanish
    assert "4 mar 2026" in spanish  # dates in the report's language, not the interface's
    assert re.search(r"Página 1 de \d+", spanish)


def test_marking_top_and_bottom_of_every_page() -> None:
    marking = "CUI//SP-PRVCY"
    report = samples.visit_report(findings=samples.LOREM * 150)
    report = type(report)(
        ReportOptions(language="en_US", marking=marking),
        report.visit,
        report.facility,
        report.grant,
        report.interviews,
        report.attachments,
    )
    pdf_reader = reader(render(report))
    assert len(pdf_reader.pages) > 2
    for page in pdf_reader.pages:
        height = float(page.mediabox.height)
        heights = positions(page, marking)
        assert len(heights) == 2
        assert max(heights) > height - 72 and min(heights) < 72


def test_page_x_of_y_on_every_page() -> None:
    pages = texts(render(samples.visit_report(findings=samples.LOREM * 200)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_long_text_flows_over_pages_and_nothing_is_cut() -> None:
    ending = "and the last words of the findings are these"
    findings = "\n".join(samples.LOREM * 8 for _ in range(30)) + " " + ending
    pdf = render(samples.visit_report(findings=findings))
    assert len(reader(pdf).pages) > 3
    assert ending in flat(pdf)


def test_one_paragraph_of_100k_characters() -> None:
    ending = "final-word-of-the-paragraph"
    pdf = render(samples.visit_report(findings=samples.LOREM * 560 + ending))
    text = flat(pdf)
    assert ending in text and text.count("second shift") == 560


def test_table_header_repeats_on_the_next_page() -> None:
    pdf = render(samples.visit_report(follow_ups=120, interviews=()))
    pages = texts(pdf)
    continued = [text for text in pages if "(item 120)" in text]
    assert continued and "(item 1)" not in continued[0]
    assert "Owner" in continued[0] and "Due date" in continued[0]
    assert sum("Owner" in text for text in pages) >= 2


def test_unknown_report_type() -> None:
    with pytest.raises(TypeError):
        render(object())  # type: ignore[arg-type]


def test_internal_profile_label_and_pseudonym() -> None:
    report = samples.visit_report(
        profile=Profile.INTERNAL, interviews=(samples.interview(samples.PSEUDONYM),)
    )
    text = flat(render(report))
    assert "Internal (HQ)" in text
    assert f"Interview 1: {samples.PSEUDONYM}" in text


def test_report_language_is_not_the_interface_language() -> None:
    set_language(SPANISH)
    assert "Findings" in flat(render(samples.visit_report(language="en_US")))
    set_language(ENGLISH)
    assert "Hallazgos" in flat(render(samples.visit_report(language="es_MX")))


def test_a_table_row_taller_than_a_page_splits() -> None:
    report = samples.case_report()
    remedy = Remedy(description="long", evidence=samples.LOREM * 120 + " evidence-ends-here")
    case = replace(report.case, remedies=(remedy,))
    pdf = render(replace(report, case=case))
    assert len(reader(pdf).pages) > 3
    assert "evidence-ends-here" in flat(pdf)


def test_minimal_records_render() -> None:
    visit = Visit(start_date=dt.date(2026, 1, 5))
    opts = samples.options()
    bare_visit = VisitReport(opts, visit, None, None, (), ())
    bare = render(bare_visit)
    assert "Jan 5, 2026" in flat(bare)
    assert reader(bare).metadata.title == "Visit report: Jan 5, 2026"  # type: ignore[union-attr]
    bare_case = CaseReport(opts, Case(reference="RRM-X"), None, (), (), (), {})
    assert flat(render(bare_case)).count("None recorded.") >= 7
    bare_grant = GrantReport(opts, Grant(award_number="G-1"), (), {})
    assert "G-1" in flat(render(bare_grant))
    orphan = Visit(facility_id="missing", start_date=dt.date(2026, 1, 6))
    period = PeriodReport(opts, dt.date(2026, 1, 1), dt.date(2026, 1, 31), (orphan,), {})
    assert re.search(r"Unknown 1 Total 1", flat(render(period)))
