"""Commands over records: search, list, show, import, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import Command, emit, is_stdout, unlocked
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import KINDS, Interview
from fieldkit.i18n import _
from fieldkit.services.records import kind_class


def register(command: Command) -> None:
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
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("write to FILE ('-': standard output)")
    )
    export.add_argument("--include-deleted", action="store_true")


def cmd_search(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        hits = vault.records.search(args.text, args.kind, args.limit)
    lines = [f"{_(KINDS[h.kind].LABEL):<12} {h.record_id}  {h.title}" for h in hits]
    if not hits:
        lines = [_("Nothing found for '{text}'.").format(text=args.text)]
    emit(args, [h.__dict__ for h in hits], lines)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    with unlocked(args) as vault:
        records = vault.records.list(cls, include_deleted=args.deleted, limit=args.limit)
    summary = [{"id": r.id, "title": r.title, "deleted": r.deleted} for r in records]
    emit(args, summary, [f"{r.id}  {r.title}" for r in records])
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    with unlocked(args) as vault:
        record = vault.records.get(cls, args.id)
    data = {"id": record.id, "deleted": record.deleted, **to_plain(record)}
    emit(args, data, [f"{k}: {v}" for k, v in data.items()])
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        result = vault.transfer.import_file(args.kind, args.file, skip_invalid=args.skip_invalid)
    lines = [_("Imported {count} record(s).").format(count=result.imported)]
    skipped = _("Skipped line {line}: {reason}")
    lines += [skipped.format(line=n, reason=r) for n, r in result.skipped]
    emit(args, {"imported": result.imported, "skipped": result.skipped}, lines)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    output = None if is_stdout(args.output) else args.output
    with unlocked(args) as vault:
        text, count = vault.transfer.export(
            args.kind, args.format, output, include_deleted=args.include_deleted
        )
    if args.kind == Interview.KIND:
        warning = _("Warning: this export is not encrypted. It holds interview notes.")
        print(warning, file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
    else:
        done = _("Exported {count} record(s) to {path}.").format(count=count, path=output)
        print(done, file=sys.stderr)
    return 0
