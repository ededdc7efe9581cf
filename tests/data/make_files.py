"""Writes the import test files byte for byte the way spreadsheets save them. Run once
(`python tests/data/make_files.py`); the files are kept in git, this script says how they
were made.

- Excel, "CSV (delimitado por comas)" on Spanish (Mexico) Windows: Windows-1252, CRLF,
  commas, quotes only where a cell holds a comma or a quote.
- Excel where the decimal mark is a comma (Spain, much of Latin America): the same with
  semicolons.
- Excel, "CSV UTF-8 (delimitado por comas)": a UTF-8 byte-order mark, CRLF.
- LibreOffice Calc, "Text CSV" with its defaults on Linux: UTF-8 without a BOM, LF, commas.
- A workbook (.xlsx is a zip archive) renamed to .csv: a binary file that must be refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SPANISH_HEADER = ["Nombre", "Empleador", "Sector", "Estado", "Municipio", "Sindicatos presentes"]
ROWS = [
    [
        "Planta Norte",
        "Autopartes del Bajío, S.A. de C.V.",
        "Automotriz",
        "San Luis Potosí",
        "Villa de Reyes",
        "SNTMMSSRM; Independiente",
    ],
    ["Ensambles Puebla", "Ensambles Poblanos", "autopartes", "PUEBLA", "Cuautlancingo", ""],
    [
        "Llantas del Noreste",
        'Llantas "El Águila"',
        "Rubber and tires",
        "nuevo leon",
        "Apodaca",
        "Sindicato Único",
    ],
    ["Maquila Juárez", "Confecciones del Norte", "Prendas de vestir", "CHH", "Juárez", ""],
]
ENGLISH_HEADER = ["name", "employer", "sector", "state", "municipality", "unions"]


def cell(text: str, sep: str) -> str:
    if any(ch in text for ch in (sep, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def table(header: list[str], rows: list[list[str]], sep: str, end: str) -> str:
    return "".join(sep.join(cell(c, sep) for c in line) + end for line in [header, *rows])


def workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return buffer.getvalue()


FILES: dict[str, bytes] = {
    "excel_cp1252_comma.csv": table(SPANISH_HEADER, ROWS, ",", "\r\n").encode("cp1252"),
    "excel_cp1252_semicolon.csv": table(SPANISH_HEADER, ROWS, ";", "\r\n").encode("cp1252"),
    "excel_utf8_bom.csv": b"\xef\xbb\xbf" + table(ENGLISH_HEADER, ROWS, ",", "\r\n").encode(),
    "libreoffice_utf8.csv": table(ENGLISH_HEADER, ROWS, ",", "\n").encode(),
    "workbook_renamed.csv": workbook(),
}

if __name__ == "__main__":
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
