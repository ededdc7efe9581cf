"""The passphrase meter: the same dictionary-aware estimate the vault enforces, in words."""

from __future__ import annotations

from fieldkit.i18n import N_, _
from fieldkit.services.passphrase_strength import ADD_WORDS, MIN_LENGTH, assess

VERDICTS = (
    N_("Too short"),
    N_("Weak: add more words"),
    N_("Still easy to guess: add more words"),
    N_("Good"),
    N_("Strong"),
)


def strength(passphrase: str) -> tuple[int, str]:
    """A score from 0 to 4, and its verdict followed by why it is weak (translated)."""
    assessed = assess(passphrase)
    reasons = [_(r).format(minimum=MIN_LENGTH) for r in assessed.reasons if r != ADD_WORDS]
    return assessed.score, "\n".join([_(VERDICTS[assessed.score]), *reasons])
