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
        # Rules of the release a function runs on (``--target``; the default target is 0.12.4).
        Rule("AK017", "awaited-sync-database", "error", "a database call awaited on 0.8, where it is sync"),
        Rule("AK018", "event-function-too-early", "error", "an Event function before 0.10"),
        Rule("AK019", "request-hook-too-early", "warning", "a filter request hook before 0.11"),
        Rule("AK020", "host-import-too-early", "error", "a host module or name a target does not have"),
        Rule("AK021", "async-generator-stream-end", "warning", "an async-generator pipe's stream on 0.8"),
        Rule("AK022", "files-none-before-0-12", "warning", "__files__ used as a list before 0.12"),
        # Rules of a Tool's methods: where the spec the model is given will be poor.
        Rule("AK023", "tool-method-undocumented", "warning", "a tool method the model knows only by name"),
        Rule(
            "AK024", "tool-parameter-untyped", "warning", "an untyped tool parameter is offered as a string"
        ),
        Rule("AK025", "tool-parameter-undescribed", "warning", "a tool parameter without a :param line"),
        Rule("AK026", "tool-var-arguments", "warning", "*args/**kwargs become a required string property"),
        Rule("AK027", "tool-returns-none", "error", "a tool method returning None fails the call"),
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
