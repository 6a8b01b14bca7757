"""AK015: a host call that is async in the target releases (0.9 on; 0.12.4 by default), used
without ``await``.

The database tables (``Users``, ``Chats``, ``Files`` …, async since 0.9) and host functions such as
``generate_chat_completion`` return a coroutine when called. Without ``await`` the coroutine is
always true, has no attributes and no ``len()``, and its work never runs. A call is fine when it is
awaited, handed to something that runs it (``asyncio.run``, ``create_task``, ``gather`` …),
returned, yielded, collected in a list, tuple or set (for a later ``gather``), or assigned to a
name that is later awaited, passed on, returned or yielded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..standins import async_host_names
from ._guards import at as _at
from ._guards import own_nodes as _own_nodes
from ._rules import Finding

# Callables that run or schedule a coroutine handed to them.
_RUNNERS = frozenset(
    {
        "run",
        "create_task",
        "gather",
        "ensure_future",
        "wait_for",
        "shield",
        "wait",
        "as_completed",
        "run_coroutine_threadsafe",
        "run_until_complete",
        "start_soon",
    }
)
# Methods that keep a coroutine for later (a list of them, a queue).
_KEEPERS = _RUNNERS | {"append", "add", "extend", "put", "put_nowait"}
_LEGACY_PREFIXES = ("utils.", "apps.", "main")  # rewritten to open_webui.… by the host's loader


def unawaited_host_calls(tree: ast.Module, releases: list[str]) -> Iterator[Finding]:
    """The calls of host functions and table methods that are async in ``releases`` (all 0.9 or
    later) and whose coroutine is never awaited or run."""
    imported = _imported_names(tree)
    if not imported:
        return
    functions, methods = async_host_names()
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        path = _host_path(node.func, imported)
        if path is None or not _is_async(path, functions, methods):
            continue
        if _runs(node, parents):
            continue
        label = _label(node.func)
        yield Finding(
            "AK015",
            *_at(node),
            f"{label}(...) is async in Open WebUI {', '.join(releases)}: without `await` it returns a "
            "coroutine, which is always true, has no attributes and no len() ('coroutine' object has no "
            "attribute …), and its work never runs",
            f"write `await {label}(...)` (inside an `async def`)",
        )


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> the ``open_webui`` path it stands for (``Users`` ->
    ``open_webui.models.users.Users``)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            module = _host_module(node.module)
            if module is not None:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module = _host_module(alias.name)
                if module is None:
                    continue
                if alias.asname:
                    names[alias.asname] = module
                else:
                    names[alias.name.split(".")[0]] = module.split(".")[0]
    return names


def _host_module(module: str) -> str | None:
    if module == "open_webui" or module.startswith("open_webui."):
        return module
    if module.startswith(_LEGACY_PREFIXES):
        return f"open_webui.{module}"
    return None


def _host_path(func: ast.expr, imported: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in imported:
        return None
    return ".".join([imported[func.id], *reversed(parts)])


def _is_async(path: str, functions: dict[str, frozenset[str]], methods: dict[str, frozenset[str]]) -> bool:
    owner, _, name = path.rpartition(".")
    return name in methods.get(owner, ()) or name in functions.get(owner, ())


def _label(func: ast.expr) -> str:
    return ast.unparse(func)


def _runs(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether the coroutine ``call`` makes is awaited, run or kept to be run."""
    parent = parents.get(call)
    if isinstance(parent, ast.Await | ast.Return | ast.Yield | ast.YieldFrom):
        return True
    if isinstance(parent, ast.List | ast.Tuple | ast.Set | ast.Starred | ast.comprehension):
        return True
    if isinstance(parent, ast.ListComp | ast.SetComp | ast.GeneratorExp) and parent.elt is call:
        return True
    if isinstance(parent, ast.Call) and call in parent.args and _callee(parent) in _KEEPERS:
        return True
    if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is call:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return _kept(targets[0].id, parent, parents)
        return True
    return False


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _kept(name: str, assign: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether the coroutine assigned to ``name`` is later awaited, passed on, returned or yielded
    in the same function (or module)."""
    scope = parents.get(assign)
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
        scope = parents.get(scope)
    if scope is None:
        return True
    for node in _own_nodes(scope):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        use = parents.get(node)
        if isinstance(use, ast.Await | ast.Return | ast.Yield | ast.YieldFrom | ast.Starred):
            return True
        if isinstance(use, ast.List | ast.Tuple | ast.Set):
            return True
        if isinstance(use, ast.Call) and node in use.args and _callee(use) in _KEEPERS:
            return True
    return False
