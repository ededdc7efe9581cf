"""Where the command line gets passphrases and recovery keys: a file, the environment, or a
prompt that does not echo. Never from a command-line argument (it would sit in shell history
and in the process list)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from fieldkit.errors import PassphraseMismatch, PassphraseRequired, UnreadableFile
from fieldkit.i18n import _

PASSPHRASE_ENV = "FIELDKIT_PASSPHRASE"
NEW_PASSPHRASE_ENV = "FIELDKIT_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "FIELDKIT_RECOVERY_KEY"


def read_secret_file(path: Path) -> str:
    try:
        return Path(path).read_text("utf-8").splitlines()[0] if Path(path).stat().st_size else ""
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise UnreadableFile(path=path, reason=type(exc).__name__) from exc


def given_passphrase(passphrase_file: Path | None, env: str = PASSPHRASE_ENV) -> str | None:
    """A passphrase supplied for automation, if any."""
    if passphrase_file is not None:
        return read_secret_file(passphrase_file)
    return os.environ.get(env) or None


def prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise PassphraseRequired()
    return getpass.getpass(label)


def existing_passphrase(passphrase_file: Path | None) -> str:
    return given_passphrase(passphrase_file) or prompt(_("Passphrase: "))


def new_passphrase(passphrase_file: Path | None, env: str = PASSPHRASE_ENV) -> str:
    """A new passphrase: from a file or the environment, else typed twice."""
    given = given_passphrase(passphrase_file, env)
    if given:
        return given
    first = prompt(_("New passphrase (at least 12 characters): "))
    if prompt(_("Type it again: ")) != first:
        raise PassphraseMismatch()
    return first


def recovery_key() -> str:
    return os.environ.get(RECOVERY_KEY_ENV) or prompt(_("Recovery key: "))
