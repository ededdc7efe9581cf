"""The self-test in-process: the Qt checks, the report, and failures named in it."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from fieldkit import selftest
from fieldkit.i18n import SPANISH, set_language
from fieldkit.services import selftest as service_selftest
from fieldkit.ui import selftest as ui_selftest
from fieldkit.ui.icons import ICON_SIZES


def test_qt_checks_pass(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    checks = ui_selftest.qt_checks(tmp_path)
    assert [c.name for c in checks] == ["icons", "fonts", "window"]
    assert all(c.ok for c in checks), checks
    assert "offscreen" in checks[2].detail
    assert not any(widget.isVisible() for widget in qapp.topLevelWidgets())


def test_report_and_exit_code(qapp) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    assert selftest.run(out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("FieldKit self-test 0.1.0 (from source")
    names = [line.split()[1] for line in lines[1:-1]]
    assert names == ["vault", "keyring", "pdf", "translations", "icons", "fonts", "window"]
    assert lines[-1].startswith("All 7 checks passed in ")


def test_json_report(qapp) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    assert selftest.run(as_json=True, out=out) == 0
    report = json.loads(out.getvalue())
    assert report["ok"] is True and report["failed"] == [] and report["frozen"] is False
    assert len(report["checks"]) == 7


def test_spanish_report(qapp) -> None:  # type: ignore[no-untyped-def]
    set_language(SPANISH)
    out = io.StringIO()
    selftest.run(out=out)
    text = out.getvalue()
    assert text.startswith("Autoprueba de FieldKit") and "Las 7 comprobaciones pasaron" in text


def test_a_failed_check_is_named_and_exits_non_zero(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def no_pdf(path: Path) -> str:
        raise service_selftest.CheckFailed("expected a one-page PDF, got 0 pages")

    monkeypatch.setattr(service_selftest, "check_pdf", no_pdf)
    out = io.StringIO()
    assert selftest.run(out=out) == selftest.EXIT_FAILED
    text = out.getvalue()
    assert "FAILED pdf" in text and "got 0 pages" in text
    assert text.splitlines()[-1] == "Self-test failed: pdf."


def test_missing_icons_are_named(qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("fieldkit.ui.icons.resource_dir", lambda: tmp_path)
    check = service_selftest.attempt("icons", ui_selftest.check_icons)
    assert not check.ok and "missing sizes" in check.detail
    assert len(ICON_SIZES) == 8


def test_qt_that_cannot_load_fails_the_qt_checks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fieldkit.ui.selftest", None)  # import raises ImportError
    out = io.StringIO()
    assert selftest.run(as_json=True, out=out) == selftest.EXIT_FAILED
    report = json.loads(out.getvalue())
    assert report["failed"] == ["icons", "fonts", "window"]
    assert report["checks"][0]["ok"] and "Qt could not be loaded" in report["checks"][-1]["detail"]
