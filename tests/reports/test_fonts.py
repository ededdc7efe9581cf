"""Fonts come from `resource_dir()`, so a frozen build (sys._MEIPASS) finds its own copy."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFError

from fieldkit.paths import resource_dir
from fieldkit.reports import fonts, render
from tests.reports import samples


def test_fonts_are_found_through_the_bundle_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = resource_dir() / "fonts"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(fonts, "_registered", False)
    with pytest.raises(TTFError, match=str(tmp_path)):
        fonts.register_fonts()  # the bundle has no fonts yet: proof it looks there
    shutil.copytree(source, tmp_path / "resources" / "fonts")
    fonts.register_fonts()
    assert fonts._registered
    monkeypatch.undo()
    assert render(samples.case_report()).startswith(b"%PDF-")
