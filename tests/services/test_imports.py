"""Imports of files as spreadsheets write them, with choices by label, previews, progress,
likely duplicates, and all-or-nothing over many batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit.domain.choices import (
    ActionStatus,
    MexicanState,
    Sector,
    VisitPurpose,
)
from fieldkit.domain.records import Facility, Grant, Visit
from fieldkit.errors import ImportRejected, UnreadableFile
from fieldkit.services.file_formats import CP1252, UTF8, UTF8_BOM
from fieldkit.services.vault import Vault

DATA = Path(__file__).resolve().parent.parent / "data"
EXPECTED = {
    "Planta Norte": (Sector.AUTOS, MexicanState.SLP, "Autopartes del Bajío, S.A. de C.V."),
    "Ensambles Puebla": (Sector.AUTO_PARTS, MexicanState.PUE, "Ensambles Poblanos"),
    "Llantas del Noreste": (Sector.RUBBER_TIRES, MexicanState.NLE, 'Llantas "El Águila"'),
    "Maquila Juárez": (Sector.APPAREL, MexicanState.CHH, "Confecciones del Norte"),
}


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("excel_cp1252_comma.csv", CP1252, ","),
        ("excel_cp1252_semicolon.csv", CP1252, ";"),
        ("excel_utf8_bom.csv", UTF8_BOM, ","),
        ("libreoffice_utf8.csv", UTF8, ","),
    ],
)
def test_spreadsheet_files_import_with_labels(
    vault: Vault, name: str, encoding: str, delimiter: str
) -> None:
    result = vault.transfer.import_file("facilities", DATA / name)
    assert (result.imported, result.encoding, result.delimiter) == (4, encoding, delimiter)
    found = {f.name: (f.sector, f.state, f.employer) for f in vault.records.list(Facility)}
    assert found == EXPECTED
    norte = next(f for f in vault.records.list(Facility) if f.name == "Planta Norte")
    assert norte.unions == ("SNTMMSSRM", "Independiente")


def test_a_binary_file_is_still_refused(vault: Vault) -> None:
    with pytest.raises(UnreadableFile, match="not a text file"):
        vault.transfer.import_file("facility", DATA / "workbook_renamed.csv")


def test_excel_sep_line_is_honoured(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("sep=;\r\nname;state\r\nPlanta, Sur;Yucatán\r\n".encode("cp1252"))
    result = vault.transfer.import_file("facility", path)
    assert result.imported == 1 and result.delimiter == ";"
    assert vault.records.list(Facility)[0].state is MexicanState.YUC


def test_labels_for_every_choice_field_in_json(vault: Vault, tmp_path: Path) -> None:
    plant = vault.records.create(Facility(name="P"))
    visit = {
        "facility_id": plant.id,
        "start_date": "2025-01-02",
        "purpose": "Seguimiento de caso",
        "status": "FINAL",
        "follow_ups": [{"action": "Llamar", "status": "HECHO"}],
    }
    grant = {
        "award_number": "IL-9",
        "grantee": "ONG",
        "amount": "100",
        "sectors": ["Automotriz", "electronics"],
        "states": ["Ciudad de México", "estado de mexico", "NUEVO LEÓN"],
    }
    (tmp_path / "v.json").write_text(json.dumps([visit]), encoding="utf-8")
    (tmp_path / "g.json").write_text(json.dumps({"records": [grant]}), encoding="utf-8")
    vault.transfer.import_file("visits", tmp_path / "v.json")
    vault.transfer.import_file("grants", tmp_path / "g.json")
    (saved,) = vault.records.list(Visit)
    assert saved.purpose is VisitPurpose.CASE_FOLLOW_UP
    assert saved.follow_ups[0].status is ActionStatus.DONE
    (award,) = vault.records.list(Grant)
    assert award.sectors == (Sector.AUTOS, Sector.ELECTRONICS)
    assert award.states == (MexicanState.CMX, MexicanState.MEX, MexicanState.NLE)


def test_an_unknown_choice_suggests_the_closest(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("name,state,sector\nA,San Luis Potossi,Automotris\nB,Narnia,autos\n")
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("facility", path)
    first, second = (reason for _, reason in caught.value.problems)
    assert "Did you mean 'San Luis Potosí'?" in first and "Did you mean 'Automotriz'?" in first
    assert "'Narnia' is not one of its choices (AGU, BCN" in second


def test_likely_duplicates_are_reported_and_can_be_skipped(vault: Vault, tmp_path: Path) -> None:
    vault.records.create(Facility(name="Llantas del Potosí", state=MexicanState.SLP))
    path = tmp_path / "f.csv"
    path.write_text(
        "name,state\n"
        "LLANTAS DEL POTOSI,San Luis Potosí\n"  # the vault's, by another spelling
        "Llantas del Potosí,Jalisco\n"  # same name, another state: not a duplicate
        "Nueva,PUE\n"
        "nueva,Puebla\n",  # the row above again
        encoding="utf-8",
    )
    preview = vault.transfer.preview_import("facility", path)
    assert [line for line, _ in preview.duplicates] == [2, 5]
    assert "Llantas del Potosí" in preview.duplicates[0][1]
    assert "earlier in this file" in preview.duplicates[1][1]
    result = vault.transfer.import_file("facility", path, skip_duplicates=True)
    assert result.imported == 2 and len(result.duplicates) == 2
    assert vault.records.count(Facility) == 3


def test_preview_shows_rows_and_problems_and_writes_nothing(vault: Vault, tmp_path: Path) -> None:
    journal_before = len(vault.store.journal_entries())
    rows = "".join(f"Planta {n},autos,Puebla\n" for n in range(30)) + ",autos,Pueblo\n"
    path = tmp_path / "f.csv"
    path.write_text("name,sector,state\n" + rows, encoding="utf-8")
    preview = vault.transfer.preview_import("facility", path)
    assert preview.columns == ["name", "sector", "state"]
    assert len(preview.sample) == 20 and preview.sample[0] == (
        2,
        {"name": "Planta 0", "sector": "autos", "state": "Puebla"},
    )
    assert (preview.rows, preview.ready) == (31, 30)
    assert [line for line, _ in preview.problems] == [32]
    assert vault.records.count(Facility) == 0
    assert len(vault.store.journal_entries()) == journal_before


def test_a_bad_row_after_many_batches_keeps_nothing(vault: Vault, tmp_path: Path) -> None:
    journal_before = len(vault.store.journal_entries())
    rows = "".join(f"Planta {n},autos,NLE\n" for n in range(2500))
    path = tmp_path / "f.csv"
    path.write_text("name,sector,state\n" + rows + "Mala,cars,NLE\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("facility", path, progress=lambda d, t: seen.append((d, t)))
    assert [line for line, _ in caught.value.problems] == [2502]
    assert vault.records.count(Facility) == 0
    assert vault.store.search("Planta") == []
    assert len(vault.store.journal_entries()) == journal_before
    assert seen[-1] == (2502, 2502) and len(seen) >= 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
