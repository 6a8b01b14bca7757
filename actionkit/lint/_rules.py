"""The lint rules (id, name, severity) and the finding each check reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

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
        Rule("AK009", "misnamed-class", "error", "no Pipe/Filter/Action/Tools class"),
        Rule("AK010", "unpinned-requirement", "warning", "an unpinned requirement"),
        Rule("AK011", "legacy-import-path", "error", "open_webui.apps was removed in Open WebUI 0.5"),
        Rule("AK012", "frontmatter-ignored", "warning", "frontmatter that Open WebUI does not read"),
        Rule("AK013", "dunder-from-kwargs", "error", "**kwargs receives no reserved arguments"),
        Rule("AK014", "unstorable-valve-type", "error", "a valve type Open WebUI 0.12.4 cannot store"),
        Rule("AK015", "unawaited-host-call", "error", "an async Open WebUI call used without await"),
        Rule("AK016", "secret-valve-shown", "warning", "a secret-named valve without a password input"),
        Rule("AK017", "tool-method-undocumented", "warning", "a tool method the model knows only by name"),
        Rule(
            "AK018", "tool-parameter-untyped", "warning", "an untyped tool parameter is offered as a string"
        ),
        Rule("AK019", "tool-parameter-undescribed", "warning", "a tool parameter without a :param line"),
        Rule("AK020", "tool-var-arguments", "warning", "*args/**kwargs become a required string property"),
        Rule("AK021", "tool-returns-none", "error", "a tool method returning None fails the call"),
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
