"""Import and export, including hostile files: nothing half-imported, every bad row named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from fieldkit.domain.records import Facility, Visit
from fieldkit.errors import ImportRejected, UnreadableFile
from fieldkit.services.vault import Vault, create_vault
from tests.conftest import PASSPHRASE, fast_kdf

HEADER = "name,sector,state,unions,priority_sector\n"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_csv_import_of_facilities(vault: Vault, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "f.csv",
        HEADER
        + "Planta Uno,autos,GUA,SNTMMSSRM; Independiente,sí\n"
        "Planta Dos,electronics,Jalisco?,,no\n".replace("Jalisco?", "JAL"),
    )
    result = vault.transfer.import_file("facility", path)
    assert result.imported == 2 and result.skipped == []
    uno = next(f for f in vault.records.list(Facility) if f.name == "Planta Uno")
    assert uno.unions == ("SNTMMSSRM", "Independiente") and uno.priority_sector


def test_a_bad_row_imports_nothing_and_names_its_line(vault: Vault, tmp_path: Path) -> None:
    path = write(
        tmp_path, "f.csv", HEADER + "Buena,autos,GUA,,no\n,autos,GUA,,no\nMala,cars,XX,,no\n"
    )
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("facility", path)
    assert [line for line, _ in caught.value.problems] == [3, 4]
    assert "Name is required" in caught.value.problems[0][1]
    assert "cars" in caught.value.problems[1][1]
    assert any(line.startswith("line 4:") for line in caught.value.details())
    assert vault.records.count(Facility) == 0


def test_skip_invalid_imports_the_good_rows(vault: Vault, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", HEADER + "Buena,autos,GUA,,no\nMala,cars,,,no\n")
    result = vault.transfer.import_file("facility", path, skip_invalid=True)
    assert result.imported == 1 and [line for line, _ in result.skipped] == [3]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe")]
)
def test_boms_and_utf16_are_read(vault: Vault, tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = write(
        tmp_path,
        "f.csv",
        bom + (HEADER + "Llantas del Potosí,rubber_tires,SLP,,no\n").encode(encoding),
    )
    assert vault.transfer.import_file("facility", path).imported == 1
    assert vault.records.list(Facility)[0].name == "Llantas del Potosí"


def test_bytes_neither_utf8_nor_windows_1252_are_a_clear_error(
    vault: Vault, tmp_path: Path
) -> None:
    # 0x81 is not a character in Windows-1252, and not UTF-8 here either.
    path = write(tmp_path, "f.csv", (HEADER + "Potos\x81,autos,,,no\n").encode("latin-1"))
    with pytest.raises(UnreadableFile) as caught:
        vault.transfer.import_file("facility", path)
    assert "UTF-8" in caught.value.message and "line 2" in caught.value.message


def test_unknown_columns_are_named(vault: Vault, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "name,colour\nx,red\n")
    with pytest.raises(UnreadableFile, match="colour"):
        vault.transfer.import_file("facility", path)


def test_huge_fields_and_10mb_lines_are_refused_per_row(vault: Vault, tmp_path: Path) -> None:
    huge = "x" * (10 * 1024 * 1024)
    path = write(tmp_path, "f.csv", HEADER + f"{huge},autos,,,no\nFine,autos,,,no\n")
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("facility", path)
    assert [line for line, _ in caught.value.problems] == [2]
    assert "too long" in caught.value.problems[0][1]


def test_odd_unicode_survives_import_and_export(vault: Vault, tmp_path: Path) -> None:
    names = ["Ñandú e\u0301", "\u200fمصنع\u200f", "👷🏽\u200d♀️ Planta", "\u202eevil"]
    path = write(tmp_path, "f.json", json.dumps([{"name": n} for n in names], ensure_ascii=False))
    assert vault.transfer.import_file("facility", path).imported == 4
    text, count = vault.transfer.export("facility", "json")
    exported = {r["name"] for r in json.loads(text)}
    assert count == 4 and exported == {"Ñandú é", *names[1:]}


def test_nul_bytes_and_control_characters(vault: Vault, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", HEADER + "Bad\x00Name,autos,,,no\n")
    with pytest.raises(ImportRejected):
        vault.transfer.import_file("facility", path)
    assert vault.records.count(Facility) == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", None),
        ("{not json", "not valid JSON"),
        ('{"a": 1}', "list of objects"),
        ("[" * 100_000 + "]" * 100_000, None),
        ("42", "list of objects"),
    ],
)
def test_malformed_json(vault: Vault, tmp_path: Path, content: str, fragment: str | None) -> None:
    path = write(tmp_path, "v.json", content)
    if content == "":
        assert vault.transfer.import_file("visit", path).imported == 0
        return
    with pytest.raises((UnreadableFile, ImportRejected)) as caught:
        vault.transfer.import_file("visit", path)
    if fragment:
        assert fragment in caught.value.message
    assert vault.records.count(Visit) == 0


def test_json_problems_name_the_record_even_on_one_line(vault: Vault, tmp_path: Path) -> None:
    plant = vault.records.create(Facility(name="P"))
    rows = [
        {"facility_id": plant.id, "start_date": "2025-01-02"},
        {"facility_id": plant.id, "start_date": "2025-02-30"},
        "not an object",
    ]
    path = write(tmp_path, "v.json", json.dumps(rows))  # one line, as most tools write JSON
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("visit", path)
    assert [number for number, _ in caught.value.problems] == [2, 3]
    assert caught.value.details()[0].startswith("record 2: ")


def test_json_lines_problems_name_their_line(vault: Vault, tmp_path: Path) -> None:
    path = write(tmp_path, "f.jsonl", '{"name": "A"}\n\n{"name": ""}\n')
    with pytest.raises(ImportRejected) as caught:
        vault.transfer.import_file("facility", path)
    assert caught.value.details()[0].startswith("line 3: ")


def test_jsonl_and_records_wrapper(vault: Vault, tmp_path: Path) -> None:
    lines = write(tmp_path, "f.jsonl", '{"name": "A"}\n\n{"name": "B"}\n')
    wrapped = write(tmp_path, "f.json", json.dumps({"records": [{"name": "C"}]}))
    assert vault.transfer.import_file("facility", lines).imported == 2
    assert vault.transfer.import_file("facility", wrapped).imported == 1


def test_csv_is_only_for_facilities(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="JSON"):
        vault.transfer.import_file("visit", write(tmp_path, "v.csv", "start_date\n2025-01-01\n"))


def test_export_escapes_formulas_and_round_trips(vault: Vault, tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Normal"]
    for name in names:
        vault.records.create(Facility(name=name, unions=("=bad", "ok")))
    text, _ = vault.transfer.export("facility", "csv", tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(not r["name"].startswith(("=", "+", "-", "@")) for r in rows)
    assert (tmp_path / "out.csv").read_bytes().decode() == text
    assert (tmp_path / "out.csv").stat().st_mode & 0o077 == 0

    # Import the exported rows (without ids) again: the escaping is undone.
    again = tmp_path / "again.csv"
    with again.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[k for k in rows[0] if k != "id"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "id"} for r in rows)
    assert vault.transfer.import_file("facility", again).imported == 5
    imported = vault.records.list(Facility)[:5]
    assert sorted(f.name for f in imported) == sorted(names)
    assert all(f.unions == ("=bad", "ok") for f in imported)


def test_export_then_import_into_another_vault_keeps_ids_and_links(
    vault: Vault, tmp_path: Path
) -> None:
    plant = vault.records.create(Facility(name="P"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=dt.date(2025, 1, 1)))
    vault.transfer.export("facility", "json", tmp_path / "f.json")
    vault.transfer.export("visit", "json", tmp_path / "v.json")
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, kdf=fast_kdf())
    other.transfer.import_file("facility", tmp_path / "f.json")
    other.transfer.import_file("visit", tmp_path / "v.json")
    assert other.records.get(Visit, visit.id).facility_id == plant.id
    with pytest.raises(ImportRejected, match="cannot be imported"):
        other.transfer.import_file("visit", tmp_path / "v.json")  # already there
    other.lock()


def test_csv_is_only_for_facilities_even_by_plural(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="JSON"):
        vault.transfer.import_file("visits", write(tmp_path, "v.csv", "start_date\n2025-01-01\n"))
