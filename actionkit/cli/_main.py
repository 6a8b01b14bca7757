"""The ``actionkit`` command line (also ``python -m actionkit``).

    actionkit run FILE_OR_ID [--body FILE] [--hook HOOK] [--valve K=V] [--reply JSON] [--stream]
                   [--runtime open-webui==0.10.2]
    actionkit test PATH... [-n WORKERS] [--runtime A,B]   replay recorded cases (*.case.json)
    actionkit lint FILE... [--target 0.8,0.12]  the mistakes function authors make most
    actionkit compat FILE_OR_ID --runtime A,B   the same call on several Open WebUI releases
    actionkit hosts [list|install|remove]       the Open WebUI releases functions run on
    actionkit list | export [FILE] | import FILE | install FILE_OR_ID
    actionkit push | pull | diff                Open WebUI server round trips (see actionkit.cli._remote)

Exit codes: 0 success; 1 a simulation failed, a case failed or lint found problems; 2 a usage error
(unknown option, unreadable file, unknown function id, invalid valves); 5 no cases found.
Every command that prints results takes ``--json``. Heavy modules are imported by the command that needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import ActionkitError, UsageError
from ..host import FILTER_HOOKS
from ._releases import add_parsers as release_parsers
from ._releases import run_compat, test_on_runtimes
from ._remote import add_parsers

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store

OK, FAILED, USAGE, NO_CASES = 0, 1, 2, 5


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ActionkitError as exc:
        print(f"actionkit {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="actionkit", description="Write, tune and regression-test Open WebUI functions."
    )
    parser.add_argument("--version", action="version", version=f"actionkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    run = command("run", _run, "simulate a function file or stored function on a body")
    _call_arguments(run)
    run.add_argument(
        "--runtime",
        default="actionkit",
        help="actionkit (the simulator, default), open-webui (the one installed here) or "
        "open-webui==0.10.2 (that release, installed on first use)",
    )
    run.add_argument("--save-case", metavar="PATH", help="also record the run as a case (file or folder)")
    _common(run)

    test = command("test", _test, "replay recorded cases and report those whose outcome changed")
    test.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders of *.case.json")
    test.add_argument("-n", "--workers", type=int, default=1, help="replay in this many processes")
    source = test.add_mutually_exclusive_group()
    source.add_argument(
        "--recorded", action="store_true", help="replay the recorded sources, ignore the store"
    )
    source.add_argument(
        "--store", help="store with the current function versions (default: the project store)"
    )
    test.add_argument("--update", action="store_true", help="rewrite failing cases with their new outcome")
    test.add_argument(
        "--runtime",
        action="append",
        default=[],
        metavar="RUNTIMES",
        help="replay on these runtimes instead (comma-separated, e.g. open-webui==0.8.12,open-webui==0.12.4)",
    )
    test.add_argument("--json", action="store_true", help="print the results as JSON")
    test.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")

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
    export.add_argument("--valves", action="store_true", help="include admin valves (secrets included!)")
    export.add_argument("--store", help="store file (default: the project store)")

    imports = command("import", _import, "import Open WebUI export JSON into the store")
    imports.add_argument("file", help="export JSON file ('-' reads stdin)")
    imports.add_argument("--store", help="store file (default: the project store)")

    install = command("install", _install, "pip install the frontmatter requirements of a function")
    install.add_argument("target", metavar="FILE_OR_ID")
    install.add_argument("--store", help="store file (default: the project store)")

    add_parsers(commands)  # push, pull and diff against a real Open WebUI server
    release_parsers(commands, _call_arguments, _compat)  # hosts, compat
    return parser


def _call_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of one call, shared by ``run`` and ``compat``."""
    parser.add_argument(
        "target", metavar="FILE_OR_ID", help="a .py file, or a stored id (id.sub_id for a sub-action)"
    )
    parser.add_argument(
        "--body", metavar="FILE", help="JSON body file ('-' reads stdin); default: a sample chat"
    )
    parser.add_argument("--hook", choices=FILTER_HOOKS, help="filter hook (default: inlet)")
    parser.add_argument("--sub-id", help="sub-action or manifold model id")
    parser.add_argument(
        "--valve", action="append", default=[], metavar="K=V", help="admin valve (value as JSON or text)"
    )
    parser.add_argument("--user-valve", action="append", default=[], metavar="K=V", help="user valve")
    parser.add_argument(
        "--reply", action="append", default=[], metavar="JSON", help="answer to the next event call"
    )
    parser.add_argument("--stream", action="store_true", help="run a pipe in streaming mode")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before the call is stopped (60)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", help="store file (default: $ACTIONKIT_STORE or the project store)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _store(path: str | None) -> Store:
    from ..store import Store

    return Store(path)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _read_json(path: str, what: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} {path} is not JSON: {exc}") from None


def _value(text: str) -> Any:
    """A command-line value: JSON when it parses (3, true, "x", [1]), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _pairs(items: list[str], option: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r}: expected NAME=VALUE, e.g. {option} limit=3")
        values[key.strip()] = _value(raw)
    return values


# -------------------------------------------------------------------------------------- commands


def _function(target: str, store_path: str | None) -> tuple[Function, Store | None, str | None]:
    """A function file, or a stored id (``id.sub_id``): the function, the store used and the sub id."""
    from ..function import load_file

    if target.endswith(".py") or Path(target).is_file():
        return load_file(target), None, None
    store = _store(store_path)
    function_id, _, sub_id = target.partition(".")
    return store.load(function_id), store, sub_id or None


def _call_kwargs(args: argparse.Namespace) -> tuple[Function, dict[str, Any]]:
    """The function and ``simulate`` keyword arguments the call options name."""
    fn, store, sub_id = _function(args.target, args.store)
    kwargs: dict[str, Any] = {
        "hook": args.hook,
        "stream": args.stream,
        "timeout": args.timeout,
        "sub_id": args.sub_id or sub_id,
    }
    if args.body is not None:
        kwargs["body"] = _read_json(args.body, "body")
    if args.valve:
        kwargs["valves"] = _pairs(args.valve, "--valve")
    if args.user_valve:
        kwargs["user_valves"] = _pairs(args.user_valve, "--user-valve")
    if args.reply:
        kwargs["replies"] = [_value(reply) for reply in args.reply]
    if store is not None:
        kwargs["store"] = store
    return fn, {k: v for k, v in kwargs.items() if v is not None}


def _run(args: argparse.Namespace) -> int:
    from ..runtimes import simulate

    fn, kwargs = _call_kwargs(args)
    sim = simulate(fn, **kwargs, runtime=args.runtime)
    if args.save_case:
        from ..sim import save_case

        saved = save_case(sim, args.save_case, function=fn)
        print(f"recorded case {saved}", file=sys.stderr)
    if args.json:
        _print_json(sim.to_dict())
    else:
        print(sim.transcript())
    return OK if sim.ok else FAILED


def _compat(args: argparse.Namespace) -> int:
    fn, kwargs = _call_kwargs(args)
    return run_compat(args, fn, kwargs)


def _test(args: argparse.Namespace) -> int:
    from ..store import default_store_path
    from ..testing import find_cases, record_runs, run_cases

    if args.workers < 1:
        raise UsageError(f"-n {args.workers}: give 1 or more workers")
    if not find_cases(args.paths):
        print(f"actionkit test: no *.case.json under {' '.join(args.paths)}", file=sys.stderr)
        return NO_CASES
    store = None
    if args.store:
        if not Path(args.store).is_file():
            raise UsageError(f"--store {args.store}: no store file there")
        store = args.store
    elif not args.recorded and default_store_path().is_file():
        store = str(default_store_path())
    record = store or str(default_store_path())
    if args.runtime:
        if args.update:
            raise UsageError("--update rewrites cases with the simulator's outcome: leave --runtime out")
        return test_on_runtimes(args, store, record)
    report = run_cases(args.paths, store=store, workers=args.workers, update=args.update)
    record_runs(report, "actionkit", record)
    if args.json:
        _print_json({"summary": report.summary(), "results": [r.to_dict() for r in report.results]})
    else:
        for result in report.results:
            if result.updated or not result.passed:
                print(result.report())
            elif not args.quiet:
                print(result.headline())
        print(report.summary())
    return OK if report.ok else FAILED


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
        _print_json([{"file": path, **f.to_dict()} for path, findings in results.items() for f in findings])
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
    with _store(args.store) as store:
        rows = store.list()
    if args.json:
        _print_json(
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
    with _store(args.store) as store:
        items = store.export(args.file, include_valves=args.valves)
    if args.file:
        print(f"exported {len(items)} function(s) to {args.file}", file=sys.stderr)
    else:
        _print_json(items)
    return OK


def _import(args: argparse.Namespace) -> int:
    data = _read_json(args.file, "export file")
    with _store(args.store) as store:
        ids = store.import_(data)
    print(f"imported {len(ids)} function(s): {', '.join(ids)}" if ids else "nothing to import")
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
