"""Lint rules for Tools: methods whose spec will be poor, and results the model never sees.

The model knows a tool method only through the spec Open WebUI 0.12.4 builds from the signature and
the docstring: the description is the docstring text before the first ``:param``/``:return``, a
parameter's description comes only from a reST ``:param name:`` line (Google-style ``Args:`` is not
read), an untyped parameter is offered as a string, and ``*args``/``**kwargs`` become a required
string property the model must fill.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..function import parse_tool_docstring
from ._rules import Finding

_RESERVED_PREFIX = "__"


def _public_methods(cls: ast.ClassDef) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            yield node


def _decorated(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    return any(isinstance(d, ast.Name) and d.id == name for d in func.decorator_list)


def _parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    args = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    if not _decorated(func, "staticmethod") and args:
        args = args[1:]  # self / cls: bound, never in the spec
    return [a for a in args if not a.arg.startswith("_")]


def _returns_value(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            return True
        if isinstance(node, ast.Raise | ast.Yield | ast.YieldFrom):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def tool_checks(cls: ast.ClassDef) -> Iterator[Finding]:
    for func in _public_methods(cls):
        yield from _method_checks(func)


def _method_checks(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Finding]:
    name = func.name
    doc = ast.get_docstring(func, clean=False)
    if not doc or not doc.strip():
        yield Finding(
            "AK023",
            func.lineno,
            func.col_offset,
            f"{name}() has no docstring: the model is told only its name ({name!r}) and has to guess "
            "when to call it",
            f'start {name}() with a docstring saying what it does, then a ":param x: ..." line per parameter',
        )
    described = parse_tool_docstring(doc)
    lines = (doc or "").splitlines()
    google = any(line.strip() in ("Args:", "Arguments:", "Parameters:") for line in lines)
    for arg in _parameters(func):
        if arg.annotation is None:
            yield Finding(
                "AK024",
                arg.lineno,
                arg.col_offset,
                f"parameter {arg.arg!r} of {name}() has no type: the model is offered it as a string, and "
                "the method receives whatever text the model writes",
                f"annotate {arg.arg} with the type the model should send (str, int, float, bool, "
                "list[...], a Literal or a pydantic model)",
            )
        if doc and doc.strip() and arg.arg not in described:
            reason = (
                "Open WebUI reads only reST ':param name:' lines, not Google-style 'Args:' sections"
                if google
                else "the docstring has no ':param " + arg.arg + ":' line"
            )
            yield Finding(
                "AK025",
                arg.lineno,
                arg.col_offset,
                f"parameter {arg.arg!r} of {name}() reaches the model without a description: {reason}",
                f'add ":param {arg.arg}: what it is" to the docstring of {name}()',
            )
    for star, kind in ((func.args.vararg, "*"), (func.args.kwarg, "**")):
        if star is not None and not star.arg.startswith(_RESERVED_PREFIX):
            yield Finding(
                "AK026",
                star.lineno,
                star.col_offset,
                f"{kind}{star.arg} of {name}() becomes a required string property {star.arg!r} in the spec: "
                "the model must fill it, and "
                + (
                    "the call fails (the host passes it by name)"
                    if kind == "*"
                    else f"the method gets at most one extra argument, named {star.arg!r}"
                ),
                f"list each argument the model may give as its own typed parameter of {name}()",
            )
    if not _returns_value(func):
        yield Finding(
            "AK027",
            func.lineno,
            func.col_offset,
            f"{name}() returns None: Open WebUI 0.12.4's tool loop takes None for unparsable arguments and "
            "tells the model 'Error: Tool call arguments could not be parsed ...' (status failed)",
            f'return a text ("" for nothing) or JSON data from {name}()',
        )
