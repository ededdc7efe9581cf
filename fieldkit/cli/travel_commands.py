"""`fieldkit travel prepare|return|status`: take what HQ holds off the laptop before a border,
and get it back after."""

from __future__ import annotations

import argparse

from fieldkit.cli.common import Command, emit, unlocked
from fieldkit.i18n import _, format_timestamp


def register(command: Command) -> None:
    travel = command(
        "travel", cmd_travel, _("travel mode: remove what headquarters holds, then get it back")
    )
    travel.add_argument("action", choices=["prepare", "return", "status"])
    travel.add_argument("--cases", action="store_true", help=_("remove cases too"))
    travel.add_argument("--tips", action="store_true", help=_("remove reports (tips) too"))


def cmd_travel(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        if args.action == "prepare":
            counts = vault.travel.prepare(cases=args.cases, tips=args.tips)
            emit(args, {"removed": counts}, [
                _("Travel mode: {count} records removed from this laptop. Headquarters keeps "
                  "them; 'fieldkit travel return' brings them back.").format(
                      count=sum(counts.values())),
            ])  # fmt: skip
        elif args.action == "return":
            fields = vault.travel.return_from_travel()
            emit(args, {"fields": fields}, [
                _("Back from travel: {count} fields received from headquarters.").format(
                    count=fields),
            ])  # fmt: skip
        else:
            status = vault.travel.status()
            if not status.active or status.since is None:
                emit(args, {"active": False}, [_("Not in travel mode.")])
            else:
                since = format_timestamp(status.since)
                emit(args, {"active": True, "since": status.since.isoformat()}, [
                    _("In travel mode since {since}.").format(since=since)])  # fmt: skip
    return 0
