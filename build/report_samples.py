"""Render sample reports from a demo vault into docs/reports/: PDFs, first pages as PNG, and
the visit reports' interviews page (what each profile prints of an interview) as PNG.

    .venv/bin/python build/report_samples.py      (make report-samples)

Needs pdftoppm (Debian: poppler-utils) for the PNGs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.records import Case, Grant, Visit
from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.vault import create_vault

OUT = Path(__file__).resolve().parent.parent / "docs" / "reports"
# Sample -> the outline entry whose page is also drawn, as <sample>-interviews.png.
INTERVIEW_PAGES = {"visit-es-shareable": "Entrevistas", "visit-en-internal": "Interview 1"}
GENERATED = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: sudo apt-get install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldkit-samples-") as tmp:
        vault, _ = create_vault(
            Path(tmp) / "v", "sample passphrase", kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
        )
        fill_with_demo_data(vault)
        reports = vault.reports
        visit = max(vault.records.list(Visit), key=lambda v: len(v.findings) + len(v.observations))
        case = next(c for c in vault.records.list(Case) if c.reference == "RRM-2023-07")
        grant = max(vault.records.list(Grant), key=lambda g: len(g.disbursements))
        samples = {
            "visit-en-internal": reports.visit_report(
                visit.id, _options("en_US", Profile.INTERNAL)
            ),
            "visit-es-shareable": reports.visit_report(visit.id, _options("es_MX")),
            "case-es-shareable": reports.case_report(case.id, _options("es_MX")),
            "grant-en-shareable": reports.grant_report(grant.id, _options("en_US")),
            "period-es-shareable": reports.period_report(
                dt.date(2025, 1, 1), dt.date(2026, 12, 31), _options("es_MX")
            ),
        }
        for name, report in samples.items():
            pdf = OUT / f"{name}.pdf"
            reports.export_pdf(report, pdf)
            _png(pdf, 1, name)
            print(f"{pdf.relative_to(OUT.parent.parent)} and {name}.png")
            if name in INTERVIEW_PAGES:
                _png(pdf, _page_of(pdf, INTERVIEW_PAGES[name]), f"{name}-interviews")
                print(f"  and {name}-interviews.png")
        vault.lock()
    return 0


def _png(pdf: Path, page: int, name: str) -> None:
    number = str(page)
    command = ["pdftoppm", "-png", "-r", "70", "-f", number, "-l", number, "-singlefile"]
    subprocess.run([*command, str(pdf), str(OUT / name)], check=True)


def _page_of(pdf: Path, title: str) -> int:
    """The one-based page an outline entry points at."""
    from pypdf import PdfReader  # noqa: PLC0415 - a test dependency, needed only here

    reader = PdfReader(pdf)
    pending = list(reader.outline)
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending.extend(item)
        elif item.title == title:
            return reader.get_destination_page_number(item) + 1
    raise LookupError(f"{pdf.name} has no outline entry {title!r}")


def _options(language: str, profile: Profile = Profile.SHAREABLE) -> ReportOptions:
    return ReportOptions(
        language=language, profile=profile, author="Demo Attaché", generated_at=GENERATED
    )


if __name__ == "__main__":
    sys.exit(main())
