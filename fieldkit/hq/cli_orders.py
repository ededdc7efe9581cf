"""`fieldkit-hq` commands for lost and inspected laptops: remote wipe, the lease and its
codes, and the SQLite database's key: making one, encrypting with it, rotating it
(docs/security.md, docs/hq.md)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from fieldkit.hq import admin, at_rest, orders, rekey
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import AdminError


def add_commands(commands: Any, store: argparse.ArgumentParser) -> None:
    """The subcommands, on `commands` (argparse's subparsers); `store` gives database options."""
    wipe = commands.add_parser(
        "wipe", parents=[store], help="wipe a device's vault on its next contact"
    )
    wipe.add_argument("device", help="device id or unique name")
    wipe.add_argument("--keep-unsent", action="store_true", help="let it push unsent changes first")
    wipe.add_argument("--revoke", action="store_true", help="revoke it too (no more syncs)")
    wipe.set_defaults(run=_wipe, command="wipe")

    lease = commands.add_parser(
        "lease", parents=[store], help="days a vault may go without reaching HQ"
    )
    lease.add_argument("device", nargs="?", help="one device (default: every device)")
    lease.add_argument("--days", type=int)
    lease.add_argument("--none", action="store_true", help="no lease")
    lease.set_defaults(run=_lease, command="lease")

    code = commands.add_parser(
        "lease-code", parents=[store], help="a code that opens a vault past its lease"
    )
    code.add_argument("device", help="device id or unique name")
    code.set_defaults(run=_lease_code, command="lease-code")

    make_key = commands.add_parser("make-key", help="make a key for the encrypted database")
    make_key.add_argument("--out", type=Path, required=True)
    make_key.set_defaults(run=_make_key)

    encrypt = commands.add_parser(
        "encrypt-database", parents=[store], help="encrypt a plaintext SQLite database (once)"
    )
    encrypt.set_defaults(run=_encrypt_database)

    rotate = commands.add_parser(
        "rekey-database",
        parents=[store],
        help="re-encrypt the SQLite database under a new key (HQ stopped)",
    )
    rotate.add_argument(
        "--new-key-file",
        type=Path,
        required=True,
        help="the key to use from now on (make it with make-key); --key-file is the current one",
    )
    rotate.set_defaults(run=_rekey_database, command="rekey-database")


def _wipe(args: argparse.Namespace) -> int:
    if args.keep_unsent and args.revoke:
        raise AdminError(
            "A revoked device cannot send its unsent changes: use --keep-unsent without "
            "--revoke (HQ revokes the device once it reports the wipe done)."
        )
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device = orders.order_wipe(
            storage, args.device, now_ms(), keep_unsent=args.keep_unsent, revoke=args.revoke
        )
    finally:
        storage.close()
    print(admin.wipe_text(device, args.keep_unsent, args.revoke))
    return 0


def _lease(args: argparse.Namespace) -> int:
    if (args.days is None) == (not args.none):
        raise AdminError("Give --days N, or --none to remove the lease.")
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device = orders.set_lease(storage, args.days, args.device)
    finally:
        storage.close()
    print(admin.lease_text(device, args.days))
    return 0


def _lease_code(args: argparse.Namespace) -> int:
    day = dt.datetime.now(dt.UTC).date().isoformat()
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device, code = orders.lease_code_for(storage, args.device, day)
    finally:
        storage.close()
    print(
        f"Lease code for {device.id} ({device.name}), valid today and tomorrow (UTC):\n\n"
        f"    {code}\n\nWith it and the passphrase, a vault past its lease opens once more "
        "and starts a new lease. Give it only to the attaché, by a channel you trust."
    )
    return 0


def _make_key(args: argparse.Namespace) -> int:
    at_rest.make_key_file(args.out)
    print(
        f"Database key: {args.out} (owner-only). Keep it outside the data folder and out of "
        "its backups, and back it up apart: without it the database cannot be read."
    )
    return 0


def _encrypt_database(args: argparse.Namespace) -> int:
    path = at_rest.sqlite_path(admin.database_url(args.data, args.database))
    if path is None:
        raise AdminError("Only an SQLite database is encrypted by HQ; PostgreSQL relies on "
                         "the database server's disk encryption.")  # fmt: skip
    key = at_rest.load_key(args.key_file)
    if key is None:
        raise AdminError("Give the key to encrypt with: --key-file FILE (see make-key).")
    at_rest.encrypt_database(path, key)
    print(f"Encrypted {path}. Start HQ with the same key from now on.")
    return 0


def _rekey_database(args: argparse.Namespace) -> int:
    path = at_rest.sqlite_path(admin.database_url(args.data, args.database))
    if path is None:
        raise AdminError(
            "HQ encrypts only an SQLite database; PostgreSQL relies on the database server's "
            "disk encryption: rotate that volume's key there. Nothing was changed."
        )
    old_key = at_rest.load_key(args.key_file)
    if old_key is None:
        raise AdminError(
            "Give the database's current key: --key-file FILE (or FIELDKIT_HQ_KEY_FILE / "
            "FIELDKIT_HQ_KEY), and the new one as --new-key-file."
        )
    if not args.new_key_file.is_file():
        raise AdminError(
            f"There is no new key file at {args.new_key_file}: make one first with "
            f"'fieldkit-hq make-key --out {args.new_key_file}'. Nothing was changed."
        )
    new_key = at_rest.read_key_file(args.new_key_file)
    done = rekey.rekey_database(
        path, old_key, new_key, min_free_bytes=max(args.min_free_mb, 0) << 20
    )
    args.key_file = args.new_key_file  # the audit entry goes into the database under its new key
    if done.already_done:
        print(f"{path} already opens with the new key (an earlier run finished): nothing to do.")
    else:
        print(f"Re-encrypted {path} under the new key ({done.tables} tables, {done.rows} rows "
              "checked against the original).")  # fmt: skip
    print(
        f"Start HQ with --key-file {args.new_key_file} from now on. The old key no longer "
        "opens this database, but it still opens backups taken before now: keep it as long "
        "as you keep those, apart from them, then destroy it."
    )
    return 0
