"""``actionkit lint``: the mistakes Open WebUI function authors make most, found in the source text.

Every finding names a rule id, the line, what goes wrong in Open WebUI 0.12.4 (or in the releases
given as ``target``) and how to fix it.
The checks read the AST only; nothing is executed. A line ending in ``# noqa`` (all rules) or
``# noqa: AK005,AK007`` (those rules) is skipped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ActionkitError
from ._checks import function_class, run_checks
from ._rules import RULES, Finding
from ._versions import targets, version_checks


def lint_source(
    source: str,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    target: Sequence[str] | None = None,
) -> list[Finding]:
    """Every finding in ``source``, sorted by line. ``select``/``ignore`` filter by rule id;
    ``target``: the Open WebUI releases the function must work on (``["0.8", "0.12"]``: the last of
    each line), for the rules that depend on the release (default: 0.12.4)."""
    releases = targets(target)
    for rule_id in (select or set()) | (ignore or set()):
        if rule_id not in RULES:
            raise ActionkitError(f"unknown lint rule {rule_id!r}", hint="rules: " + ", ".join(sorted(RULES)))
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        findings = [
            Finding(
                "AK000",
                exc.lineno or 1,
                (exc.offset or 1) - 1,
                f"SyntaxError: {exc.msg}",
                "fix the syntax; Open WebUI shows the same error and deactivates the function",
            )
        ]
    else:
        findings = run_checks(tree, source)
        findings += version_checks(tree, function_class(tree), releases)
    findings = [f for f in findings if not _suppressed(f, source)]
    if select:
        findings = [f for f in findings if f.rule in select]
    if ignore:
        findings = [f for f in findings if f.rule not in ignore]
    return sorted(set(findings), key=lambda f: (f.line, f.column, f.rule))


def lint_file(path: str | Path, **options: Any) -> list[Finding]:
    """:func:`lint_source` on a file (UTF-8)."""
    file = Path(path)
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ActionkitError(f"cannot read {file}: {exc}", hint="pass a Python source file") from None
    return lint_source(source, **options)


_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<ids>[A-Z0-9, ]+))?", re.IGNORECASE)


def _suppressed(finding: Finding, source: str) -> bool:
    lines = source.splitlines()
    if not 1 <= finding.line <= len(lines):
        return False
    match = _NOQA.search(lines[finding.line - 1])
    if match is None:
        return False
    ids = match.group("ids")
    if not ids:
        return True
    return finding.rule in {part.strip().upper() for part in ids.split(",")}
