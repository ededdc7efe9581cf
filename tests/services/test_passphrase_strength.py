"""Passphrases an attacker tries first are refused, with reasons in English and Spanish."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.errors import GuessablePassphrase, WeakPassphrase
from fieldkit.i18n import SPANISH, set_language
from fieldkit.services.passphrase_strength import MIN_SCORE, assess
from fieldkit.services.vault import Vault, check_passphrase, create_vault
from tests.conftest import PASSPHRASE, fast_kdf

GUESSABLE = [
    "password1234",
    "a" * 12,
    "qwertyuiop123",
    "abcdefghijkl",
    "contraseña2024",  # Spanish: zxcvbn's own lists are English
    "mexico123456789",
    "Guadalupe1990",
]
GOOD = [PASSPHRASE, "Llantas del Potosí 2026", "mango tres nubes lentas", "a brand new passphrase"]


@pytest.mark.parametrize("passphrase", GUESSABLE)
def test_guessable_passphrases_are_refused_whatever_their_length(passphrase: str) -> None:
    assert assess(passphrase).score < MIN_SCORE
    with pytest.raises(GuessablePassphrase) as caught:
        check_passphrase(passphrase)
    assert caught.value.message.startswith("This passphrase is too easy to guess.")
    assert caught.value.details()[-1] == "Add a few more unrelated words."


@pytest.mark.parametrize("passphrase", GOOD)
def test_unrelated_words_pass(passphrase: str) -> None:
    check_passphrase(passphrase)


def test_short_is_still_too_short() -> None:
    with pytest.raises(WeakPassphrase):
        check_passphrase("Zq9!x")


def test_reasons_in_spanish() -> None:
    set_language(SPANISH)
    with pytest.raises(GuessablePassphrase) as caught:
        check_passphrase("password1234")
    assert "contraseñas más comunes" in caught.value.message
    assert "palabras" in caught.value.details()[-1]


def test_no_vault_is_created_with_a_guessable_passphrase(tmp_path: Path) -> None:
    with pytest.raises(GuessablePassphrase):
        create_vault(tmp_path / "v", "password1234", kdf=fast_kdf())
    assert not (tmp_path / "v").exists()


def test_changing_to_a_guessable_passphrase_is_refused(vault: Vault) -> None:
    with pytest.raises(GuessablePassphrase):
        vault.change_passphrase(PASSPHRASE, "aaaaaaaaaaaaaaaa")


def test_very_long_passphrases_are_judged_without_error() -> None:
    # zxcvbn itself raises on more than 72 characters.
    check_passphrase("mango tres nubes lentas ñandú " * 10)
    with pytest.raises(GuessablePassphrase):
        check_passphrase("a" * 300)
