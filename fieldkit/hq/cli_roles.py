"""`fieldkit-hq` commands for who reads what at headquarters: roles and posts, the audit
trail and the console's admin tokens (docs/hq.md)."""

from __future__ import annotations

import argparse
from typing import Any

from fieldkit.hq import admin, audit, console_auth, devices, roles
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import AdminError


def add_commands(commands: Any, store: argparse.ArgumentParser) -> None:
    """The subcommands, on `commands` (argparse's subparsers); `store` gives database options."""
    role = commands.add_parser(
        "role", parents=[store], help="make a device an attaché or a reviewer (next pull)"
    )
    role.add_argument("device", help="device id or unique name")
    role.add_argument("role", choices=roles.ROLES)
    role.add_argument("--post", help="an attaché's post")
    role.add_argument("--posts", help="a reviewer's posts, 'A,B' or 'all'")
    role.set_defaults(run=_role, command="role")

    post = commands.add_parser("post", parents=[store], help="set or clear an attaché's post")
    post.add_argument("device", help="device id or unique name")
    post.add_argument("post", nargs="?", default="", help="the post; none to clear it")
    post.set_defaults(run=_post, command="post")

    trail = commands.add_parser(
        "audit", parents=[store], help="who was served an interview; check the audit chain"
    )
    trail.add_argument("verify", nargs="?", choices=["verify"], help="check the chain")
    trail.add_argument("--record", help="an interview's record id")
    trail.add_argument("--device", help="device id or unique name")
    trail.set_defaults(run=_audit, command="audit")

    token = commands.add_parser(
        "admin-token", parents=[store], help="a sign-in token for the console at /console"
    )
    token.add_argument("--label", default="admin", help="whose token it is, e.g. 'J. Smith'")
    token.add_argument(
        "--revoke", action="store_true", help="revoke the tokens of --label and end their sessions"
    )
    token.set_defaults(run=_admin_token, command="admin-token")


def _audit(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        if args.verify:
            verdict = audit.verify(storage)
            print(admin.verdict_text(verdict))
            return 0 if verdict.intact else 1
        if not args.record and not args.device:
            raise AdminError("Say what to look up: --record ID, --device DEVICE, or 'verify'.")
        device_id = devices.find_device_by_id(storage, args.device).id if args.device else None
        entries = audit.who_has(storage, record_id=args.record, device_id=device_id)
        names = {s.device.id: s.device.name for s in devices.list_devices(storage)}
    finally:
        storage.close()
    print(admin.served_table(entries, names))
    return 0


def _admin_token(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        if args.revoke:
            count = console_auth.revoke_admin_tokens(storage, args.label, now_ms())
            print(f"Revoked {count} console token(s) of {args.label!r}; their sessions ended.")
            return 0
        token = console_auth.create_admin_token(storage, args.label, now_ms())
    finally:
        storage.close()
    print(admin.admin_token_text(token, args.label))
    return 0


def _role(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device = devices.find_device_by_id(storage, args.device)
        with storage.reading() as conn:
            now = roles.role_of(conn, device.id)
        post = args.post if args.post is not None else (now.post if args.role == now.role else None)
        posts = args.posts
        if posts is None and args.role == roles.REVIEWER and now.role == roles.REVIEWER:
            posts = ",".join(now.posts) if now.posts is not None else roles.ALL_POSTS
        role = roles.make_role(args.role, post, posts)
        reopened = roles.change_role(storage, device.id, role, now_ms())
    finally:
        storage.close()
    print(admin.role_text(device, role, reopened))
    return 0


def _post(args: argparse.Namespace) -> int:
    storage = admin.open_storage(args.data, args.database, args.key_file)
    try:
        device = devices.find_device_by_id(storage, args.device)
        with storage.reading() as conn:
            now = roles.role_of(conn, device.id)
        if now.role != roles.ATTACHE:
            raise AdminError(
                f"{device.id} ({device.name}) is a reviewer: give its posts with "
                f"'fieldkit-hq role {device.id} reviewer --posts A,B'."
            )
        role = roles.make_role(roles.ATTACHE, args.post or None)
        reopened = roles.change_role(storage, device.id, role, now_ms())
    finally:
        storage.close()
    print(admin.role_text(device, role, reopened))
    return 0
