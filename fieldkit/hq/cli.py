"""`fieldkit-hq`: run headquarters and administer its devices.

fieldkit-hq serve --data DIR [--database URL] [--host H] [--port P] [--tls-cert F --tls-key F]
fieldkit-hq enroll NAME --data DIR [--role attache|reviewer] [--post P | --posts A,B]
                                          [--replaces DEVICE]   one-time code for a new device
fieldkit-hq devices --data DIR            every device, role, post, last sync, pending changes
fieldkit-hq revoke DEVICE --data DIR      by id or unique name
fieldkit-hq role DEVICE attache|reviewer [--post P | --posts A,B|all]   at its next pull
fieldkit-hq post DEVICE [POST]            an attaché's post (none without POST)
fieldkit-hq audit --record ID | --device D   who was served this interview / what this device got
fieldkit-hq audit verify                  check the audit chain (exit 1 if tampered with)
fieldkit-hq admin-token [--label L]       a console sign-in token (shown once, stored hashed)
fieldkit-hq make-cert --out DIR --host NAME   a self-signed TLS certificate
fieldkit-hq wipe DEVICE [--keep-unsent] [--revoke]   wipe it on its next contact
fieldkit-hq lease --days N [DEVICE] | --none [DEVICE]   how long a device may stay away
fieldkit-hq lease-code DEVICE            a code that opens a vault past its lease
fieldkit-hq make-key --out FILE           a key for the encrypted SQLite database
fieldkit-hq encrypt-database --data DIR --key-file FILE   encrypt a plaintext database once
fieldkit-hq rekey-database --data DIR --key-file OLD --new-key-file NEW   rotate its key

Every command that opens the database takes --key-file (or FIELDKIT_HQ_KEY_FILE /
FIELDKIT_HQ_KEY) on SQLite.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from fieldkit.gc_pace import pace_garbage_collector
from fieldkit.hq import admin, audit, certs, cli_orders, cli_roles, devices, orders, roles
from fieldkit.hq.app import create_app
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import AdminError
from fieldkit.hq.footing import DEFAULT_MIN_FREE_MB, guard_for
from fieldkit.hq.server import build_server, check_transport
from fieldkit.private_files import restrict_umask

log = logging.getLogger(__name__)

DEFAULT_PORT = 8443


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()  # HQ's database, WAL and logs: readable by its own user only
    pace_garbage_collector()
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except AdminError as error:
        print(f"fieldkit-hq: {error}", file=sys.stderr)
        _log_command(args, "refused")
        return 2
    _log_command(args, "done" if code == 0 else f"exit {code}")
    return code


# The options an audit entry may name: never a code, a token or a database password.
_LOGGED_OPTIONS = (
    "name",
    "device",
    "role",
    "post",
    "posts",
    "replaces",
    "record",
    "label",
    "days",
    "none",
    "keep_unsent",
    "revoke",
)


def _log_command(args: argparse.Namespace, outcome: str) -> None:
    """Put the admin command in the audit trail (who, what, when), when it used the database."""
    command = getattr(args, "command", None)
    if command is None:
        return
    words = [command] + [
        f"--{option}={getattr(args, option)!r}"
        for option in _LOGGED_OPTIONS
        if getattr(args, option, None) not in (None, "", False)
    ]
    if getattr(args, "verify", None):
        words.append("verify")
    try:
        storage = admin.open_storage(args.data, args.database, args.key_file)
    except AdminError:
        return  # nothing to log into: the command's own error says why
    try:
        audit.log_admin(storage, f"{' '.join(words)} ({outcome})")
    finally:
        storage.close()


def _serve(args: argparse.Namespace) -> int:
    tls = _tls(args)
    check_transport(args.host, tls)
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        server_id = storage.server_id()
        guard = guard_for(storage, args.min_free_mb)
        server = build_server(create_app(storage, server_id, guard), args.host, args.port, tls)
        scheme = "https" if tls else "http"
        print(f"FieldKit HQ {server_id} on {scheme}://{args.host}:{args.port}", flush=True)
        if tls:
            print(f"TLS certificate SHA-256: {certs.fingerprint(tls[0])}", flush=True)
        logging.basicConfig(level=logging.INFO)
        # What start-up made lives for the whole process: kept out of the collector's
        # full passes, which a push of thousands of changes otherwise sets off (-7 % time).
        gc.freeze()
        # uvicorn stops on SIGTERM (how systemd and `docker stop` end a service) and then
        # raises it again: without a handler of ours that kills the process before `finally`
        # can fold the WAL into the database and close it.
        signal.signal(signal.SIGTERM, _stop)
        server.run()
    finally:
        storage.close()
    return 0


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _enroll(args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name or len(name) > 100:
        raise AdminError("Give the device a name of 1 to 100 characters (the attaché's name).")
    fingerprint = certs.fingerprint(args.tls_cert) if args.tls_cert else None
    chosen = args.role or args.post is not None or args.posts is not None
    role = roles.make_role(args.role or roles.ATTACHE, args.post, args.posts) if chosen else None
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        code = devices.create_code(storage, name, now_ms(), replaces=args.replaces, role=role)
        old = devices.find_device_by_id(storage, args.replaces) if args.replaces else None
    finally:
        storage.close()
    print(admin.enrolment_text(name, code, fingerprint, f"{old.id} ({old.name})" if old else None))
    if role is not None:
        print(f"The device enrols as {role.describe()}.")
    return 0


def _devices(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        print(guard_for(storage, args.min_free_mb).describe())
        print(admin.devices_table(devices.list_devices(storage)))
        print(admin.orders_text(devices.list_devices(storage), orders.controls(storage),
                                orders.global_lease_of(storage)))  # fmt: skip
    finally:
        storage.close()
    return 0


def _revoke(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device = devices.revoke(storage, args.device, now_ms())
    finally:
        storage.close()
    print(admin.revoked_text(device))
    return 0


def _make_cert(args: argparse.Namespace) -> int:
    cert_path, key_path = certs.make_self_signed(args.out, args.host or ["localhost", "127.0.0.1"])
    print(f"Certificate: {cert_path}\nKey:         {key_path} (keep it secret)")
    print(f"SHA-256:     {certs.fingerprint(cert_path)}")
    return 0


def _tls(args: argparse.Namespace) -> tuple[Path, Path] | None:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise AdminError("Give both --tls-cert and --tls-key, or neither.")
    return (args.tls_cert, args.tls_key) if args.tls_cert else None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldkit-hq", description="FieldKit headquarters.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--data", type=Path, help="HQ's data folder (holds hq.sqlite3)")
    store.add_argument("--database", help="database URL, e.g. postgresql://user@host/hq")
    store.add_argument(
        "--key-file",
        type=Path,
        help="the SQLite database's key (or FIELDKIT_HQ_KEY_FILE / FIELDKIT_HQ_KEY)",
    )
    store.add_argument(
        "--min-free-mb",
        type=int,
        default=DEFAULT_MIN_FREE_MB,
        help="refuse pushes (503 hq_storage_full) when the data folder has less free space",
    )

    serve = commands.add_parser("serve", parents=[store], help="run the HQ server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--tls-cert", type=Path)
    serve.add_argument("--tls-key", type=Path)
    serve.set_defaults(run=_serve, command=None)

    enroll = commands.add_parser("enroll", parents=[store], help="make a one-time device code")
    enroll.add_argument("name", help="who the device belongs to, e.g. 'Ana Pérez'")
    enroll.add_argument("--tls-cert", type=Path, help="print this certificate's fingerprint")
    enroll.add_argument(
        "--replaces",
        metavar="DEVICE",
        help="a revoked device (id or unique name) whose records the new device takes over",
    )
    enroll.add_argument("--role", choices=roles.ROLES, help="attache (the default) or reviewer")
    enroll.add_argument("--post", help="an attaché's post, e.g. 'Mexico City'")
    enroll.add_argument("--posts", help="a reviewer's posts, 'A,B' or 'all' (the default)")
    enroll.set_defaults(run=_enroll, command="enroll")

    listing = commands.add_parser("devices", parents=[store], help="list enrolled devices")
    listing.set_defaults(run=_devices, command="devices")

    revoke = commands.add_parser("revoke", parents=[store], help="refuse a device from now on")
    revoke.add_argument("device", help="device id or unique name")
    revoke.set_defaults(run=_revoke, command="revoke")

    cli_roles.add_commands(commands, store)
    cli_orders.add_commands(commands, store)

    cert = commands.add_parser("make-cert", help="make a self-signed TLS certificate")
    cert.add_argument("--out", type=Path, required=True)
    cert.add_argument("--host", action="append", help="name or address (repeatable)")
    cert.set_defaults(run=_make_cert)
    return parser


if __name__ == "__main__":
    sys.exit(main())
