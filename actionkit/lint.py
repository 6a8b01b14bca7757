"""``actionkit lint``: the mistakes Open WebUI function authors make most, found in the source text.

Every finding names a rule id, the line, what goes wrong in Open WebUI 0.12.4 and how to fix it.
The checks read the AST only; nothing is executed. A line ending in ``# noqa`` (all rules) or
``# noqa: AK005,AK007`` (those rules) is skipped.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import ActionkitError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("AK000", "syntax-error", "error", "the source does not parse, so Open WebUI cannot load it"),
        Rule("AK001", "valves-set-in-init", "error", "valves set in __init__ are replaced before every call"),
        Rule("AK002", "user-valves-as-dict", "error", '__user__["valves"] is not a dict'),
        Rule("AK003", "valves-class-read", "error", "a field read from the Valves class"),
        Rule("AK004", "valves-never-set", "error", "Valves without self.valves"),
        Rule("AK005", "filter-missing-return", "error", "a filter hook can return None"),
        Rule("AK006", "unguarded-event-emitter", "warning", "__event_emitter__/__event_call__ may be None"),
        Rule("AK007", "unknown-event-type", "error", "an event type Open WebUI does not know"),
        Rule("AK008", "event-data-shape", "warning", "event data without the keys Open WebUI reads"),
        Rule("AK009", "misnamed-class", "error", "no Pipe/Filter/Action class"),
        Rule("AK010", "unpinned-requirement", "warning", "an unpinned requirement"),
        Rule("AK011", "legacy-import-path", "error", "open_webui.apps was removed in Open WebUI 0.5"),
        Rule("AK012", "frontmatter-ignored", "warning", "frontmatter that Open WebUI does not read"),
        Rule("AK013", "dunder-from-kwargs", "error", "**kwargs receives no reserved arguments"),
        Rule("AK014", "unstorable-valve-type", "error", "a valve type Open WebUI 0.12.4 cannot store"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One problem: rule, position, what happens in Open WebUI and the fix."""

    rule: str
    line: int
    column: int
    message: str
    fix: str

    @property
    def name(self) -> str:
        return RULES[self.rule].name

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    def format(self, path: str = "<source>") -> str:
        return (
            f"{path}:{self.line}:{self.column}: {self.rule} [{self.name}] {self.message}\n    fix: {self.fix}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "name": self.name, "severity": self.severity}


def lint_source(
    source: str, *, select: set[str] | None = None, ignore: set[str] | None = None
) -> list[Finding]:
    """Every finding in ``source``, sorted by line. ``select``/``ignore`` filter by rule id."""
    from ._lint_checks import run_checks

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
