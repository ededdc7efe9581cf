"""How guessable a passphrase is: zxcvbn's estimate (dictionaries of common passwords, words,
names, keyboard patterns, repeats, sequences and dates), with our own translated reasons.

zxcvbn's feedback is English only, so its findings are mapped from the patterns it matched to
messages of our own in both languages. A small list of Spanish words that people put in
passwords is added to its dictionaries.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldkit.i18n import N_

MIN_LENGTH = 12
# zxcvbn's score 3 means about 10^8 guesses or more; 4 means 10^10 or more. Each guess costs an
# Argon2id derivation, but a stolen laptop gives an attacker unlimited time: 3 is the floor.
MIN_SCORE = 3
# zxcvbn refuses more than 72 characters and slows quickly with length (the meter runs it on
# every keystroke: ~40 ms at 40 characters here). The first 40 are judged; what follows can
# only add strength, so a long passphrase is never rated stronger than its beginning.
MAX_CHECKED = 40

# Words common in Spanish passwords (zxcvbn's dictionaries are English).
SPANISH_WORDS = (
    "contraseña", "contrasena", "clave", "secreto", "mexico", "méxico", "hola", "amor",
    "teamo", "tequiero", "corazon", "corazón", "princesa", "familia", "dios", "jesus",
    "guadalupe", "america", "chivas", "pumas", "cruzazul", "futbol", "fútbol", "bebe",
    "gatito", "perrito", "mariposa", "estrella", "fieldkit", "boveda", "bóveda",
)  # fmt: skip

TOO_SHORT = N_("It is shorter than {minimum} characters.")
COMMON_PASSWORD = N_("It is one of the most common passwords.")
COMMON_WORD = N_("It is built on a common word or name.")
LOOK_ALIKES = N_("Swapping letters for look-alike symbols (like @ for a) barely helps.")
REVERSED = N_("Words spelled backwards are as easy to guess as forwards.")
REPEATS = N_("Repeated characters or words (like aaa or abcabc) are easy to guess.")
SEQUENCES = N_("Sequences like abc or 6543 are easy to guess.")
KEYBOARD = N_("Keyboard patterns like qwerty are easy to guess.")
DATES = N_("Dates and years are easy to guess.")
ADD_WORDS = N_("Add a few more unrelated words.")


@dataclass(frozen=True)
class Strength:
    """0 (too short) to 4 (strong), and the reasons (msgids) it is weak, if it is."""

    score: int
    reasons: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE


def assess(passphrase: str) -> Strength:
    """How guessable `passphrase` is; the score is 0 under MIN_LENGTH characters."""
    text = unicodedata.normalize("NFC", passphrase)
    if len(text.strip()) < MIN_LENGTH:
        return Strength(0, (TOO_SHORT,))
    # Imported here: its dictionaries take tens of milliseconds to load, and only making or
    # changing a passphrase needs them, not every start of the app or the command line.
    from zxcvbn import zxcvbn  # noqa: PLC0415

    result = zxcvbn(text[:MAX_CHECKED], user_inputs=list(SPANISH_WORDS))
    score = max(1, int(result["score"]))  # 1..4 once long enough
    if score >= MIN_SCORE:
        return Strength(score, ())
    reasons = [_reason(match) for match in result["sequence"]]
    found = tuple(dict.fromkeys(r for r in reasons if r is not None))
    return Strength(score, (*found, ADD_WORDS))


def _reason(match: Mapping[str, Any]) -> str | None:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        if match.get("l33t"):
            return LOOK_ALIKES
        if match.get("reversed"):
            return REVERSED
        return COMMON_PASSWORD if match.get("dictionary_name") == "passwords" else COMMON_WORD
    return {
        "repeat": REPEATS,
        "sequence": SEQUENCES,
        "spatial": KEYBOARD,
        "date": DATES,
        "regex": DATES,  # zxcvbn's only regex is "recent year"
    }.get(str(pattern))
