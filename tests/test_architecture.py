"""The layers of docs/architecture.md, kept by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fieldkit"
SQLITE = {"sqlite3", "sqlite_utils", "sqlcipher3", "pysqlite3"}
QT = {"PySide6", "shiboken6"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def package_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def test_walk_finds_modules() -> None:
    assert len(modules()) > 20


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layering(path: Path) -> None:
    layer = package_of(path)
    names = imports(path)
    tops = {top(n) for n in names}
    if layer not in ("store",):
        assert not tops & SQLITE, f"{path}: only fieldkit/store may import SQLite"
    if layer not in ("ui", "app"):
        assert not tops & QT, f"{path}: only fieldkit/ui and app.py may import PySide6"
    internal = {n.split(".")[1] for n in names if n.startswith("fieldkit.") and n.count(".") >= 1}
    allowed = ALLOWED.get(layer)
    if allowed is not None:
        assert internal <= allowed, f"{path} reaches into {sorted(internal - allowed)}"


BASE = {"errors", "i18n", "paths", "atomic_file", "private_files"}
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
    "errors": {"i18n"},
    "i18n": {"paths"},
    "paths": set(),
    "atomic_file": set(),
    "private_files": set(),
}


def test_hq_shares_only_the_protocol_with_the_client() -> None:
    """HQ reuses the domain layer and the protocol messages, never the client's engine."""
    shared = {"fieldkit.sync.protocol", "fieldkit.sync.body"}
    for path in (PACKAGE / "hq").rglob("*.py"):
        reached = {n for n in imports(path) if n.startswith("fieldkit.sync")}
        assert reached <= shared, f"{path} reaches {sorted(reached - shared)}"


def test_domain_is_pure() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        tops = {top(n) for n in imports(path)}
        assert not tops & (SQLITE | QT | {"httpx", "reportlab", "keyring"}), path
