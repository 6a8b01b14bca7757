"""The lint rules that depend on the Open WebUI release a function runs on (``--target``).

Each rule comes from a change of :data:`actionkit.releases.CHANGES` that a static look at the
source can see: awaiting the host's database calls on 0.8, where they are sync (not awaiting them
from 0.9 on is AK015, see ``_host_calls``), an Event function before 0.10, a filter ``request``
hook before 0.11, host modules and names a release does not have yet, an async-generator pipe's
stream end on 0.8, a pipe's ``__files__`` before 0.12. With no target the release actionkit follows
(0.12.4) is the target.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from ..host import VERSION
from ..releases import DATABASE_TABLES, LATER_IMPORTS, SYNC_TABLE_METHODS, parse_version, release
from ._guards import at
from ._host_calls import unawaited_host_calls
from ._rules import Finding

Version = tuple[int, int, int]


def targets(given: Sequence[str] | None) -> list[str]:
    """The releases ``--target`` names (``0.8`` is the last of its line), oldest first."""
    wanted = [release(text) for text in given] if given else [VERSION]
    return sorted(set(wanted), key=_version)


def _version(text: str) -> Version:
    found = parse_version(text)
    assert found is not None
    return found


def _before(releases: list[str], since: str) -> list[str]:
    return [r for r in releases if _version(r) < _version(since)]


def _from(releases: list[str], since: str) -> list[str]:
    return [r for r in releases if _version(r) >= _version(since)]


def _on(releases: list[str]) -> str:
    return "Open WebUI " + ", ".join(releases)


def version_checks(tree: ast.Module, cls: ast.ClassDef | None, releases: list[str]) -> list[Finding]:
    findings = list(_database_calls(tree, releases))
    async_releases = _from(releases, "0.9.0")
    if async_releases:
        findings += unawaited_host_calls(tree, async_releases)
    findings += _event_function(cls, releases)
    findings += _request_hook(cls, releases)
    findings += _later_imports(tree, releases)
    if cls is not None and cls.name == "Pipe":
        findings += _async_generator_pipe(cls, releases)
        findings += _files_iterated(cls, releases)
    return findings


def _table_names(tree: ast.Module) -> set[str]:
    """Names bound to the host's table singletons (``from open_webui.models.users import Users``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("open_webui.models"):
            names |= {alias.asname or alias.name for alias in node.names if alias.name in DATABASE_TABLES}
    return names


def _database_calls(tree: ast.Module, releases: list[str]) -> Iterator[Finding]:
    tables = _table_names(tree)
    sync_releases = _before(releases, "0.9.0")
    if not sync_releases:
        return
    awaited = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        text = ast.unparse(func)
        if "isawaitable" in text or "iscoroutine" in text:
            continue  # written for both: the result is checked before it is used
        for node in _own(func):
            if not isinstance(node, ast.Call) or not _is_table_call(node, tables):
                continue
            assert isinstance(node.func, ast.Attribute)
            call = f"{ast.unparse(node.func)}(...)"
            if id(node) in awaited:
                yield Finding(
                    "AK017",
                    *at(node),
                    f"await {call}: on {_on(sync_releases)} the database layer is sync, so this raises "
                    "TypeError (\"object ... can't be used in 'await' expression\")",
                    "call it without await there, or work on both: r = "
                    f"{call}; then `if inspect.isawaitable(r): r = await r`",
                )


def _own(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of ``func`` outside the functions nested in it (those are visited on their own)."""
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _is_table_call(node: ast.Call, tables: set[str]) -> bool:
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr.startswith("_") or func.attr in SYNC_TABLE_METHODS:
        return False
    owner = func.value
    if isinstance(owner, ast.Name):
        return owner.id in tables
    return isinstance(owner, ast.Attribute) and owner.attr in DATABASE_TABLES


def _event_function(cls: ast.ClassDef | None, releases: list[str]) -> Iterator[Finding]:
    early = _before(releases, "0.10.0")
    if cls is not None and cls.name == "Event" and early:
        yield Finding(
            "AK018",
            *at(cls),
            f"Event functions arrived in Open WebUI 0.10: {_on(early)} refuses this source "
            '("No Function class found in the module")',
            "target 0.10 or later for Event functions",
        )


def _request_hook(cls: ast.ClassDef | None, releases: list[str]) -> Iterator[Finding]:
    early = _before(releases, "0.11.0")
    if cls is None or cls.name != "Filter" or not early:
        return
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "request":
            yield Finding(
                "AK019",
                *at(node),
                f"the request hook arrived in Open WebUI 0.11: {_on(early)} never calls it",
                "do the work in inlet() too when it must happen there",
            )


def _later_imports(tree: ast.Module, releases: list[str]) -> Iterator[Finding]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        for module, name, since, _ in LATER_IMPORTS:
            early = _before(releases, since)
            if early and _imports(node, module, name):
                what = f"{name} from {module}" if name else module
                yield Finding(
                    "AK020",
                    *at(node),
                    f"{what} is new in Open WebUI {since.rsplit('.', 1)[0]}: on {_on(early)} the import "
                    "fails and the function does not load",
                    "import it inside a try/except ImportError and fall back, or target newer releases",
                )


def _imports(node: ast.Import | ast.ImportFrom, module: str, name: str) -> bool:
    if isinstance(node, ast.Import):
        return not name and any(alias.name == module for alias in node.names)
    if node.module == module:
        return not name or any(alias.name == name for alias in node.names)
    return (
        not name
        and node.module == module.rsplit(".", 1)[0]
        and any(alias.name == module.rsplit(".", 1)[1] for alias in node.names)
    )


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next(
        (n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name),
        None,
    )


def _async_generator_pipe(cls: ast.ClassDef, releases: list[str]) -> Iterator[Finding]:
    early = _before(releases, "0.9.0")
    pipe = _method(cls, "pipe")
    if not early or not isinstance(pipe, ast.AsyncFunctionDef):
        return
    if any(isinstance(node, ast.Yield | ast.YieldFrom) for node in _own(pipe)):
        yield Finding(
            "AK021",
            *at(pipe),
            f"an async-generator pipe: on {_on(early)} its stream ends without the finish chunk and "
            "`data: [DONE]`, so clients that wait for them wait on",
            "return a string or a (sync) generator there, or accept the open end",
        )


def _files_iterated(cls: ast.ClassDef, releases: list[str]) -> Iterator[Finding]:
    early = _before(releases, "0.12.0")
    pipe = _method(cls, "pipe")
    if not early or pipe is None:
        return
    for node in _own(pipe):
        used = None
        if isinstance(node, ast.For) and _is_files(node.iter):
            used = node.iter
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
            used = next((arg for arg in node.args if _is_files(arg)), None)
        elif isinstance(node, ast.Subscript) and _is_files(node.value):
            used = node.value
        if used is not None:
            yield Finding(
                "AK022",
                *at(used),
                f"__files__ is None in a chat without files on {_on(early)} (0.12 passes []), so this "
                "raises TypeError there",
                "use `__files__ or []`",
            )


def _is_files(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "__files__"
