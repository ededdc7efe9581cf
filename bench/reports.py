"""Report benchmark: render a ~50-page visit report and a period summary over 500 visits.

    .venv/bin/python bench/reports.py [--quick] [--json]

Targets: the visit report under 1 s, the period summary under 5 s. Records are built in a
real (temporary) vault and gathered by the report service; the time is the service's
gather + render + atomic write, as `fieldkit report` does it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.choices import ActionStatus, Consent, MexicanState, Sector, VisitPurpose
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.domain.values import FollowUp
from fieldkit.reports import render
from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.vault import Vault, create_vault

TARGETS_S = {"visit_report": 1.0, "period_summary": 5.0}
WORDS = [
    "trabajadores",
    "sindicato",
    "contrato",
    "colectivo",
    "planta",
    "turno",
    "salario",
    "despido",
    "reinstalación",
    "consulta",
    "legitimación",
    "representantes",
    "asamblea",
    "línea",
    "producción",
    "supervisor",
    "amenazas",
    "workers",
    "union",
    "bargaining",
    "agreement",
    "plant",
    "shift",
    "wages",
    "dismissal",
    "reinstatement",
    "vote",
    "representatives",
    "assembly",
    "line",
    "production",
    "supervisor",
    "threats",
    "overtime",
    "training",
]


def prose(rng: random.Random, chars: int) -> str:
    paragraphs, size = [], 0
    while size < chars:
        sentence_count = rng.randint(3, 7)
        paragraph = " ".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
            for _ in range(sentence_count)
        )
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def build(vault: Vault, visits: int, long_chars: int, rng: random.Random) -> tuple[str, int]:
    """A long visit with interviews and follow-ups, plus `visits` short ones; returns the long
    visit's id and the number of facilities."""
    sectors, states = list(Sector), list(MexicanState)
    facilities = [
        vault.records.create(
            Facility(
                name=f"Planta {n:03d}",
                sector=sectors[n % len(sectors)],
                state=states[(n * 7) % len(states)],
            )
        )
        for n in range(50)
    ]
    start = dt.date(2026, 1, 1)
    follow_ups = tuple(
        FollowUp(
            action=prose(rng, 120),
            owner="Attaché",
            due=start + dt.timedelta(days=i),
            status=ActionStatus.OPEN,
        )
        for i in range(80)
    )
    long_visit = vault.records.create(
        Visit(
            facility_id=facilities[0].id,
            start_date=start,
            observations=prose(rng, long_chars),
            findings=prose(rng, long_chars // 2),
            follow_ups=follow_ups,
            attaches=("A. Attaché", "B. Attaché"),
        )
    )
    for n in range(8):
        vault.records.create(
            Interview(
                visit_id=long_visit.id,
                held_on=start,
                pseudonym=f"Persona {n}",
                consent=Consent.GIVEN,
                notes=prose(rng, 4000),
            )
        )
    purposes = list(VisitPurpose)
    for n in range(visits):
        vault.records.create(
            Visit(
                facility_id=facilities[n % len(facilities)].id,
                start_date=start + dt.timedelta(days=n % 300),
                purpose=purposes[n % 4],
                findings=prose(rng, 300),
            )
        )
    return long_visit.id, len(facilities)


def timed(action, repeats: int) -> tuple[float, bytes]:  # type: ignore[no-untyped-def]
    times, data = [], b""
    for _ in range(repeats):
        began = time.perf_counter()
        data = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer visits, shorter text")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    visits, long_chars, repeats = (100, 40_000, 2) if args.quick else (500, 120_000, 3)
    rng = random.Random(7)
    options = ReportOptions(
        language="es_MX", profile=Profile.INTERNAL, generated_at=dt.datetime.now(dt.UTC)
    )
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
        vault, _ = create_vault(
            Path(tmp) / "v",
            "bench passphrase 2026",
            kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST),
        )
        began = time.perf_counter()
        visit_id, _facilities = build(vault, visits, long_chars, rng)
        build_s = time.perf_counter() - began
        reports = vault.reports
        visit_s, visit_pdf = timed(lambda: render(reports.visit_report(visit_id, options)), repeats)
        period_s, period_pdf = timed(
            lambda: render(
                reports.period_report(dt.date(2026, 1, 1), dt.date(2026, 12, 31), options)
            ),
            repeats,
        )
        vault.lock()
    figures = {
        "visits": visits,
        "build_s": round(build_s, 2),
        "visit_report_s": round(visit_s, 3),
        "visit_report_pages": len(PdfReader(io.BytesIO(visit_pdf)).pages),
        "visit_report_bytes": len(visit_pdf),
        "period_summary_s": round(period_s, 3),
        "period_summary_pages": len(PdfReader(io.BytesIO(period_pdf)).pages),
        "period_summary_visits": visits + 1,
        "targets_s": TARGETS_S,
    }
    met = figures["visit_report_s"] < TARGETS_S["visit_report"] and (
        figures["period_summary_s"] < TARGETS_S["period_summary"]
    )
    figures["targets_met"] = met
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"FieldKit report benchmark ({'quick' if args.quick else 'full'}), "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        )
        print(f"vault built with {visits + 1} visits in {build_s:.1f} s")
        print(
            f"visit report: {figures['visit_report_pages']} pages in "
            f"{visit_s * 1000:.0f} ms (target < {TARGETS_S['visit_report']:.0f} s)"
        )
        print(
            f"period summary: {figures['period_summary_visits']} visits, "
            f"{figures['period_summary_pages']} pages in {period_s * 1000:.0f} ms "
            f"(target < {TARGETS_S['period_summary']:.0f} s)"
        )
        print("targets: " + ("all met" if met else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
