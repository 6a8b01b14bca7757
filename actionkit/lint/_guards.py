"""Which calls of a possibly-``None`` parameter are not guarded by a check of that parameter.

A call ``name(...)`` is guarded inside ``if name:`` / ``if name is not None:``, after an early exit
``if not name: return``, in ``name and name(...)`` or ``name(...) if name else ...``, after ``assert
name`` and after the parameter is reassigned. Nested functions see the guards in force where they
are defined.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator

_Func = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def unguarded_calls(
    tree: ast.AST, names: Collection[str], skip: Collection[ast.AST] = ()
) -> Iterator[tuple[ast.Call, str]]:
    """Every unguarded call of a parameter in ``names``, in functions that declare that parameter."""
    found: list[tuple[ast.Call, str]] = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func in skip:
            continue
        params = _params(func) & set(names)
        if params:
            _Scanner(params, found).stmts(func.body, frozenset())
    seen: set[int] = set()
    for call, name in sorted(found, key=lambda item: (item[0].lineno, item[0].col_offset)):
        if id(call) not in seen:
            seen.add(id(call))
            yield call, name


def _params(func: _Func) -> set[str]:
    args = func.args
    every = args.posonlyargs + args.args + args.kwonlyargs
    return {a.arg for a in every}


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _negated(test: ast.expr, name: str) -> bool:
    """``not name`` / ``name is None`` / ``name == None``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, ast.Name) and test.operand.id == name
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right = test.left, test.comparators[0]
        return (
            isinstance(left, ast.Name)
            and left.id == name
            and isinstance(test.ops[0], ast.Is | ast.Eq)
            and isinstance(right, ast.Constant)
            and right.value is None
        )
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_negated(value, name) for value in test.values)
    return False


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


class _Scanner:
    def __init__(self, targets: set[str], found: list[tuple[ast.Call, str]]) -> None:
        self.targets = targets
        self.found = found

    def stmts(self, body: list[ast.stmt], guarded: frozenset[str]) -> None:
        for stmt in body:
            guarded = self.stmt(stmt, guarded)

    def stmt(self, stmt: ast.stmt, guarded: frozenset[str]) -> frozenset[str]:
        """Scan one statement; return the guards in force after it."""
        if isinstance(stmt, ast.If):
            self.expr(stmt.test, guarded)
            named = {t for t in self.targets if _mentions(stmt.test, t)}
            negated = {t for t in named if _negated(stmt.test, t)}
            self.stmts(stmt.body, guarded | named)
            self.stmts(stmt.orelse, guarded | negated)
            if _exits(stmt.body):
                guarded = guarded | negated
            return guarded
        if isinstance(stmt, ast.Assert):
            self.expr(stmt.test, guarded)
            return guarded | {t for t in self.targets if _mentions(stmt.test, t)}
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if not _params(stmt) & self.targets:  # a closure; its own parameters get their own scan
                self.stmts(stmt.body, guarded)
            return guarded
        self.generic(stmt, guarded)
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            assigned = {t.id for t in targets if isinstance(t, ast.Name)}
            guarded = guarded | (assigned & self.targets)
        return guarded

    def generic(self, node: ast.AST, guarded: frozenset[str]) -> None:
        for _, value in ast.iter_fields(node):
            items = value if isinstance(value, list) else [value]
            if items and all(isinstance(item, ast.stmt) for item in items):
                self.stmts(items, guarded)
                continue
            for item in items:
                if isinstance(item, ast.expr):
                    self.expr(item, guarded)
                elif isinstance(item, ast.AST):
                    self.generic(item, guarded)

    def expr(self, node: ast.expr, guarded: frozenset[str]) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in self.targets and name not in guarded:
                self.found.append((node, name))
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.expr(value, guarded)
                if isinstance(node.op, ast.And):
                    guarded = guarded | {
                        t for t in self.targets if _mentions(value, t) and not _negated(value, t)
                    }
                else:
                    guarded = guarded | {t for t in self.targets if _negated(value, t)}
            return
        if isinstance(node, ast.IfExp):
            self.expr(node.test, guarded)
            named = {t for t in self.targets if _mentions(node.test, t)}
            self.expr(node.body, guarded | named)
            self.expr(node.orelse, guarded | {t for t in named if _negated(node.test, t)})
            return
        if isinstance(node, ast.Lambda) and _params(node) & self.targets:
            return
        self.generic(node, guarded)


def own_nodes(func: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body, not descending into nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))


def at(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
