"""The `fieldkit` command line over the services. Errors a user causes print one line saying
what happened and what to do, with a non-zero exit code; never a traceback."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fieldkit import __version__
from fieldkit.cli_secrets import (
    NEW_PASSPHRASE_ENV,
    existing_passphrase,
    given_passphrase,
    new_passphrase,
    recovery_key,
)
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import KINDS, Interview
from fieldkit.errors import DeviceNotRemembered, UserFacingError, VaultNotFound
from fieldkit.i18n import _, language_from_environment, set_language
from fieldkit.log_setup import LOG_FILE, configure_logging
from fieldkit.paths import default_vault_dir, log_dir
from fieldkit.services.records import kind_class
from fieldkit.services.vault import (
    Vault,
    VaultFiles,
    create_vault,
    os_keyring,
    recover_vault,
    unlock_vault,
    unlock_with_device,
)

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], int]
EXIT_BUG = 70


def main(argv: Sequence[str] | None = None) -> int:
    # The language must be set before the parser is built, so that --help is translated too.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=["en", "es"])
    chosen, _rest = early.parse_known_args(argv)
    set_language(chosen.lang or language_from_environment())
    args = build_parser().parse_args(argv)
    configure_logging()
    try:
        handler: Handler = args.handler
        return handler(args)
    except UserFacingError as error:
        log.info("command %s refused: %s", args.command, type(error).__name__)
        print(_("fieldkit: {message}").format(message=error.message), file=sys.stderr)
        for line in error.details():
            print(f"  {line}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(
            _("fieldkit: an unexpected problem stopped the command. Details are in {path}.").format(
                path=log_dir() / LOG_FILE
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldkit", description=_("FieldKit vault tools."))
    parser.add_argument("--version", action="version", version=f"fieldkit {__version__}")
    parser.add_argument("--vault", type=Path, help=_("vault folder (default: FIELDKIT_VAULT)"))
    parser.add_argument("--lang", choices=["en", "es"], help=_("language of messages"))
    parser.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=_("read the passphrase from the first line of FILE"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", cmd_init, _("create a new vault"))
    command("info", cmd_info, _("show the vault's path, schema, record counts and key settings"))
    command("demo", cmd_demo, _("create or fill a vault with demo data"))
    search = command("search", cmd_search, _("search every record"))
    search.add_argument("text")
    search.add_argument("--kind", choices=list(KINDS), action="append")
    search.add_argument("--limit", type=int, default=50)
    listing = command("list", cmd_list, _("list records of one kind"))
    listing.add_argument("kind", choices=list(KINDS))
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--deleted", action="store_true", help=_("include deleted records"))
    show = command("show", cmd_show, _("show one record"))
    show.add_argument("kind", choices=list(KINDS))
    show.add_argument("id")
    importing = command("import", cmd_import, _("import records from CSV or JSON"))
    importing.add_argument("kind", choices=list(KINDS))
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--skip-invalid", action="store_true", help=_("import the good rows, report the bad")
    )
    export = command("export", cmd_export, _("export records to JSON or CSV"))
    export.add_argument("kind", choices=list(KINDS))
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("-o", "--output", type=Path)
    export.add_argument("--include-deleted", action="store_true")
    passwd = command("passwd", cmd_passwd, _("change the passphrase"))
    passwd.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    recover = command("recover", cmd_recover, _("set a new passphrase with the recovery key"))
    recover.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    command("remember", cmd_remember, _("unlock on this device without the passphrase"))
    command("forget", cmd_forget, _("stop unlocking on this device without the passphrase"))
    command("verify", cmd_verify, _("check the vault database for damage"))
    return parser


# --- helpers ----------------------------------------------------------------------------------


def _root(args: argparse.Namespace) -> Path:
    return (Path(args.vault) if args.vault else default_vault_dir()).expanduser().absolute()


def _unlock(args: argparse.Namespace) -> Vault:
    root = _root(args)
    given = given_passphrase(args.passphrase_file)
    if given is None:
        try:
            return unlock_with_device(root, os_keyring())
        except DeviceNotRemembered:
            pass
    return unlock_vault(root, given or existing_passphrase(args.passphrase_file))


def _emit(args: argparse.Namespace, data: Any, lines: Sequence[str]) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        for line in lines:
            print(line)


def _print_recovery_key(args: argparse.Namespace, root: Path, key: str) -> None:
    _emit(
        args,
        {"vault": str(root), "recovery_key": key},
        [
            _("Vault created in {path}.").format(path=root),
            "",
            _("Recovery key (shown only this once):"),
            "",
            f"    {key}",
            "",
            *textwrap.wrap(
                _(
                    "Write it down or print it and keep it apart from this laptop. It is the "
                    "only way back in if the passphrase is forgotten."
                ),
                width=78,
            ),
        ],
    )


# --- commands ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    root = _root(args)
    vault, key = create_vault(root, new_passphrase(args.passphrase_file))
    vault.lock()
    _print_recovery_key(args, root, key)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        info = vault.info()
    finally:
        vault.lock()
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
    _emit(args, data, lines)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    root = _root(args)
    if VaultFiles(root).exists():
        vault = _unlock(args)
    else:
        vault, key = create_vault(root, new_passphrase(args.passphrase_file))
        _print_recovery_key(args, root, key)
    from fieldkit.services.demo import fill_with_demo_data  # noqa: PLC0415 - large, only needed here

    try:
        counts = fill_with_demo_data(vault)
    finally:
        vault.lock()
    _emit(args, counts, [_("Demo records added: {count}").format(count=sum(counts.values()))])
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        hits = vault.records.search(args.text, args.kind, args.limit)
    finally:
        vault.lock()
    lines = [f"{_(KINDS[h.kind].LABEL):<12} {h.record_id}  {h.title}" for h in hits]
    if not hits:
        lines = [_("Nothing found for '{text}'.").format(text=args.text)]
    _emit(args, [h.__dict__ for h in hits], lines)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    vault = _unlock(args)
    try:
        records = vault.records.list(cls, include_deleted=args.deleted, limit=args.limit)
    finally:
        vault.lock()
    lines = [f"{r.id}  {r.title}" for r in records]
    summary = [{"id": r.id, "title": r.title, "deleted": r.deleted} for r in records]
    _emit(args, summary, lines)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    vault = _unlock(args)
    try:
        record = vault.records.get(cls, args.id)
    finally:
        vault.lock()
    data = {"id": record.id, "deleted": record.deleted, **to_plain(record)}
    _emit(args, data, [f"{k}: {v}" for k, v in data.items()])
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        result = vault.transfer.import_file(args.kind, args.file, skip_invalid=args.skip_invalid)
    finally:
        vault.lock()
    lines = [_("Imported {count} record(s).").format(count=result.imported)]
    lines += [
        _("Skipped line {line}: {reason}").format(line=n, reason=r) for n, r in result.skipped
    ]
    _emit(args, {"imported": result.imported, "skipped": result.skipped}, lines)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        text, count = vault.transfer.export(
            args.kind, args.format, args.output, include_deleted=args.include_deleted
        )
    finally:
        vault.lock()
    if args.kind == Interview.KIND:
        print(
            _("Warning: this export is not encrypted. It holds interview notes."), file=sys.stderr
        )
    if args.output is None:
        sys.stdout.write(text)
    else:
        print(
            _("Exported {count} record(s) to {path}.").format(count=count, path=args.output),
            file=sys.stderr,
        )
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    root = _root(args)
    old = existing_passphrase(args.passphrase_file)
    vault = unlock_vault(root, old)
    try:
        vault.change_passphrase(old, new_passphrase(args.new_passphrase_file, NEW_PASSPHRASE_ENV))
    finally:
        vault.lock()
    print(_("Passphrase changed. The recovery key still works."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    root = _root(args)
    if not VaultFiles(root).exists():
        raise VaultNotFound(path=root)
    key = recovery_key()
    vault = recover_vault(root, key, new_passphrase(args.new_passphrase_file, NEW_PASSPHRASE_ENV))
    vault.lock()
    print(_("New passphrase set. Unlock with it from now on."))
    return 0


def cmd_remember(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        vault.remember_on_device(os_keyring())
    finally:
        vault.lock()
    print(_("This device now unlocks the vault without the passphrase."))
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        vault.forget_on_device(os_keyring())
    finally:
        vault.lock()
    print(_("This device no longer unlocks the vault without the passphrase."))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        problems = vault.store.integrity_problems()
    finally:
        vault.lock()
    lines = problems or [_("The vault database is intact.")]
    _emit(args, {"problems": problems}, lines)
    return 4 if problems else 0
