"""`fieldkit import` with files as spreadsheets write them, plural kind names, the progress
bar and likely duplicates."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from fieldkit import cli
from fieldkit.cli.progress import ProgressBar
from tests.cli_support import minimum_kdf, run, vault_path

__all__ = ["minimum_kdf", "vault_path"]  # fixtures shared with the command line's tests

DATA = Path(__file__).resolve().parent / "data"


def test_plural_kinds_and_an_excel_semicolon_file(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = str(DATA / "excel_cp1252_semicolon.csv")
    code, out, err = run(capsys, "--vault", str(vault_path), "import", "facilities", source)
    assert code == 0, err
    assert "Imported 4 record(s)." in out and "Windows-1252" in out
    code, out, _ = run(capsys, "--vault", str(vault_path), "--json", "list", "facilities")
    assert code == 0 and {r["title"] for r in json.loads(out)} >= {"Planta Norte"}
    code, out, _ = run(capsys, "--vault", str(vault_path), "--json", "search", "Bajío")
    assert json.loads(out)[0]["title"] == "Planta Norte"
    code, _, _ = run(capsys, "--vault", str(vault_path), "export", "Facilities", "--format", "csv")
    assert code == 0
    with pytest.raises(SystemExit) as exited:
        run(capsys, "--vault", str(vault_path), "list", "factories")
    assert exited.value.code == 2 and "facilities" in capsys.readouterr().err


def test_duplicates_are_reported_then_skipped(vault_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "first.csv"
    shutil.copy(DATA / "libreoffice_utf8.csv", first)
    assert run(capsys, "--vault", str(vault_path), "import", "facility", str(first))[0] == 0
    again = tmp_path / "again.csv"
    again.write_text("name,state\nPLANTA NORTE,slp\nPlanta Nueva,SLP\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "--vault", str(vault_path), "--json", "import", "facility", str(again),
        "--skip-duplicates",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["imported"] == 1 and data["duplicates_skipped"]
    assert [line for line, _ in data["duplicates"]] == [2]
    assert "Planta Norte" in data["duplicates"][0][1]
    code, out, _ = run(capsys, "--vault", str(vault_path), "import", "facility", str(again))
    assert "Imported 2 record(s)." in out and "likely duplicate, line 2" in out


def test_json_problems_name_the_record(vault_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "f.json"
    source.write_text(json.dumps([{"name": "A", "state": "Pueblo"}, {"name": "B"}]))
    code, _, err = run(capsys, "--vault", str(vault_path), "import", "facilities", str(source))
    assert code == 1 and "record 1:" in err and "Did you mean 'Puebla'?" in err


def test_binary_files_are_refused(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = str(DATA / "workbook_renamed.csv")
    code, _, err = run(capsys, "--vault", str(vault_path), "import", "facilities", source)
    assert code == 1 and "not a text file" in err


def test_report_takes_the_plural_kind() -> None:
    args = cli.build_parser().parse_args(["report", "visits", "0192-x"])
    assert args.report_kind == "visit"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only() -> None:
    screen = Terminal()
    bar = ProgressBar("Importing", screen)
    bar.update(0, 200)
    bar.update(200, 200)
    bar.finish()
    assert screen.getvalue().endswith("[##############################] 100%\n")
    assert screen.getvalue().startswith("\rImporting [....")
    piped = io.StringIO()
    silent = ProgressBar("Importing", piped)
    silent.update(200, 200)
    silent.finish()
    assert piped.getvalue() == ""
