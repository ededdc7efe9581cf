"""The `fieldkit` command line over the services. Errors a user causes print one line saying
what happened and what to do, with a non-zero exit code; never a traceback."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from fieldkit import __version__
from fieldkit.cli import (
    edit_commands,
    record_commands,
    report_commands,
    sync_commands,
    travel_commands,
    vault_commands,
)
from fieldkit.cli.common import Handler
from fieldkit.errors import UserFacingError
from fieldkit.gc_pace import pace_garbage_collector
from fieldkit.i18n import _, language_from_environment, set_language
from fieldkit.log_setup import LOG_FILE, configure_logging
from fieldkit.paths import log_dir
from fieldkit.private_files import restrict_umask

log = logging.getLogger(__name__)
EXIT_BUG = 70
COMMAND_MODULES = (
    vault_commands,
    record_commands,
    edit_commands,
    report_commands,
    sync_commands,
    travel_commands,
)


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()  # everything this command creates is the user's alone
    pace_garbage_collector()
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(_interface_language(arguments) or language_from_environment())
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.self_test:
        from fieldkit.selftest import run  # noqa: PLC0415 - loads Qt, only for this flag

        return run(as_json=args.json)
    if args.command is None:
        parser.error(_("choose a command: 'fieldkit --help' lists them"))
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
        message = _("fieldkit: an unexpected problem stopped the command. Details are in {path}.")
        print(message.format(path=log_dir() / LOG_FILE), file=sys.stderr)
        return EXIT_BUG


def _interface_language(arguments: list[str]) -> str | None:
    """--lang given before the command (set before the parser is built, so --help is
    translated too; a report's own --lang after the command is not the interface's)."""
    before_command: list[str] = []
    for argument in arguments:
        if not argument.startswith("-") and before_command[-1:] != ["--lang"]:
            break
        before_command.append(argument)
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=["en", "es"])
    chosen, _rest = early.parse_known_args(before_command)
    return str(chosen.lang) if chosen.lang else None


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
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check that this installation works (vault, keyring, PDF, window) and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    for module in COMMAND_MODULES:
        module.register(command)
    return parser
