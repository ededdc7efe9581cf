"""Commands over records: search, list, show, import, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import Command, emit, is_stdout, unlocked
from fieldkit.cli.progress import ProgressBar
from fieldkit.domain.choice_lookup import kind_named, kind_spellings
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import KINDS, Interview
from fieldkit.i18n import _
from fieldkit.services.records import kind_class
from fieldkit.services.transfer import ImportResult


def kind_argument(text: str) -> str:
    """A kind as typed on the command line: `facility`, `facilities`, `Centros de trabajo`."""
    cls = kind_named(text)
    if cls is None:
        message = _("unknown kind '{kind}' (choose from {kinds})")
        raise argparse.ArgumentTypeError(
            message.format(kind=text[:40], kinds=", ".join(kind_spellings()))
        )
    return cls.KIND


def register(command: Command) -> None:
    search = command("search", cmd_search, _("search every record"))
    search.add_argument("text")
    search.add_argument("--kind", type=kind_argument, metavar="KIND", action="append")
    search.add_argument("--limit", type=int, default=50)
    listing = command("list", cmd_list, _("list records of one kind"))
    listing.add_argument("kind", type=kind_argument, metavar="KIND")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--deleted", action="store_true", help=_("include deleted records"))
    show = command("show", cmd_show, _("show one record"))
    show.add_argument("kind", type=kind_argument, metavar="KIND")
    show.add_argument("id")
    importing = command("import", cmd_import, _("import records from CSV or JSON"))
    importing.add_argument("kind", type=kind_argument, metavar="KIND")
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--skip-invalid", action="store_true", help=_("import the good rows, report the bad")
    )
    importing.add_argument(
        "--skip-duplicates",
        action="store_true",
        help=_("leave out facilities whose name and state match one already in the vault"),
    )
    export = command("export", cmd_export, _("export records to JSON or CSV"))
    export.add_argument("kind", type=kind_argument, metavar="KIND")
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
    bar = ProgressBar(_("Importing"))
    try:
        with unlocked(args) as vault:
            result = vault.transfer.import_file(
                args.kind,
                args.file,
                skip_invalid=args.skip_invalid,
                skip_duplicates=args.skip_duplicates,
                progress=bar.update,
            )
    finally:
        bar.finish()
    emit(args, _import_data(result), import_lines(result))
    return 0


def import_lines(result: ImportResult) -> list[str]:
    """What an import did, for people: count, encoding, rows skipped, likely duplicates."""
    lines = [_("Imported {count} record(s).").format(count=result.imported)]
    lines.append(_("The file was read as {encoding}.").format(encoding=_(result.encoding)))
    if result.unit == "record":
        skipped = _("Skipped record {number}: {reason}")
    else:
        skipped = _("Skipped line {line}: {reason}")
    lines += [skipped.format(line=n, number=n, reason=r) for n, r in result.skipped]
    if result.duplicates_skipped:
        duplicate = _("Skipped, likely duplicate, {where}: {reason}")
    else:
        duplicate = _("Imported, but likely duplicate, {where}: {reason}")
    lines += [duplicate.format(where=_where(result, n), reason=r) for n, r in result.duplicates]
    if result.duplicates and not result.duplicates_skipped:
        lines.append(_("Import again with --skip-duplicates to leave likely duplicates out."))
    return lines


def _where(result: ImportResult, number: int) -> str:
    if result.unit == "record":
        return _("record {number}").format(number=number)
    return _("line {number}").format(number=number)


def _import_data(result: ImportResult) -> dict[str, object]:
    return {
        "imported": result.imported,
        "encoding": result.encoding,
        "delimiter": result.delimiter,
        "unit": result.unit,
        "skipped": result.skipped,
        "duplicates": result.duplicates,
        "duplicates_skipped": result.duplicates_skipped,
    }


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
