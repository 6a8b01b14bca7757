"""IPython magics: ``%%action`` registers a cell as a function (or a tool), ``%%tool`` as a tool; line
magics list, show and run."""

from __future__ import annotations

import sys
from typing import Any

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..errors import FunctionLoadError, UsageError
from ..function import (
    LOAD_TIMEOUT,
    LoadKind,
    check_requirements,
    extract_frontmatter,
    install_requirements,
    is_tool_source,
    load,
    resolve_id,
)
from ..host import FILTER_HOOKS
from ..runtimes import isolated, simulate
from ..sim import Call, Source, isolated_save
from ..store import Store
from ..view import FunctionCard, static_rendering
from ._args import parse_magic_line
from ._stores import OpenStores


@magics_class
class ActionMagics(Magics):
    """The magics ``%load_ext actionkit`` registers."""

    def __init__(self, shell: Any, stores: OpenStores | None = None) -> None:
        super().__init__(shell)
        self._stores = stores if stores is not None else OpenStores()
        # function id -> the notebook cell that registered it in this session
        self._owners: dict[str, str] = {}

    def store(self, path: str | None = None) -> Store:
        """The open store at ``path`` (default: the project store for the current folder), one per file."""
        return self._stores.get(path)

    @magic_arguments()
    @argument("id", nargs="?", help="function id (a Python identifier); default: from the title")
    @argument("--name", help="display name; default: the frontmatter title, else the id")
    @argument("--store", help="store file; default: $ACTIONKIT_STORE or .actionkit/store.db")
    @argument("--inactive", action="store_true", help="save the function as inactive")
    @argument("--global", dest="is_global", action="store_true", help="mark it global")
    @argument("--replace", action="store_true", help="take over an id another cell registered")
    @argument("--install", action="store_true", help="pip install the frontmatter requirements first")
    @argument("--no-editors", action="store_true", help="do not show the valve editors")
    @argument("--timeout", type=float, default=LOAD_TIMEOUT, help="seconds the module code may run (60)")
    @argument("--isolate", action="store_true", help="load it in a worker process, never in this kernel")
    @argument(
        "--in-process", action="store_true", help="load it in this kernel even if ACTIONKIT_ISOLATE is set"
    )
    @cell_magic
    def action(self, line: str, cell: str) -> None:
        """Register the cell as an Open WebUI function (Pipe, Filter or Action), or a Tool (a class
        Tools source), in the local store."""
        self._register(parse_magic_line(self.action, line), cell, None)

    @magic_arguments()
    @argument("id", nargs="?", help="tool id (a Python identifier); default: from the title")
    @argument("--name", help="display name; default: the frontmatter title, else the id")
    @argument("--store", help="store file; default: $ACTIONKIT_STORE or .actionkit/store.db")
    @argument("--replace", action="store_true", help="take over an id another cell registered")
    @argument("--install", action="store_true", help="pip install the frontmatter requirements first")
    @argument("--no-editors", action="store_true", help="do not show the valve editors")
    @argument("--timeout", type=float, default=LOAD_TIMEOUT, help="seconds the module code may run (60)")
    @argument("--isolate", action="store_true", help="load it in a worker process, never in this kernel")
    @argument(
        "--in-process", action="store_true", help="load it in this kernel even if ACTIONKIT_ISOLATE is set"
    )
    @cell_magic
    def tool(self, line: str, cell: str) -> None:
        """Register the cell as an Open WebUI Tool (a class Tools source) in the local store; a cell
        without a Tools class fails as Open WebUI's Tools workspace fails."""
        self._register(parse_magic_line(self.tool, line), cell, "tool")

    def _register(self, args: Any, cell: str, kind: LoadKind | None) -> None:
        magic = "%%tool" if kind == "tool" else "%%action"
        isolate = _isolating(args)
        if args.install:
            install_requirements(extract_frontmatter(cell))
        else:
            check_requirements(extract_frontmatter(cell))
        function_id = resolve_id(args.id, extract_frontmatter(cell))
        as_tool = kind == "tool" or (kind is None and is_tool_source(cell))
        inactive, is_global = getattr(args, "inactive", False), getattr(args, "is_global", False)
        if as_tool and (inactive or is_global):
            raise UsageError(
                f"{function_id} is a Tool: Open WebUI's tools have no active or global flag, "
                "so --inactive and --global do not apply"
            )
        cell_id = _current_cell_id(self.shell)
        key = f"{as_tool}:{function_id}"
        owner = self._owners.get(key)
        if cell_id and owner and owner != cell_id and not args.replace:
            raise FunctionLoadError(
                f"another cell of this notebook already registered {function_id!r}",
                function_id=function_id,
                hint=f"give this cell its own id ({magic} other_id) or take the id over with "
                f"{magic} {function_id} --replace; every version stays in the store's history",
                kind="id",
            )
        store = self.store(args.store)
        is_active, is_global = (False if inactive else None), (True if is_global else None)
        if isolate:
            source = Source(cell, args.id, args.name, line_offset=1, kind=kind)
            saved = isolated_save(
                store.path, source, timeout=args.timeout, is_active=is_active, is_global=is_global
            )
            if cell_id:
                self._owners[key] = cell_id
            display(_Shown(saved["card"]))
            return
        fn = load(cell, id=args.id, name=args.name, line_offset=1, timeout=args.timeout, kind=kind)
        result = store.save(fn, is_active=is_active, is_global=is_global)
        if cell_id:
            self._owners[key] = cell_id
        notes = result.notes()
        card = FunctionCard(
            fn,
            valves=result.record.valves,
            version=result.record.version,
            notes=notes,
            show_valves=args.no_editors or (fn.Valves is None and fn.UserValves is None),
        )
        followed = "actionkit.widgets" in sys.modules or not args.no_editors
        handle = display(card, display_id=followed and not static_rendering())
        if followed:
            from ..widgets import changed, follow_card

            if result.new_version:
                changed(store.rows_of(fn), fn.id, "source")  # playgrounds and editors follow
            if handle is not None:
                follow_card(store, card, handle)
        if not args.no_editors:
            _display_editors(fn, store)

    @magic_arguments()
    @argument("--store", help="store file")
    @line_magic
    def action_list(self, line: str) -> None:
        """List the functions and tools in the store."""
        args = parse_magic_line(self.action_list, line)
        store = self.store(args.store)
        display(_Listing([*store.list(), *store.tools.list()]))

    @magic_arguments()
    @argument("id", help="function id")
    @argument("--store", help="store file")
    @line_magic
    def action_history(self, line: str) -> None:
        """Show every stored version of a function."""
        args = parse_magic_line(self.action_history, line)
        store = self.store(args.store)
        rows = store.tools if args.id in store.tools and args.id not in store else store
        versions = rows.history(args.id)
        display(
            _History(args.id, [(v.version, v.content_hash, len(v.content.splitlines())) for v in versions])
        )

    @magic_arguments()
    @argument("file", nargs="?", help="write the export JSON to this file")
    @argument("--valves", action="store_true", help="include admin valves (secret ones only with --secrets)")
    @argument("--secrets", action="store_true", help="include the secret valves too")
    @argument("--store", help="store file")
    @line_magic
    def action_export(self, line: str) -> Any:
        """Export the store in Open WebUI's export format (to a file, or return it)."""
        args = parse_magic_line(self.action_export, line)
        items = self.store(args.store).export(
            args.file, include_valves=args.valves or args.secrets, include_secrets=args.secrets
        )
        if args.file:
            print(f"exported {len(items)} function(s) to {args.file}")
            return None
        return items

    @magic_arguments()
    @argument("id", help="stored function id (or id.sub_id for a sub-action / manifold model)")
    @argument("--body", help="name of a variable holding the body dict")
    @argument("--hook", choices=FILTER_HOOKS, help="filter hook")
    @argument("--stream", action="store_true", help="run a pipe in streaming mode")
    @argument("--valves", help="name of a variable holding valves")
    @argument("--user-valves", help="name of a variable holding user valves")
    @argument("--replies", help="name of a variable holding event-call replies")
    @argument("--event", help="an Event function's event: its name, or a variable holding it")
    @argument(
        "--tool-call", help="for a tool: a variable holding the call {name, arguments}, or a method name"
    )
    @argument("--store", help="store file")
    @argument("--as", dest="target", help="also keep the Simulation in this variable")
    @argument("--timeout", type=float, default=60.0, help="seconds loading and the call may each take")
    @argument("--isolate", action="store_true", help="run it in a worker process, never in this kernel")
    @argument(
        "--in-process", action="store_true", help="run it in this kernel even if ACTIONKIT_ISOLATE is set"
    )
    @line_magic
    def action_run(self, line: str) -> Any:
        """Simulate a stored function (or a tool's method) on a body held in a variable and show
        what it emitted."""

        args = parse_magic_line(self.action_run, line)
        store = self.store(args.store)
        kwargs: dict[str, Any] = {
            "body": self._variable(args.body, "--body"),
            "valves": self._variable(args.valves, "--valves"),
            "user_valves": self._variable(args.user_valves, "--user-valves"),
            "replies": self._variable(args.replies, "--replies"),
            "event": self._event(args.event),
            "hook": args.hook,
            "stream": args.stream,
            "store": store,
            "timeout": args.timeout,
            "isolate": _isolating(args),
        }
        if args.tool_call is not None:
            given: Any = args.tool_call
            if given in self._namespace():
                given = self._namespace()[given]  # a variable holding the call
            kwargs["tool_call"] = {"name": given} if isinstance(given, str) else given
            kwargs.pop("hook")
            kwargs.pop("stream")
        simulation = simulate(args.id, **kwargs)
        if args.target:
            self._namespace()[args.target] = simulation
        return simulation

    def _namespace(self) -> dict[str, Any]:
        assert self.shell is not None, "the magics are registered on a shell"
        namespace: dict[str, Any] = self.shell.user_ns
        return namespace

    def _event(self, given: str | None) -> Any:
        """``--event``: a notebook variable of that name, else the event name itself."""
        if given is None or given not in self._namespace():
            return given
        return self._namespace()[given]

    def _variable(self, name: str | None, option: str) -> Any:
        if name is None:
            return None
        namespace = self._namespace()
        if name not in namespace:
            raise UsageError(f"{option} {name}: no variable named {name!r} in the notebook")
        return namespace[name]


class _Listing:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def _lines(self) -> list[str]:
        if not self.rows:
            return ["the store holds no functions yet"]
        return [
            f"{r.id:<24} tool             {r.name}"
            if r.type == "tool"
            else f"{r.id:<24} {r.type:<7} {'active' if r.is_active else 'inactive':<8}"
            f"{' global' if r.is_global else ''}  {r.name}"
            for r in self.rows
        ]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("\n".join(self._lines()))


class _History:
    def __init__(self, function_id: str, versions: list[tuple[int, str, int]]) -> None:
        self.function_id = function_id
        self.versions = versions

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        lines = [f"{self.function_id}: {len(self.versions)} version(s)"]
        lines += [f"  v{n}  {digest}  {count} lines" for n, digest, count in self.versions]
        printer.text("\n".join(lines))


class _Shown:
    """A display bundle made elsewhere (an isolated worker's card of the function it loaded)."""

    def __init__(self, bundle: dict[str, str]) -> None:
        self.bundle = bundle

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return self.bundle


def _isolating(args: Any) -> bool:
    """``--isolate`` / ``--in-process`` when given, else ``$ACTIONKIT_ISOLATE``."""
    if args.isolate and args.in_process:
        raise UsageError("--isolate and --in-process cannot be used together")
    if args.isolate or args.in_process:
        return bool(args.isolate)
    return isolated(Call(None))


def _current_cell_id(shell: Any) -> str | None:
    """The notebook cell id of the running cell, when the front end sends it (JupyterLab does)."""
    header = getattr(shell, "parent_header", None) or {}
    metadata = header.get("metadata") or {}
    cell_id = metadata.get("cellId") or metadata.get("cell_id")
    return str(cell_id) if cell_id else None


def _display_editors(fn: Any, store: Store) -> None:
    if fn.Valves is None and fn.UserValves is None:
        return
    from ..widgets import editors_for

    editor = editors_for(fn, store)
    if editor is not None:
        display(editor)
