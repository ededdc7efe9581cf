"""A rough, honest passphrase strength hint: length matters most, variety a little."""

from __future__ import annotations

import string

from fieldkit.i18n import N_, _

VERDICTS = (
    N_("Too short"),
    N_("Weak: add more words"),
    N_("Fair"),
    N_("Good"),
    N_("Strong"),
)


def strength(passphrase: str) -> tuple[int, str]:
    """A score from 0 to 4 and its words."""
    length = len(passphrase)
    kinds = sum(
        any(c in group for c in passphrase)
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits, " ")
    ) + any(not c.isascii() or c in string.punctuation for c in passphrase)
    words = len(passphrase.split())
    if length < 12:
        score = 0
    elif length < 16:
        score = 1 + (kinds >= 3)
    elif length < 24:
        score = 2 + (words >= 4 or kinds >= 3)
    else:
        score = 3 + (words >= 4 or kinds >= 3)
    return score, _(VERDICTS[score])
