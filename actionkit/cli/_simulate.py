"""``actionkit run``, ``test``, ``import`` and ``compat``: the commands that load functions.

``run``, ``test`` and ``import`` load and run function code in a worker process unless
``--in-process`` is given (or ``ACTIONKIT_ISOLATE=0`` is set), so a function that ends the process,
hangs or eats memory gives a failed result and a non-zero exit code instead of taking the command
down with it. With ``--runtime open-webui==<version>`` the call runs in that release's own worker
process instead; ``compat`` runs one call on several releases.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StoreError, UsageError
from ..host import FILTER_HOOKS
from ._releases import run_compat, test_on_runtimes

if TYPE_CHECKING:
    from ..sim import Simulation
    from ..store import Store

OK, FAILED, USAGE, NO_CASES = 0, 1, 2, 5


def add_isolation(parser: argparse.ArgumentParser, *, limits: bool = False) -> None:
    """``--isolate`` (the default) / ``--in-process``, and for ``run`` the worker's limits."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--isolate",
        dest="isolate",
        action="store_const",
        const=True,
        help="load and run functions in a worker process (the default)",
    )
    group.add_argument(
        "--in-process",
        dest="isolate",
        action="store_const",
        const=False,
        help="load and run functions in this process (faster to start; a function can take it down)",
    )
    if limits:
        parser.add_argument(
            "--allow-network", action="store_true", help="let an isolated function reach past loopback"
        )
        parser.add_argument(
            "--memory-limit", type=int, metavar="MB", help="address space of the worker process (2048)"
        )


def call_arguments(parser: argparse.ArgumentParser) -> None:
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
    parser.add_argument(
        "--event",
        metavar="NAME_OR_FILE",
        help="for an Event function: the event (chat.created …) or a JSON file of its payload fields "
        "('-' reads stdin)",
    )
    parser.add_argument("--tool", metavar="METHOD", help="for a Tool: the method the model calls")
    parser.add_argument(
        "--arguments", metavar="JSON", help="for a Tool: the arguments the model sends (its JSON text)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds loading and the call may each take (60)"
    )


def isolating(args: argparse.Namespace) -> bool:
    """The flag when given, else ``$ACTIONKIT_ISOLATE`` when set, else isolated."""
    if args.isolate is not None:
        return bool(args.isolate)
    from ..runtimes import ISOLATE_ENV, isolated
    from ..sim import Call

    return isolated(Call(None)) if os.environ.get(ISOLATE_ENV, "").strip() else True


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def read_json(path: str, what: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} {path} is not JSON: {exc}") from None


def _event(given: str) -> Any:
    """``--event``: a JSON file ('-' for stdin) of the payload's fields, else the event name."""
    if given == "-" or given.endswith(".json") or Path(given).is_file():
        return read_json(given, "event")
    return given


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


def _target(args: argparse.Namespace, isolate: bool) -> tuple[Any, Store | None, str | None]:
    """The function to run (source text when isolated, so this process never runs it), the store
    its saved valves come from and a sub id given as ``id.sub``."""
    from ..function import load_file, read_source
    from ..sim import Source
    from ..store import Store, default_store_path

    target = args.target
    if target.endswith(".py") or Path(target).is_file():
        if isolate:
            content, function_id = read_source(target)
            return Source(content, function_id), None, None
        return load_file(target, timeout=args.timeout), None, None
    function_id, _, sub_id = target.partition(".")
    path = args.store or str(default_store_path())
    if path != ":memory:" and not Path(path).exists():
        raise StoreError(
            f"no stored function {function_id!r}: there is no store at {path}",
            hint="pass a .py file, or save the function first (%%action, actionkit import)",
        )
    store = Store(path, create=False)
    # A stored id names a tool when only a tool has it, or when a tool call is made (--tool).
    if function_id in store.tools and (args.tool is not None or function_id not in store):
        if isolate:
            tool = store.tools.get(function_id)
            return Source(tool.content, function_id, tool.name, kind="tool"), store, None
        return store.tools.load(function_id, timeout=args.timeout), store, None
    if isolate:
        record = store.get(function_id)
        return Source(record.content, function_id, record.name), store, sub_id or None
    return store.load(function_id, timeout=args.timeout), store, sub_id or None


def call_kwargs(
    args: argparse.Namespace, isolate: bool
) -> tuple[Any, dict[str, Any], dict[str, dict[str, Any]]]:
    """The target and ``simulate`` keyword arguments the call options name, and the valves given."""
    target, store, sub_id = _target(args, isolate)
    kwargs: dict[str, Any] = {
        "hook": args.hook,
        "stream": args.stream,
        "timeout": args.timeout,
        "sub_id": args.sub_id or sub_id,
    }
    given: dict[str, dict[str, Any]] = {}
    if args.body is not None:
        kwargs["body"] = read_json(args.body, "body")
    if args.valve:
        kwargs["valves"] = given["valves"] = _pairs(args.valve, "--valve")
    if args.user_valve:
        kwargs["user_valves"] = given["user_valves"] = _pairs(args.user_valve, "--user-valve")
    if args.reply:
        kwargs["replies"] = [_value(reply) for reply in args.reply]
    if args.event is not None:
        kwargs["event"] = _event(args.event)
    if args.tool is not None:
        kwargs["tool_call"] = {"name": args.tool, "arguments": args.arguments or "{}"}
    elif args.arguments is not None:
        raise UsageError("--arguments goes with --tool METHOD (the method the model calls)")
    if store is not None:
        kwargs["store"] = store
    return target, {k: v for k, v in kwargs.items() if v is not None}, given


def run(args: argparse.Namespace) -> int:
    from ..runtimes import simulate

    # A release runs in a worker process of its own; isolation is for the simulator.
    isolate = isolating(args) and args.runtime == "actionkit"
    target, kwargs, given = call_kwargs(args, isolate)
    kwargs.update(runtime=args.runtime, isolate=isolate)
    if isolate:
        kwargs.update(allow_network=args.allow_network, memory_limit=args.memory_limit)
    sim = simulate(target, **{k: v for k, v in kwargs.items() if v is not None})
    _refuse_unknown_valves(sim, given)
    problem = None
    if args.save_case:
        from ..errors import CaseError
        from ..sim import save_case

        try:
            saved = save_case(sim, args.save_case)
        except CaseError as exc:
            problem = exc
        else:
            print(f"recorded case {saved}", file=sys.stderr)
    if args.json:
        data = sim.to_dict()
        print_json(data if problem is None else {"ok": False, "error": str(problem), "simulation": data})
    else:
        print(sim.transcript())
    if problem is not None:
        print(f"actionkit run: CaseError: {problem}", file=sys.stderr)
        return USAGE
    return OK if sim.ok else FAILED


def _refuse_unknown_valves(sim: Simulation, given: dict[str, dict[str, Any]]) -> None:
    """A valve the function does not have is a usage error here (Open WebUI would drop it)."""
    for key, option in (("valves", "--valve"), ("user_valves", "--user-valve")):
        stored = sim.inputs.get(key)
        if key not in given or not isinstance(stored, dict):
            continue
        for name, value in given[key].items():
            if value is not None and name not in stored:
                why = next((w for w in sim.warnings if f"has no field {name!r}" in w), "no such valve")
                raise UsageError(f"{option} {name}: {why.split(': Open WebUI drops it')[0]}")


def test(args: argparse.Namespace) -> int:
    from ..store import default_store_path
    from ..testing import find_cases, record_runs, run_cases

    if args.workers < 1:
        raise UsageError(f"-n {args.workers}: give 1 or more workers")
    if not find_cases(args.paths):
        message = f"no *.case.json under {' '.join(args.paths)}"
        if args.json:
            print_json({"ok": False, "error": message, "results": []})
        print(f"actionkit test: {message}", file=sys.stderr)
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
    report = run_cases(
        args.paths,
        store=store,
        workers=args.workers,
        update=args.update,
        isolate=isolating(args),
        timeout=args.timeout,
    )
    record_runs(report, "actionkit", record)
    if args.json:
        print_json(
            {"ok": report.ok, "summary": report.summary(), "results": [r.to_dict() for r in report.results]}
        )
    else:
        for result in report.results:
            if result.updated or not result.passed:
                print(result.report())
            elif not args.quiet:
                print(result.headline())
        print(report.summary())
    return OK if report.ok else FAILED


def compat(args: argparse.Namespace) -> int:
    target, kwargs, _given = call_kwargs(args, isolate=False)
    return run_compat(args, target, kwargs)


def import_(args: argparse.Namespace) -> int:
    from ..store import Store, default_store_path

    data = read_json(args.file, "export file")
    path = str(args.store or default_store_path())
    if isolating(args):
        from ..sim import isolated_import

        ids = isolated_import(path, data, timeout=args.timeout)
    else:
        with Store(path) as store:
            ids = store.import_(data, timeout=args.timeout)
    if args.json:
        print_json({"ok": True, "imported": ids})
    else:
        print(f"imported {len(ids)} function(s): {', '.join(ids)}" if ids else "nothing to import")
    return OK
