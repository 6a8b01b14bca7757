"""The ``actionkit`` command line (also ``python -m actionkit``).

    actionkit run FILE_OR_ID [--body FILE] [--hook HOOK] [--valve K=V] [--reply JSON] [--stream]
                  [--event NAME_OR_FILE]      an Event function is run for an application event
                  [--tool METHOD [--arguments JSON]]   a Tool's method is called as a model calls it
                  [--runtime open-webui==0.10.2]
    actionkit test PATH... [-n WORKERS] [--runtime A,B]   replay recorded cases (*.case.json)
    actionkit lint FILE... [--target 0.8,0.12]  the mistakes function authors make most
    actionkit compat FILE_OR_ID --runtime A,B   the same call on several Open WebUI releases
    actionkit hosts [list|install|remove]       the Open WebUI releases functions run on
    actionkit list | export [FILE] | import FILE | install FILE_OR_ID
    actionkit push | pull | diff                Open WebUI server round trips (see actionkit.cli._remote)

Exit codes: 0 only when the command did what was asked; 1 a simulation failed, a case failed, lint
found problems (or actionkit itself failed); 2 a usage error (unknown option, unreadable file,
unknown function id, invalid valves, a store that cannot be used); 5 no cases found; 130 interrupted.
Every command that prints results takes ``--json`` and then prints exactly one JSON document, errors
included (``{"ok": false, "error": ...}``). ``run``, ``test`` and ``import`` load functions in a
worker process unless ``--in-process`` is given. Heavy modules are imported by the command that
needs them.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .. import __version__
from ..errors import ActionkitError, UsageError
from ._releases import add_parsers as release_parsers
from ._remote import add_parsers
from ._simulate import (
    FAILED,
    OK,
    USAGE,
    add_isolation,
    call_arguments,
    compat,
    import_,
    print_json,
    run,
    test,
)

if TYPE_CHECKING:
    from ..store import Store

INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """Usage errors are raised (and reported like every other error, as JSON under ``--json``)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    command = next((a for a in argv if not a.startswith("-")), "")
    as_json = "--json" in argv
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return USAGE
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except ActionkitError as exc:
        _report(command, exc, as_json)
        return USAGE
    except BrokenPipeError:
        return OK
    except KeyboardInterrupt:
        _report(command, UsageError("interrupted"), as_json)
        return INTERRUPTED
    except Exception as exc:  # a bug in actionkit: still one clear answer and a failing exit code
        traceback.print_exc()
        _report(command, exc, as_json)
        return FAILED


def _report(command: str, exc: BaseException, as_json: bool) -> None:
    if as_json:
        print_json({"ok": False, "error": str(exc), "error_type": type(exc).__name__})
    where = f"actionkit {command}" if command else "actionkit"
    print(f"{where}: {type(exc).__name__}: {exc}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="actionkit", description="Write, tune and regression-test Open WebUI functions.")
    parser.add_argument("--version", action="version", version=f"actionkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    run_ = command("run", run, "simulate a function file or stored function on a body")
    call_arguments(run_)
    run_.add_argument(
        "--runtime",
        default="actionkit",
        help="actionkit (the simulator, default), open-webui (the one installed here) or "
        "open-webui==0.10.2 (that release, installed on first use)",
    )
    run_.add_argument("--save-case", metavar="PATH", help="also record the run as a case (file or folder)")
    add_isolation(run_, limits=True)
    _common(run_)

    test_ = command("test", test, "replay recorded cases and report those whose outcome changed")
    test_.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders of *.case.json")
    test_.add_argument(
        "-n", "--workers", type=int, default=1, help="replay this many function versions at a time"
    )
    source = test_.add_mutually_exclusive_group()
    source.add_argument(
        "--recorded", action="store_true", help="replay the recorded sources, ignore the store"
    )
    source.add_argument(
        "--store", help="store with the current function versions (default: the project store)"
    )
    test_.add_argument("--update", action="store_true", help="rewrite failing cases with their new outcome")
    test_.add_argument(
        "--runtime",
        action="append",
        default=[],
        metavar="RUNTIMES",
        help="replay on these runtimes instead (comma-separated, e.g. open-webui==0.8.12,open-webui==0.12.4)",
    )
    test_.add_argument("--json", action="store_true", help="print the results as JSON")
    test_.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    test_.add_argument(
        "--timeout", type=float, default=60.0, help="seconds loading and each call may take (60)"
    )
    add_isolation(test_)

    lint = command("lint", _lint, "check function files for the mistakes authors make most")
    lint.add_argument("files", nargs="+", metavar="FILE")
    lint.add_argument("--select", help="only these rule ids (comma-separated)")
    lint.add_argument("--ignore", help="skip these rule ids (comma-separated)")
    lint.add_argument(
        "--fail-on",
        choices=["warning", "error"],
        default="warning",
        help="exit 1 on any finding (warning, the default) or only on error-severity ones",
    )
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    lint.add_argument(
        "--target",
        metavar="VERSIONS",
        help="also check what differs on these Open WebUI releases (comma-separated, e.g. 0.8,0.12)",
    )

    listing = command("list", _list, "list the functions in the store")
    _common(listing)

    export = command("export", _export, "export the store in Open WebUI's export format")
    export.add_argument("file", nargs="?", help="write to this file (default: print)")
    export.add_argument(
        "--valves", action="store_true", help="include admin valves (secret ones only with --secrets)"
    )
    export.add_argument(
        "--secrets", action="store_true", help="include the secret valves too (API keys, tokens, passwords)"
    )
    export.add_argument("--store", help="store file (default: the project store)")

    imports = command("import", import_, "import Open WebUI export JSON into the store")
    imports.add_argument("file", help="export JSON file ('-' reads stdin)")
    imports.add_argument("--store", help="store file (default: the project store)")
    imports.add_argument(
        "--timeout", type=float, default=60.0, help="seconds loading each function may take (60)"
    )
    imports.add_argument("--json", action="store_true", help="print the imported ids as JSON")
    add_isolation(imports)

    install = command("install", _install, "pip install the frontmatter requirements of a function")
    install.add_argument("target", metavar="FILE_OR_ID")
    install.add_argument("--store", help="store file (default: the project store)")

    add_parsers(commands)  # push, pull and diff against a real Open WebUI server
    release_parsers(commands, call_arguments, compat)  # hosts, compat
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", help="store file (default: $ACTIONKIT_STORE or the project store)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _store(path: str | None, *, create: bool = True) -> Store:
    from ..store import Store

    return Store(path, create=create)


# -------------------------------------------------------------------------------------- commands


def _lint(args: argparse.Namespace) -> int:
    from ..lint import lint_file

    def ids(text: str | None) -> set[str] | None:
        return {part.strip().upper() for part in text.split(",") if part.strip()} if text else None

    target = [part.strip() for part in args.target.split(",") if part.strip()] if args.target else None
    results = {
        path: lint_file(path, select=ids(args.select), ignore=ids(args.ignore), target=target)
        for path in args.files
    }
    count = sum(len(findings) for findings in results.values())
    if args.json:
        print_json([{"file": path, **f.to_dict()} for path, findings in results.items() for f in findings])
    else:
        for path, findings in results.items():
            for finding in findings:
                print(finding.format(path))
        print(f"{count} problem(s) in {len(results)} file(s)" if count else f"{len(results)} file(s) clean")
    failing = [
        f
        for findings in results.values()
        for f in findings
        if args.fail_on == "warning" or f.severity == "error"
    ]
    return FAILED if failing else OK


def _list(args: argparse.Namespace) -> int:
    from ..store import default_store_path

    if args.store is None and not default_store_path().exists():
        rows = []  # no project store yet: nothing is stored, and listing creates none
    else:
        with _store(args.store, create=False) as store:
            rows = store.list()
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "type": r.type,
                    "is_active": r.is_active,
                    "is_global": r.is_global,
                }
                for r in rows
            ]
        )
        return OK
    if not rows:
        print("the store holds no functions yet")
    for r in rows:
        state = "active" if r.is_active else "inactive"
        print(f"{r.id:<24} {r.type:<7} {state:<8}{' global' if r.is_global else ''}  {r.name}")
    return OK


def _export(args: argparse.Namespace) -> int:
    with _store(args.store, create=False) as store:
        items = store.export(
            args.file, include_valves=args.valves or args.secrets, include_secrets=args.secrets
        )
    if args.file:
        print(f"exported {len(items)} function(s) to {args.file}", file=sys.stderr)
    else:
        print_json(items)
    return OK


def _install(args: argparse.Namespace) -> int:
    from ..errors import RequirementsError
    from ..function import install_requirements

    path = Path(args.target)
    try:
        if path.is_file():
            install_requirements(path)
        else:
            with _store(args.store) as store:
                install_requirements(args.target.partition(".")[0], store=store)
    except RequirementsError as exc:
        print(f"actionkit install: {exc}", file=sys.stderr)
        return FAILED
    return OK
