"""What every command shares: finding the vault, unlocking it for the length of a command,
and printing for people or for scripts."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from fieldkit.cli.prompts import existing_passphrase, given_passphrase
from fieldkit.errors import DeviceNotRemembered
from fieldkit.i18n import N_, _
from fieldkit.paths import default_vault_dir
from fieldkit.services.vault import Vault, os_keyring, unlock_vault, unlock_with_device

INTERRUPTED_REKEY = N_(
    "A change of the data key was interrupted and has now been completed. Its new recovery "
    "key was never shown, and the old one no longer works: run 'fieldkit rekey' to get one."
)
Handler = Callable[[argparse.Namespace], int]
# Registers a subcommand: (name, handler, help text) -> its parser, for adding arguments.
Command = Callable[[str, Handler, str], argparse.ArgumentParser]


def vault_root(args: argparse.Namespace) -> Path:
    return (Path(args.vault) if args.vault else default_vault_dir()).expanduser().absolute()


LEASE_CODE_ENV = "FIELDKIT_LEASE_CODE"


def open_vault(args: argparse.Namespace) -> Vault:
    """Unlock with a given passphrase, else through the keyring if this device remembers the
    vault, else by asking."""
    root = vault_root(args)
    given = given_passphrase(args.passphrase_file)
    vault = None
    if given is None:
        with contextlib.suppress(DeviceNotRemembered):
            vault = unlock_with_device(root, os_keyring())
    if vault is None:
        vault = unlock_vault(
            root,
            given or existing_passphrase(args.passphrase_file),
            lease_code=os.environ.get(LEASE_CODE_ENV) or None,  # a vault past its lease
        )
    if vault.finished_interrupted_rekey:
        print(_(INTERRUPTED_REKEY), file=sys.stderr)
    return vault


@contextlib.contextmanager
def unlocked(args: argparse.Namespace) -> Iterator[Vault]:
    """The vault, unlocked for one command and locked again whatever happens."""
    vault = open_vault(args)
    try:
        yield vault
    finally:
        vault.lock()


def is_stdout(output: Path | None) -> bool:
    """True for `-o -`: the conventional name for standard output, never a file called '-'."""
    return output is not None and str(output) == "-"


def emit(args: argparse.Namespace, data: Any, lines: Sequence[str]) -> None:
    """JSON for scripts with --json, else lines for people."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        for line in lines:
            print(line)


def recovery_key_advice() -> list[str]:
    """What to do with a recovery key just shown, wrapped for a terminal."""
    advice = _(
        "Write it down or print it and keep it apart from this laptop. It is the only way "
        "back in if the passphrase is forgotten."
    )
    return textwrap.wrap(advice, width=78)


def print_recovery_key(args: argparse.Namespace, root: Path, key: str) -> None:
    emit(
        args,
        {"vault": str(root), "recovery_key": key},
        [
            _("Vault created in {path}.").format(path=root),
            "",
            _("Recovery key (shown only this once):"),
            "",
            f"    {key}",
            "",
            *recovery_key_advice(),
        ],
    )
