"""PDF reports end to end from a real vault: the shareable profile leaves no identifying
field of an interview in the text, the metadata or the outline; exports are audited."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.vault import Vault
from fieldkit.store.audit import AuditAction
from tests.conftest import PASSPHRASE
from tests.services.conftest import SECRET, options


def everything_readable(pdf: bytes) -> str:
    """Text layer, document info and outline titles, in one string."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]

    def titles(outline: list) -> list[str]:  # type: ignore[type-arg]
        found = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [str(item.title)]
        return found

    parts += titles(reader.outline)
    return "\n".join(parts)


def squash(text: str) -> str:
    # Extraction may break lines inside a phrase; compare without whitespace.
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", ["visit", "case"])
def test_shareable_pdf_leaks_no_identifying_field(vault: Vault, scene: dict, kind: str) -> None:  # type: ignore[type-arg]
    subject = scene[kind]
    build = getattr(vault.reports, f"{kind}_report")
    internal = vault.reports.export_pdf(
        build(subject.id, options(Profile.INTERNAL)), vault.files.root / "internal.pdf"
    )
    assert internal > 0
    internal_text = squash(everything_readable((vault.files.root / "internal.pdf").read_bytes()))
    assert squash(SECRET["pseudonym"]) in internal_text  # the internal report does carry it

    vault.reports.export_pdf(build(subject.id, options()), vault.files.root / "shareable.pdf")
    shareable = squash(everything_readable((vault.files.root / "shareable.pdf").read_bytes()))
    leaked = [field for field, value in SECRET.items() if squash(value) in shareable]
    assert leaked == []


def test_exports_are_audited_with_profile_and_language(vault: Vault, scene: dict) -> None:  # type: ignore[type-arg]
    report = vault.reports.grant_report(scene["grant"].id, ReportOptions(language="en_US"))
    vault.reports.export_pdf(report, vault.files.root / "g.pdf")
    entry = vault.store.recent_audit()[0]
    assert entry.action is AuditAction.EXPORTED and entry.record_id == scene["grant"].id
    assert entry.detail == "report=GrantReport,profile=shareable,language=en_US"
    assert (vault.files.root / "g.pdf").stat().st_mode & 0o077 == 0


def test_report_command(vault: Vault, scene: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    vault.lock()
    out = tmp_path / "visita.pdf"
    env_args = [sys.executable, "-m", "fieldkit", "--vault", str(vault.files.root), "--json"]
    result = subprocess.run(
        [*env_args, "report", "visit", scene["visit"].id, "--lang", "es", "-o", str(out)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"] == "shareable"
    reader = PdfReader(out)
    assert reader.pdf_header.startswith("%PDF")
    assert "Llantas del Centro" in reader.pages[0].extract_text()
    period = subprocess.run(
        [
            *env_args,
            "report",
            "period",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "-o",
            str(tmp_path / "p.pdf"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert period.returncode == 0, period.stderr
    bad = subprocess.run(
        [*env_args, "report", "period", "--from", "2026-13-01", "--to", "2026-12-31"],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "FIELDKIT_PASSPHRASE": PASSPHRASE}
