"""`fieldkit report visit|case|grant|period|quarterly`: PDF reports, shareable by default."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from fieldkit.cli.common import Command, emit, is_stdout, unlocked
from fieldkit.i18n import _, current_language, normalize_language
from fieldkit.reports.model import DEFAULT_MARKING, Profile, Report, ReportOptions
from fieldkit.services.quarterly import build_quarterly_report, post_authors
from fieldkit.services.vault import Vault


def register(command: Command) -> None:
    report = command("report", cmd_report, _("export a PDF report"))
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    for kind, text in (
        ("visit", _("a visit report")),
        ("case", _("an RRM case summary")),
        ("grant", _("a grant status report")),
    ):
        sub = kinds.add_parser(kind, aliases=[f"{kind}s"], help=text, description=text)
        sub.set_defaults(report_kind=kind)  # the same report by its plural ("visits")
        sub.add_argument("id")
        _add_options(sub)
    period = kinds.add_parser("period", help=_("all visits in a date range"))
    period.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    period.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    _add_options(period)
    quarterly = kinds.add_parser(
        "quarterly", help=_("the quarterly report to the Interagency Labor Committee")
    )
    quarterly.add_argument("--year", type=int, required=True)
    quarterly.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
    quarterly.add_argument("--post", default="", help=_("the attaché post named on the report"))
    _add_options(quarterly)


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        dest="report_lang",
        choices=["en", "es"],
        help=_("language of the report (default: the interface's)"),
    )
    parser.add_argument(
        "--profile",
        choices=[p.value for p in Profile],
        default=Profile.SHAREABLE.value,
        help=_("shareable (default) removes everything that could identify an interviewee"),
    )
    parser.add_argument("--marking", default=DEFAULT_MARKING, help=_("banner on every page"))
    parser.add_argument("--author", default="", help=_("name for the sign-off block"))
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE.pdf",
        help=_("where to write the PDF ('-' is standard output)"),
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("dates are written YYYY-MM-DD")) from None


def cmd_report(args: argparse.Namespace) -> int:
    options = ReportOptions(
        language=normalize_language(args.report_lang) if args.report_lang else current_language(),
        profile=Profile(args.profile),
        marking=args.marking,
        author=args.author,
        generated_at=dt.datetime.now(dt.UTC).astimezone(),
    )
    if is_stdout(args.output):
        with unlocked(args) as vault:
            data = vault.reports.render_pdf(_build(vault, args, options))
        # Binary to the byte stream; nothing else may go to standard output.
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    with unlocked(args) as vault:
        report = _build(vault, args, options)
        output = args.output or Path(_default_name(args))
        size = vault.reports.export_pdf(report, output)
    emit(
        args,
        {"path": str(output), "bytes": size, "profile": options.profile.value},
        [_("Report written to {path}.").format(path=output)],
    )
    return 0


def _build(vault: Vault, args: argparse.Namespace, options: ReportOptions) -> Report:
    reports = vault.reports
    if args.report_kind == "visit":
        return reports.visit_report(args.id, options)
    if args.report_kind == "case":
        return reports.case_report(args.id, options)
    if args.report_kind == "grant":
        return reports.grant_report(args.id, options)
    if args.report_kind == "quarterly":
        authors = post_authors(vault.sync.reviewer_view(), args.post)
        return build_quarterly_report(
            vault.records, args.year, args.quarter, args.post, options, authors=authors
        )
    return reports.period_report(args.start, args.end, options)


def _default_name(args: argparse.Namespace) -> str:
    if args.report_kind == "period":
        return f"visits-{args.start}-to-{args.end}.pdf"
    if args.report_kind == "quarterly":
        return f"ilc-quarterly-{args.year}-Q{args.quarter}.pdf"
    return f"{args.report_kind}-{args.id[:13]}.pdf"
