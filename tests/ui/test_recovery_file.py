"""The recovery key saved to a file: owner-only, replacing an older file in one step; the save
dialog starts on a removable drive or in the home folder, never the working directory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fieldkit.ui.lock_views import REMEMBER_TRADE_OFF, RecoveryKeyView
from fieldkit.ui.recovery_file import FILE_NAME, default_save_path, save_recovery_key
from tests.ui.screen_text import visible_texts

KEY = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67890-ABCDE"


def test_the_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / FILE_NAME
    target.write_text("an older key", encoding="utf-8")
    os.chmod(target, 0o644)
    save_recovery_key(target, KEY)
    assert KEY in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_dialog_starts_on_a_drive_or_at_home(tmp_path: Path) -> None:
    start = default_save_path(home=tmp_path)
    assert start.name == FILE_NAME
    assert start.parent == tmp_path or str(start.parent).startswith(("/media/", "/run/media/"))
    assert start.parent != Path.cwd()


def test_remember_on_this_device_says_its_trade_off(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = RecoveryKeyView(keyring_available=True)
    qtbot.addWidget(view)
    view.show()
    assert "anyone who can sign in" in REMEMBER_TRADE_OFF
    assert REMEMBER_TRADE_OFF in visible_texts([view])
