"""The AST checks behind :mod:`actionkit.lint` (one function per rule family)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ._events import event_literals
from ._guards import at as _at
from ._guards import own_nodes as _own_nodes
from ._guards import unguarded_calls
from ._rules import Finding
from ._secret_valves import unmasked_secret_valves
from ._source import dunders_from_kwargs, frontmatter, legacy_imports
from ._tools import tool_checks

FUNCTION_CLASSES = ("Pipe", "Filter", "Action", "Event")
_MISNAMED = {
    "Pipeline": "Pipe",
    "Pipelines": "Pipe",
    "Pipes": "Pipe",
    "Tool": "Tools (a toolkit) or Action",
    "Toolkit": "Tools",
    "Filters": "Filter",
    "Actions": "Action",
    "Function": "Pipe, Filter or Action",
}
_EMITTER_NAMES = ("__event_emitter__", "__event_call__")
_HOOKS = {"inlet": "the new body", "outlet": "the new body", "stream": "the chunk (a falsy return drops it)"}


def run_checks(tree: ast.Module, source: str) -> list[Finding]:
    cls = function_class(tree)
    kind = cls.name.lower() if cls is not None else None
    findings = list(_misnamed_class(tree, cls))
    if cls is not None:
        findings += _valves_in_init(cls)
        findings += _valves_never_set(cls)
        findings += _unstorable_valve_types(cls)
        models = [(name, _nested_class(cls, name)) for name in ("Valves", "UserValves")]
        findings += unmasked_secret_valves([(name, model) for name, model in models if model is not None])
        if kind == "filter":
            findings += _filter_returns(cls)
        if kind == "tools":
            findings += tool_checks(cls)
    findings += _user_valves_as_dict(tree)
    findings += _valves_class_reads(tree, cls)
    findings += _unguarded(tree, cls, kind)
    findings += event_literals(tree)
    findings += legacy_imports(tree)
    findings += frontmatter(source, tree)
    findings += dunders_from_kwargs(tree)
    return findings


def function_class(tree: ast.Module) -> ast.ClassDef | None:
    """The class Open WebUI would instantiate (``Pipe`` > ``Filter`` > ``Action`` > ``Event``, else
    ``Tools`` for a toolkit)."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found = next((classes[name] for name in FUNCTION_CLASSES if name in classes), None)
    return found if found is not None else classes.get("Tools")


def _is_self_attr(node: ast.AST, attr: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _methods(cls: ast.ClassDef) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _nested_class(cls: ast.ClassDef | None, name: str) -> ast.ClassDef | None:
    if cls is None:
        return None
    return next((n for n in cls.body if isinstance(n, ast.ClassDef) and n.name == name), None)


# Annotations whose values Open WebUI's JSON codec cannot write: its valves save answers OK and
# stores nothing, so the function silently keeps its defaults.
_UNSTORABLE_TYPES = frozenset(
    {
        "SecretStr",
        "SecretBytes",
        "HttpUrl",
        "AnyUrl",
        "AnyHttpUrl",
        "Decimal",
        "Path",
        "bytes",
        "set",
        "frozenset",
    }
)


def _unstorable_valve_types(cls: ast.ClassDef) -> Iterator[Finding]:
    for name in ("Valves", "UserValves"):
        model = _nested_class(cls, name)
        if model is None:
            continue
        for node in model.body:
            if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
                continue
            used = {
                n.id if isinstance(n, ast.Name) else n.attr
                for n in ast.walk(node.annotation)
                if isinstance(n, ast.Name | ast.Attribute)
            }
            bad = sorted(used & _UNSTORABLE_TYPES)
            if bad:
                yield Finding(
                    "AK014",
                    node.lineno,
                    node.col_offset,
                    f"{name}.{node.target.id} is typed {bad[0]}: Open WebUI 0.12.4 cannot store such a value "
                    "(its valves save answers OK and stores nothing, so the function keeps its defaults)",
                    'use str (for a secret: Field("", json_schema_extra={"input": {"type": "password"}})), '
                    "int, float, bool, list or dict",
                )


def _misnamed_class(tree: ast.Module, cls: ast.ClassDef | None) -> Iterator[Finding]:
    if cls is not None:
        return
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in _MISNAMED:
            yield Finding(
                "AK009",
                node.lineno,
                node.col_offset,
                f"class {node.name}: Open WebUI looks only for Pipe, Filter, Action or Event (or Tools in "
                "its Tools workspace), fails with 'No Function class found in the module' and deactivates it",
                f"rename the class to {_MISNAMED[node.name]}",
            )


def _valves_in_init(cls: ast.ClassDef) -> Iterator[Finding]:
    init = next((m for m in _methods(cls) if m.name == "__init__"), None)
    if init is None:
        return
    replaced = "Open WebUI replaces self.valves with Valves(**stored valves) before every call"
    for node in ast.walk(init):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and _is_self_attr(target.value, "valves"):
                yield Finding(
                    "AK001",
                    target.lineno,
                    target.col_offset,
                    f"self.valves.{target.attr} set in __init__ is lost: {replaced}",
                    f"make it the default of '{target.attr}' in Valves "
                    f'(e.g. Field(default_factory=lambda: os.getenv("{target.attr.upper()}", ""))) '
                    "or set it as an admin valve",
                )
            elif _is_self_attr(target, "valves") and isinstance(node, ast.Assign):
                value = node.value
                if isinstance(value, ast.Call) and (value.args or value.keywords):
                    yield Finding(
                        "AK001",
                        value.lineno,
                        value.col_offset,
                        f"values passed to Valves(...) in __init__ never reach the handler: {replaced}",
                        "use self.valves = self.Valves() and move each value into its field default "
                        "(Field(default_factory=...) for environment variables)",
                    )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and node.args
            and _is_self_attr(node.args[0], "valves")
        ):
            yield Finding(
                "AK001",
                node.lineno,
                node.col_offset,
                f"setattr(self.valves, ...) in __init__ is lost: {replaced}",
                "move the value into the field default in Valves",
            )


def _valves_never_set(cls: ast.ClassDef) -> Iterator[Finding]:
    valves_cls = _nested_class(cls, "Valves")
    if valves_cls is None:
        return
    for node in ast.walk(cls):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if _is_self_attr(target, "valves") or (isinstance(target, ast.Name) and target.id == "valves"):
                return
    yield Finding(
        "AK004",
        valves_cls.lineno,
        valves_cls.col_offset,
        f"{cls.name} has a Valves class but never sets self.valves: Open WebUI applies the admin valves "
        "only to an instance that has a 'valves' attribute, so they never arrive",
        "add self.valves = self.Valves() to __init__",
    )


def _filter_returns(cls: ast.ClassDef) -> Iterator[Finding]:
    for method in _methods(cls):
        if method.name not in _HOOKS or _is_generator(method):
            continue
        what = _HOOKS[method.name]
        param = "event" if method.name == "stream" else "body"
        fix = f"return {param} (changed or not) at the end of {method.name}"
        for node in _own_nodes(method):
            if isinstance(node, ast.Return) and (
                node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
            ):
                yield Finding(
                    "AK005",
                    node.lineno,
                    node.col_offset,
                    f"{method.name} returns None here; Open WebUI uses the return value as {what}",
                    fix,
                )
        if _falls_through(method.body):
            yield Finding(
                "AK005",
                method.lineno,
                method.col_offset,
                f"{method.name} can reach its end without a return; Open WebUI uses the return value as "
                f"{what}, so it gets None",
                fix,
            )


def _is_generator(func: ast.AST) -> bool:
    return any(isinstance(n, ast.Yield | ast.YieldFrom) for n in _own_nodes(func))


def _falls_through(body: list[ast.stmt]) -> bool:
    if not body:
        return True
    last = body[-1]
    if isinstance(last, ast.Return | ast.Raise):
        return False
    if isinstance(last, ast.If):
        return _falls_through(last.body) or _falls_through(last.orelse)
    if isinstance(last, ast.With | ast.AsyncWith):
        return _falls_through(last.body)
    if isinstance(last, ast.Try | ast.TryStar):
        if last.finalbody and not _falls_through(last.finalbody):
            return False
        main = last.body + last.orelse
        return _falls_through(main) or any(_falls_through(h.body) for h in last.handlers)
    if isinstance(last, ast.While) and isinstance(last.test, ast.Constant) and last.test.value:
        return any(isinstance(n, ast.Break) for n in _own_nodes(last))
    if isinstance(last, ast.Match):
        has_default = any(
            isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None for case in last.cases
        )
        return not has_default or any(_falls_through(case.body) for case in last.cases)
    return True


def _is_user_valves(node: ast.AST, aliases: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in aliases
    if isinstance(node, ast.Subscript):
        key = node.slice
        return (
            isinstance(node.value, ast.Name)
            and node.value.id == "__user__"
            and isinstance(key, ast.Constant)
            and key.value == "valves"
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        owner = node.func.value
        return (
            isinstance(owner, ast.Name)
            and owner.id == "__user__"
            and bool(node.args)
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "valves"
        )
    return False


def _user_valves_as_dict(tree: ast.Module) -> Iterator[Finding]:
    fix = '__user__["valves"].<field> (attribute access on the UserValves instance)'
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        aliases = {
            target.id
            for node in _own_nodes(func)
            if isinstance(node, ast.Assign) and _is_user_valves(node.value, set())
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in _own_nodes(func):
            used = None
            if isinstance(node, ast.Subscript) and _is_user_valves(node.value, aliases):
                used = "indexed like a dict"
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "keys", "items", "values")
                and _is_user_valves(node.func.value, aliases)
            ):
                used = f"used with .{node.func.attr}() like a dict"
            elif isinstance(node, ast.Compare) and any(
                isinstance(op, ast.In | ast.NotIn) and _is_user_valves(c, aliases)
                for op, c in zip(node.ops, node.comparators, strict=False)
            ):
                used = "tested with 'in' like a dict"
            if used:
                yield Finding(
                    "AK002",
                    *_at(node),
                    f'__user__["valves"] {used}, but Open WebUI puts a UserValves instance there '
                    "(this raises TypeError or AttributeError at call time)",
                    fix,
                )


def _fields(cls: ast.ClassDef | None) -> set[str]:
    if cls is None:
        return set()
    return {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}


def _valves_class_reads(tree: ast.Module, cls: ast.ClassDef | None) -> Iterator[Finding]:
    known = {name: _fields(_nested_class(cls, name)) for name in ("Valves", "UserValves")}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)):
            continue
        owner = node.value
        if not (
            isinstance(owner, ast.Attribute) and owner.attr in known and _is_self_attr(owner, owner.attr)
        ):
            continue
        fields = known[owner.attr]
        if node.attr not in fields and (fields or node.attr.startswith(("model_", "_"))):
            continue
        better = '__user__["valves"]' if owner.attr == "UserValves" else "self.valves"
        yield Finding(
            "AK003",
            node.lineno,
            node.col_offset,
            f"self.{owner.attr}.{node.attr} reads the class, not the values the admin or user set "
            "(with pydantic 2 it raises AttributeError)",
            f"read {better}.{node.attr}"
            + (" (declare __user__ in the handler's signature)" if owner.attr == "UserValves" else ""),
        )


def _unguarded(tree: ast.Module, cls: ast.ClassDef | None, kind: str | None) -> Iterator[Finding]:
    if kind not in ("pipe", "filter"):
        return  # actions always get both; Event functions get neither name
    inlet = next((m for m in _methods(cls) if m.name == "inlet"), None) if cls is not None else None
    when = "an API call or a background task" if kind == "pipe" else "the outlet or stream of an API call"
    for call, name in unguarded_calls(tree, _EMITTER_NAMES, skip={inlet} if inlet else set()):
        yield Finding(
            "AK006",
            call.lineno,
            call.col_offset,
            f"{name} is None when Open WebUI runs this {kind} for {when}; this call then raises TypeError",
            f"guard it: if {name}: ...",
        )
