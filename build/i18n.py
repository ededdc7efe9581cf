"""Extract every translatable string into resources/i18n/fieldkit.pot and merge it into each
language's .po catalog (new strings arrive untranslated; tests/test_i18n.py then fails until
they are translated).

    .venv/bin/python build/i18n.py
"""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
KEYWORDS = {"_": None, "N_": None}
LANGUAGES = ("es_MX",)


def extract() -> Catalog:
    catalog = Catalog(project="FieldKit", msgid_bugs_address="", charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(ROOT / "fieldkit"), method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if message:
            catalog.add(message, None, [(f"fieldkit/{filename}", lineno)], auto_comments=comments)
    for path, lineno, message in marked_in_fstrings():
        if message not in catalog:
            catalog.add(message, None, [(path, lineno)])
    return catalog


def marked_in_fstrings() -> list[tuple[str, int, str]]:
    """`_("...")` calls inside f-strings, which Babel's tokenizer cannot see on Python 3.11."""
    found = []
    for path in sorted((ROOT / "fieldkit").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
            for node in ast.walk(fstring):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    relative = str(path.relative_to(ROOT))
                    found.append((relative, node.lineno, node.args[0].value))
    return found


def main() -> None:
    template = extract()
    I18N.mkdir(parents=True, exist_ok=True)
    with (I18N / "fieldkit.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, width=100)
    for language in LANGUAGES:
        po_path = I18N / language / "LC_MESSAGES" / "fieldkit.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = Catalog(locale=language, project="FieldKit", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with po_path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100, ignore_obsolete=True)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{language}: {len(catalog)} messages, {missing} untranslated")


if __name__ == "__main__":
    main()
