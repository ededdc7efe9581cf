"""`fieldkit connect` and `fieldkit sync`: enrol this vault with headquarters, then sync."""

from __future__ import annotations

import argparse
import sys

from fieldkit.cli.common import Command, emit, unlocked
from fieldkit.errors import FingerprintNotConfirmed
from fieldkit.i18n import _, format_timestamp
from fieldkit.services.sync import RoundReport, SyncLogEntry, SyncStatus


def register(command: Command) -> None:
    connect = command("connect", cmd_connect, _("connect this vault to headquarters"))
    connect.add_argument("url", help=_("headquarters address, https://..."))
    connect.add_argument("--code", required=True, help=_("the one-time enrolment code"))
    connect.add_argument(
        "--fingerprint", help=_("the certificate fingerprint headquarters gave you")
    )
    sync = command("sync", cmd_sync, _("send and receive changes with headquarters"))
    sync.add_argument(
        "--status", action="store_true", help=_("show the sync state and recent rounds only")
    )


def cmd_connect(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        preview = vault.sync.preview(args.url)
        expected = args.fingerprint
        if preview.fingerprint and not expected:
            expected = _confirm_interactively(preview.fingerprint)
        connection = vault.sync.connect(preview, args.code, expected_fingerprint=expected)
    place = {
        "keyring": _("in this computer's keyring"),
        "vault": _("inside the encrypted vault (no secure keyring here)"),
    }[connection.token_place]
    emit(
        args,
        {
            "url": connection.url,
            "device_id": connection.device_id,
            "device_name": connection.device_name,
            "fingerprint": connection.fingerprint,
            "token_kept": connection.token_place,
        },
        [
            _("Connected to {url} as {name}.").format(
                url=connection.url, name=connection.device_name
            ),
            _("Device token kept {place}.").format(place=place),
            _("Run 'fieldkit sync' to send and receive changes."),
        ],
    )
    return 0


def _confirm_interactively(seen: str) -> str:
    """Show the fingerprint and ask; without a terminal, ask for --fingerprint instead."""
    if not sys.stdin.isatty():
        raise FingerprintNotConfirmed(seen=seen)
    print(_("Headquarters' certificate fingerprint (SHA-256):"))
    print(f"    {seen}")
    answer = input(_("Does it match the one headquarters gave you? [y/N] "))
    if answer.strip().lower() not in ("y", "yes", "s", "si", "sí"):
        raise FingerprintNotConfirmed(seen=seen)
    return seen


def cmd_sync(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        if args.status:
            status = vault.sync.status()
            entries = vault.sync.log(limit=10)
            emit(args, _status_data(status), _status_lines(status, entries))
            return 0
        report = vault.sync.sync_now()
        status = vault.sync.status()
    emit(args, {**report.__dict__, **_status_data(status)}, _report_lines(report, status))
    return 0


def _report_lines(report: RoundReport, status: SyncStatus) -> list[str]:
    lines = [
        _("Synced: {sent} changes sent, {received} received ({requests} requests).").format(
            sent=report.pushed, received=report.pulled, requests=report.requests
        )
    ]
    if report.uploaded or report.downloaded:
        lines.append(
            _("Attachments: {up} sent, {down} received.").format(
                up=report.uploaded, down=report.downloaded
            )
        )
    if status.conflicts:
        lines.append(
            _("1 conflicting edit waits to be resolved in the app.")
            if status.conflicts == 1
            else _("{count} conflicting edits wait to be resolved in the app.").format(
                count=status.conflicts
            )
        )
    if report.rejected or status.quarantined:
        lines.append(
            _("{count} changes were refused by headquarters; see them in the app.").format(
                count=status.quarantined
            )
        )
    return lines


def _status_data(status: SyncStatus) -> dict[str, object]:
    return {
        "state": status.state.value,
        "unsent": status.unsent,
        "conflicts": status.conflicts,
        "quarantined": status.quarantined,
        "last_synced": status.last_synced.isoformat() if status.last_synced else None,
    }


def _status_lines(status: SyncStatus, entries: list[SyncLogEntry]) -> list[str]:
    last = format_timestamp(status.last_synced) if status.last_synced else _("never")
    lines = [
        _("State: {state}. Last synced: {last}.").format(state=_(status.state.label), last=last),
        _("{unsent} changes not yet sent, {conflicts} conflicts, {refused} refused.").format(
            unsent=status.unsent, conflicts=status.conflicts, refused=status.quarantined
        ),
    ]
    for entry in entries:
        text = (
            entry.error.message
            if entry.error
            else _("{sent} sent, {received} received").format(
                sent=entry.pushed, received=entry.pulled
            )
        )
        outcome = _(entry.outcome.label)
        lines.append(f"  {format_timestamp(entry.started_at)}  {outcome}: {text}")
    return lines
