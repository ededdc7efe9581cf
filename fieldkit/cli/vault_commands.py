"""Commands about the vault itself: create, inspect, re-key, remember, verify."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldkit.cli.common import (
    Command,
    emit,
    print_recovery_key,
    recovery_key_advice,
    unlocked,
    vault_root,
)
from fieldkit.cli.prompts import NEW_PASSPHRASE_ENV, existing_passphrase, new_passphrase
from fieldkit.cli.prompts import recovery_key as ask_recovery_key
from fieldkit.domain.records import KINDS
from fieldkit.errors import VaultNotFound
from fieldkit.i18n import N_, _
from fieldkit.services.vault import (
    Vault,
    VaultFiles,
    create_vault,
    os_keyring,
    recover_vault,
    unlock_vault,
)

VERIFY_FAILED = 4
REKEY_ADVICE = N_(
    "If the old passphrase or the recovery key you used may be known to someone else, run "
    "'fieldkit rekey': old copies of the key file and the old recovery key will then open "
    "nothing written after it."
)


def register(command: Command) -> None:
    command("init", cmd_init, _("create a new vault"))
    command("info", cmd_info, _("show the vault's path, schema, record counts and key settings"))
    command("demo", cmd_demo, _("create or fill a vault with demo data"))
    passwd = command("passwd", cmd_passwd, _("change the passphrase"))
    passwd.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    recover = command("recover", cmd_recover, _("set a new passphrase with the recovery key"))
    recover.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    recover.add_argument(
        "--rekey", action="store_true", help=_("then change the data key too (see 'rekey')")
    )
    command(
        "rekey",
        cmd_rekey,
        _("re-encrypt the vault under a new data key and show a new recovery key"),
    )
    command("remember", cmd_remember, _("unlock on this device without the passphrase"))
    command("forget", cmd_forget, _("stop unlocking on this device without the passphrase"))
    command("verify", cmd_verify, _("check the vault database for damage"))


def cmd_init(args: argparse.Namespace) -> int:
    root = vault_root(args)
    vault, key = create_vault(root, new_passphrase(args.passphrase_file))
    vault.lock()
    print_recovery_key(args, root, key)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        info = vault.info()
    kdf = {
        "algorithm": "argon2id",
        "memory_kib": info.kdf.memory_kib,
        "time_cost": info.kdf.time_cost,
        "parallelism": info.kdf.parallelism,
    }
    data = {
        "path": str(info.path),
        "vault_id": info.vault_id,
        "device_id": info.device_id,
        "schema_version": info.schema_version,
        "counts": info.counts,
        "kdf": kdf,
        "remembered_on_device": info.remembered_on_device,
        "unsent_changes": info.unsent_changes,
    }
    lines = [
        _("Vault: {path}").format(path=info.path),
        _("Schema version: {version}").format(version=info.schema_version),
        _("Key derivation: Argon2id, {memory} MiB, {passes} passes, {lanes} lanes").format(
            memory=info.kdf.memory_kib // 1024,
            passes=info.kdf.time_cost,
            lanes=info.kdf.parallelism,
        ),
        _("Remembered on this device: {answer}").format(
            answer=_("yes") if info.remembered_on_device else _("no")
        ),
        _("Changes not yet sent to headquarters: {count}").format(count=info.unsent_changes),
        _("Records:"),
        *(f"  {_(KINDS[k].PLURAL)}: {n}" for k, n in info.counts.items()),
    ]
    emit(args, data, lines)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from fieldkit.services.demo import fill_with_demo_data  # noqa: PLC0415 - large, only needed here

    root = vault_root(args)
    if not VaultFiles(root).exists():
        vault, key = create_vault(root, new_passphrase(args.passphrase_file))
        vault.lock()
        print_recovery_key(args, root, key)
    with unlocked(args) as vault:
        counts = fill_with_demo_data(vault)
    emit(args, counts, [_("Demo records added: {count}").format(count=sum(counts.values()))])
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    old = existing_passphrase(args.passphrase_file)
    vault = unlock_vault(vault_root(args), old)
    try:
        vault.change_passphrase(old, new_passphrase(args.new_passphrase_file, NEW_PASSPHRASE_ENV))
    finally:
        vault.lock()
    print(_("Passphrase changed. The recovery key still works."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    root = vault_root(args)
    if not VaultFiles(root).exists():
        raise VaultNotFound(path=root)
    key = ask_recovery_key()
    new = new_passphrase(args.new_passphrase_file, NEW_PASSPHRASE_ENV)
    vault = recover_vault(root, key, new)
    try:
        print(_("New passphrase set. Unlock with it from now on."))
        if args.rekey:
            _rekey_and_show(args, vault, new)
        else:
            print(_(REKEY_ADVICE))
    finally:
        vault.lock()
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    passphrase = existing_passphrase(args.passphrase_file)
    vault = unlock_vault(vault_root(args), passphrase)
    try:
        _rekey_and_show(args, vault, passphrase)
    finally:
        vault.lock()
    return 0


def _rekey_and_show(args: argparse.Namespace, vault: Vault, passphrase: str) -> None:
    recovery_key = vault.rekey(passphrase, os_keyring())
    emit(
        args,
        {"vault": str(vault.files.root), "recovery_key": recovery_key},
        [
            _("The vault now uses a new data key. The old recovery key no longer works."),
            "",
            _("New recovery key (shown only this once):"),
            "",
            f"    {recovery_key}",
            "",
            *recovery_key_advice(),
        ],
    )


def cmd_remember(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        vault.remember_on_device(os_keyring())
    print(_("This device now unlocks the vault without the passphrase."))
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        vault.forget_on_device(os_keyring())
    print(_("This device no longer unlocks the vault without the passphrase."))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        problems = vault.integrity_problems()
    emit(args, {"problems": problems}, problems or [_("The vault database is intact.")])
    return VERIFY_FAILED if problems else 0
