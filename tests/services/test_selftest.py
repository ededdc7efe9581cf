"""The self-test's checks that need no Qt: each does what it says, and failures are named."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from fieldkit.i18n import SPANISH, set_language
from fieldkit.services import selftest
from fieldkit.services.selftest import CheckFailed, attempt
from tests.keyrings import MemoryKeyring


def test_every_service_check_passes(tmp_path: Path) -> None:
    checks = selftest.service_checks(tmp_path)
    assert [c.name for c in checks] == ["vault", "keyring", "pdf", "translations"]
    assert all(c.ok for c in checks), checks
    assert all(c.seconds > 0 for c in checks)


def test_vault_check_leaves_an_encrypted_vault_it_can_reopen(tmp_path: Path) -> None:
    selftest.check_vault(tmp_path / "v")
    database = (tmp_path / "v" / "vault.db").read_bytes()
    assert not database.startswith(selftest.PLAIN_SQLITE)
    assert selftest.PROBE_WORD.encode() not in database


def test_keyring_without_a_secure_backend_fails_closed_and_says_so() -> None:
    # conftest sets keyring's fail backend: nothing is stored, and that is a pass.
    detail = selftest.check_keyring()
    assert "keyring.backends.fail.Keyring" in detail and "passphrase" in detail


def test_keyring_round_trip_cleans_up(memory_keyring: MemoryKeyring) -> None:
    detail = selftest.check_keyring()
    assert "MemoryKeyring" in detail and "deleted" in detail
    assert memory_keyring.items == {}


def test_keyring_that_loses_secrets_fails(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.get_password = lambda service, username: None  # type: ignore[method-assign]
    check = attempt("keyring", selftest.check_keyring)
    assert not check.ok and "different secret" in check.detail


def test_pdf_is_one_page_with_the_bundled_font(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    assert "one page" in selftest.check_pdf(path)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    assert "Planta Ñandú" in reader.pages[0].extract_text()


def test_translations_in_both_languages() -> None:
    detail = selftest.check_translations()
    assert "en_US: Mar 4, 2026" in detail and "es_MX: 4 mar 2026" in detail


def test_a_missing_spanish_catalog_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "Translator", lambda language: lambda message: message)
    check = attempt("translations", selftest.check_translations)
    assert not check.ok and check.detail == "the Spanish (es-MX) catalog is missing"


def test_attempt_names_unexpected_errors() -> None:
    def broken() -> str:
        raise OSError("disk full")

    check = attempt("vault", broken)
    assert (check.ok, check.detail) == (False, "OSError: disk full")
    assert attempt("pdf", lambda: "fine").ok


def test_failure_messages_are_translated() -> None:
    set_language(SPANISH)

    def wrong() -> str:
        raise CheckFailed(selftest._("the vault database is not encrypted"))

    assert attempt("vault", wrong).detail == "la base de datos de la bóveda no está cifrada"
