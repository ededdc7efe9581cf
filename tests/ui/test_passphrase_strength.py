"""The meter uses the estimator the vault enforces: a common password is never "Good"."""

from __future__ import annotations

from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.passphrase_strength import strength


def test_common_passwords_are_weak_and_say_why() -> None:
    for weak in ("password1234", "a" * 12):
        score, verdict = strength(weak)
        assert score < 3 and not verdict.startswith(("Good", "Strong")), weak
    assert "most common passwords" in strength("password1234")[1]
    assert "Repeated characters" in strength("a" * 12)[1]


def test_unrelated_words_are_good() -> None:
    score, verdict = strength("mango tres nubes lentas")
    assert score >= 3 and verdict in ("Good", "Strong")


def test_the_meter_speaks_spanish() -> None:
    set_language(SPANISH)
    score, verdict = strength("password1234")
    assert score < 3 and "contraseñas más comunes" in verdict
    assert strength("corto")[1].startswith("Demasiado corta")
