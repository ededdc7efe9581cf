"""`fieldkit report quarterly`: the quarterly report to the ILC from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit import cli
from tests.cli_support import run, vault_path  # noqa: F401 - fixture
from tests.reports.pdfcheck import flat


def test_quarterly_report_from_the_command_line(
    vault_path: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "q.pdf"
    code, out, err = run(
        capsys,
        "--vault",
        str(vault_path),
        "--json",
        "report",
        "quarterly",
        "--year",
        "2026",
        "--quarter",
        "4",
        "--post",
        "Monterrey",
        "-o",
        str(output),
    )
    assert code == 0, err
    assert json.loads(out)["profile"] == "shareable"
    text = flat(output.read_bytes())
    assert "Quarterly report to the Interagency Labor Committee" in text and "Monterrey" in text
    with pytest.raises(SystemExit) as refused:  # the quarter is required
        cli.main(["--vault", str(vault_path), "report", "quarterly", "--year", "2026"])
    assert refused.value.code == 2
