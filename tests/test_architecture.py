"""The layers of docs/architecture.md, kept by walking every module's syntax tree.

- Imports in every form (`import a.b`, `from fieldkit import store`, relative imports and
  `importlib.import_module("...")`) are resolved to the modules they load, and each package
  may load only the layers below it.
- SQL is written in store/ (and hq/, which has its own storage) only: a string literal that
  has the shape of an SQL statement or clause anywhere else fails, and so does reaching a
  store's connection (`.db`, `._db`, its private `_reading`/`_writing`) or running
  statements (`.execute`).
- ui/ and the command line reach the vault through services, never through its store.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fieldkit"
CATALOG = ROOT / "resources" / "i18n" / "es_MX" / "LC_MESSAGES" / "fieldkit.po"
SQLITE = {"sqlite3", "sqlite_utils", "sqlcipher3", "pysqlite3"}
QT = {"PySide6", "shiboken6"}
SQL_HOMES = {"store", "hq"}


# --- what a module imports ------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """True when `name` is a module or package of fieldkit (not a name defined in one)."""
    target = ROOT.joinpath(*name.split("."))
    return target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()


def _package_of(path: Path) -> list[str]:
    parts = module_name(path).split(".")
    return parts if path.name == "__init__.py" else parts[:-1]


def _from_import(node: ast.ImportFrom, path: Path) -> Iterator[str]:
    if node.level:
        base = _package_of(path)[: len(_package_of(path)) - (node.level - 1)]
        module = ".".join([*base, *(node.module.split(".") if node.module else [])])
    else:
        module = node.module or ""
    yield module
    for alias in node.names:
        # `from fieldkit import store` loads the module fieldkit.store.
        if module.startswith("fieldkit") and is_module(f"{module}.{alias.name}"):
            yield f"{module}.{alias.name}"


def _dynamic_import(node: ast.Call) -> str | None:
    """The module named by `importlib.import_module("x")` or `__import__("x")`."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return "<computed>"  # a name nobody can check: refused below


def imports(path: Path, text: str | None = None) -> set[str]:
    """Every module `path` (or `text`, read as if it were at `path`) loads, as dotted names."""
    found: set[str] = set()
    source = path.read_text("utf-8") if text is None else text
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(_from_import(node, path))
        elif isinstance(node, ast.Call) and (dynamic := _dynamic_import(node)):
            found.add(dynamic)
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def package_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def internal(names: set[str]) -> set[str]:
    """The fieldkit packages and top-level modules among `names`."""
    return {n.split(".")[1] for n in names if n.startswith("fieldkit.")}


def test_walk_finds_modules() -> None:
    assert len(modules()) > 20


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layering(path: Path) -> None:
    layer = package_of(path)
    names = imports(path)
    assert "<computed>" not in names, f"{path}: imports a module by a computed name"
    tops = {top(n) for n in names}
    if layer != "store":
        assert not tops & SQLITE, f"{path}: only fieldkit/store may import SQLite"
    if layer not in ("ui", "app"):
        assert not tops & QT, f"{path}: only fieldkit/ui and app.py may import PySide6"
    allowed = ALLOWED.get(layer)
    if allowed is not None:
        reached = internal(names)
        assert reached <= allowed, f"{path} reaches into {sorted(reached - allowed)}"


BASE = {"errors", "i18n", "paths", "atomic_file", "private_files", "gc_pace"}
ALLOWED: dict[str, set[str]] = {
    "domain": BASE | {"domain"},
    "crypto": BASE | {"crypto"},
    "store": BASE | {"store", "domain"},
    "services": BASE | {"services", "store", "domain", "crypto", "reports", "sync", "log_setup"},
    "sync": BASE | {"sync", "store", "domain"},
    "hq": BASE | {"hq", "domain", "sync", "log_setup"},
    "reports": BASE | {"reports", "domain"},
    "ui": BASE | {"ui", "services", "domain"},
    "cli": BASE | {"cli", "services", "domain", "reports", "log_setup", "selftest"},
    # `fieldkit --self-test` composes the checks of services/ and ui/; it imports no Qt itself.
    "selftest": {"i18n", "services", "ui"},
    "errors": {"i18n", "domain"},  # a sync error names the SyncState it leaves
    "i18n": {"paths"},
    "paths": set(),
    "atomic_file": set(),
    "private_files": set(),
    "gc_pace": set(),
}


def test_hq_shares_only_the_protocol_with_the_client() -> None:
    """HQ reuses the domain layer and the protocol messages, never the client's engine."""
    shared = {"fieldkit.sync", "fieldkit.sync.protocol", "fieldkit.sync.body"}
    for path in (PACKAGE / "hq").rglob("*.py"):
        reached = {n for n in imports(path) if n.startswith("fieldkit.sync")}
        assert reached <= shared, f"{path} reaches {sorted(reached - shared)}"


def test_domain_is_pure() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        tops = {top(n) for n in imports(path)}
        assert not tops & (SQLITE | QT | {"httpx", "reportlab", "keyring"}), path


IMPORT_FORMS = """
import fieldkit.store.store
from fieldkit import store
from fieldkit import __version__
from fieldkit.sync import engine as sync_engine
from . import records
from .records import RecordService
from ..crypto import header
from ..store.search import SearchHit
import importlib
importlib.import_module("fieldkit.ui.theme")
__import__("sqlite_utils")
importlib.import_module(name)
"""


def test_every_import_form_is_resolved() -> None:
    """The walk sees through each way of naming a module (a sample read as services/x.py)."""
    found = imports(PACKAGE / "services" / "x.py", IMPORT_FORMS)
    assert internal(found) == {"store", "sync", "services", "crypto", "ui"}
    assert {
        "fieldkit.store",
        "fieldkit.sync.engine",
        "fieldkit.services.records",
        "fieldkit.crypto.header",
        "fieldkit.store.search",
        "fieldkit.ui.theme",
        "sqlite_utils",
        "<computed>",
    } <= found
    assert "fieldkit.__version__" not in found  # a name defined in fieldkit, not a module


# --- SQL stays in store/ --------------------------------------------------------------------

# Statement and clause shapes, not single words: "Select a facility from the list" and
# "Actualizar" are interface text; "SELECT id FROM", "updated_at DESC" and "WHERE x = ?" are
# SQL. Upper-case keywords are SQL's convention; lower-case SQL is caught by stricter shapes.
_IDENT = r"\[?[A-Za-z_][\w.]*\]?"
SQL_SHAPES = [
    re.compile(p)
    for p in (
        r"\bSELECT\b[\s\S]*\bFROM\b",
        r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b",
        rf"\bUPDATE\s+{_IDENT}\s+SET\b",
        r"\bDELETE\s+FROM\b",
        r"\b(?:CREATE|DROP)\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b",
        r"\bALTER\s+TABLE\b",
        r"\bPRAGMA\s+\w+",
        r"\b(?:ORDER|GROUP)\s+BY\b",
        rf"\bWHERE\s+{_IDENT}\s*(?:[=<>!]|\bIN\b|\bIS\b|\bLIKE\b|\bBETWEEN\b)",
        rf"{_IDENT}\s+(?:ASC|DESC)\b",
        r"\bCOLLATE\s+NOCASE\b",
        r"\bCASE\s+[\s\S]*\bWHEN\b[\s\S]*\bTHEN\b",
        r"\bCAST\s*\([\s\S]*\bAS\s+(?:REAL|INTEGER|TEXT)\b",
        r"\bjson_(?:each|extract|group_array|object)\s*\(",
    )
] + [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\bselect\s+(?:\*|count\s*\(|distinct\b|{_IDENT}\s*,)[\s\S]*\bfrom\s+{_IDENT}",
        rf"\binsert\s+(?:or\s+\w+\s+)?into\s+{_IDENT}\s*[(\s]",
        rf"\bupdate\s+{_IDENT}\s+set\s+{_IDENT}\s*=",
        rf"\bdelete\s+from\s+{_IDENT}\s*(?:where\b|$)",
        rf"\border\s+by\s+{_IDENT}\s*(?:asc|desc|,|$)",
        rf"\bwhere\s+{_IDENT}\s*(?:=|<=?|>=?|!=)\s*(?:\?|:\w+|'|\d)",
        # A column compared with a placeholder: "visit_id = ?", "start_date >= ?".
        rf"{_IDENT}\s*(?:=|<=?|>=?|!=|<>)\s*\?",
    )
]


def looks_like_sql(text: str) -> bool:
    return any(shape.search(text) for shape in SQL_SHAPES)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def string_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string literal but docstrings; an f-string with its holes as `x`."""
    docstrings = _docstrings(tree)
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = ""
            for part in node.values:
                inside_fstrings.add(id(part))
                is_text = isinstance(part, ast.Constant) and isinstance(part.value, str)
                text += part.value if is_text else "x"  # type: ignore[union-attr]
            yield node.lineno, text
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | inside_fstrings
        ):
            yield node.lineno, node.value


def _is_str_format(call: ast.Call) -> bool:
    """`"...{where}...".format(where=...)`: a message's placeholder, not an SQL clause."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == "format"


# Attribute names that only store/ may use: the connection and the way to run statements.
STORE_INSIDES = {"db", "_db", "_reading", "_writing", "execute", "executemany", "executescript"}


def _above_store() -> list[Path]:
    return [p for p in modules() if package_of(p) not in SQL_HOMES]


@pytest.mark.parametrize("path", _above_store(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sql_above_the_store(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    sql = [f"line {n}: {text[:60]!r}" for n, text in string_literals(tree) if looks_like_sql(text)]
    assert not sql, f"{path}: SQL outside store/ (add a named store method): {sql}"
    reached = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in STORE_INSIDES
    ]
    assert not reached, f"{path}: reaches the database outside store/: {reached}"
    clauses = [
        f"line {keyword.value.lineno}: {keyword.arg}="
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and not _is_str_format(call)
        for keyword in call.keywords
        if keyword.arg in ("where", "order_by")
    ]
    assert not clauses, f"{path}: passes SQL clauses (use domain/query.py): {clauses}"


@pytest.mark.parametrize(
    "path",
    [p for p in modules() if package_of(p) in ("ui", "cli", "app", "selftest")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_interface_reaches_the_vault_through_services(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    reached = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("store", "_store")
    ]
    assert not reached, f"{path}: reaches a vault's store on lines {reached}"


SQL_SAMPLES = [
    "SELECT count(*) FROM sync_conflicts",
    "select * from visits where deleted = 0",
    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
    "insert into meta (key) values (?)",
    "UPDATE journal SET sent = 0",
    "update journal set sent = 1",
    "DELETE FROM blob_uploads",
    "delete from meta where key = ?",
    "CREATE INDEX visits_x ON visits (deleted)",
    "PRAGMA integrity_check",
    "updated_at DESC",
    "visit_id = ?",
    "start_date >= ? AND start_date <= ?",
    "WHERE record_id = 'x'",
    "name COLLATE NOCASE",
    "CASE status WHEN 'draft' THEN 0 END",
    "CAST(amount AS REAL)",
    "EXISTS (SELECT 1 FROM json_each(follow_ups) WHERE json_extract(value, '$.done') = 0)",
    "order by start_date, created_at",
]


@pytest.mark.parametrize("text", SQL_SAMPLES)
def test_the_sql_detector_finds_sql(text: str) -> None:
    assert looks_like_sql(text)


def catalog_texts() -> list[str]:
    """Every msgid and msgstr of the Spanish catalog: the interface text in both languages."""
    texts, current = [], None
    for line in CATALOG.read_text("utf-8").splitlines():
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            if current:
                texts.append(current)
            current = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"') and current is not None:
            current += ast.literal_eval(line)
        else:
            if current:
                texts.append(current)
            current = None
    if current:
        texts.append(current)
    return texts


def test_interface_text_is_not_mistaken_for_sql() -> None:
    texts = catalog_texts()
    assert len(texts) > 500
    mistaken = [t for t in texts if looks_like_sql(t)]
    assert not mistaken, mistaken[:10]
    for prose in (
        "Select a facility from the list, where the visit took place.",
        "Update the grant; then set the amounts.",
        "Delete from this device only? Order by date or by name.",
        "Seleccione dónde se actualizó el registro, ordenado por fecha.",
        "Sort by name (ASC for A to Z)",
    ):
        assert not looks_like_sql(prose), prose
