"""Lint rules on imports, frontmatter and ``**kwargs``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..function import extract_frontmatter, parse_requirements
from ._guards import at as _at
from ._guards import own_nodes as _own_nodes
from ._rules import Finding


def legacy_imports(tree: ast.Module) -> Iterator[Finding]:
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for module in names:
            if module == "apps" or module.startswith("apps."):
                module = "open_webui." + module  # the host rewrites 'from apps' to this
            if module == "open_webui.apps" or module.startswith("open_webui.apps."):
                new = re.sub(r"^open_webui\.apps(\.webui)?", "open_webui", module)
                yield Finding(
                    "AK011",
                    *_at(node),
                    f"{module} was removed in Open WebUI 0.5: loading fails with "
                    "\"No module named 'open_webui.apps'\"",
                    f"import from {new} instead",
                )


def frontmatter(source: str, tree: ast.Module) -> Iterator[Finding]:
    lines = source.splitlines()
    manifest = extract_frontmatter(source)
    if manifest:
        number = next(
            (i for i, line in enumerate(lines, 1) if re.match(r"\s*requirements\s*:", line, re.I)), 1
        )
        text = lines[number - 1] if lines else ""
        for spec in parse_requirements(manifest):
            if not re.search(r"(===?|~=)\s*[\w.*+!-]+", spec) and "@" not in spec:
                yield Finding(
                    "AK010",
                    number,
                    max(text.find(spec), 0),
                    f"requirement {spec!r} is not pinned: each Open WebUI server installs whatever version "
                    "is newest that day",
                    f"pin it, e.g. {re.split(r'[<>=!~; ]', spec, maxsplit=1)[0]}==<the version you tested>",
                )
        return
    doc = ast.get_docstring(tree, clean=False)
    if doc and re.search(r"^\s*title\s*:", doc, re.I | re.M):
        yield Finding(
            "AK012",
            1,
            0,
            "this docstring looks like frontmatter, but Open WebUI reads it only when the file's first line "
            'is exactly """ (no shebang, blank line, r-prefix, single quotes or text on that line)',
            'start the file with a line holding only """ and put title: ... on the next line',
        )


def dunders_from_kwargs(tree: ast.Module) -> Iterator[Finding]:
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.args.kwarg is None:
            continue
        kwargs = func.args.kwarg.arg
        for node in _own_nodes(func):
            key: ast.expr | None = None
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id == kwargs
            ):
                key = node.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "pop")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == kwargs
                and node.args
            ):
                key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and _is_dunder(key.value):
                yield Finding(
                    "AK013",
                    *_at(node),
                    f"{kwargs}[{key.value!r}] is always missing: Open WebUI passes {key.value} only to a "
                    "parameter with exactly that name, never through **kwargs",
                    f"add {key.value}=None to the signature of {func.name}",
                )


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4
