"""Lint rules for event literals: unknown event types and data without the keys the page reads."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator

from ._rules import Finding

EMITTED_TYPES = frozenset(
    {
        "status",
        "message",
        "chat:message:delta",
        "replace",
        "chat:message",
        "files",
        "chat:message:files",
        "embeds",
        "chat:message:embeds",
        "source",
        "citation",
        "notification",
        "chat:title",
        "chat:tags",
        "chat:message:error",
        "chat:message:follow_ups",
        "chat:message:favorite",
        "chat:message:tasks",
        "chat:completion",
        "chat:outlet",
        "chat:tasks:cancel",
        "chat:active",
        "context_compaction",
        "chat:messages",
        "chat:list",
        "chat:reload",
        "response:completion",
    }
)
CALL_TYPES = frozenset({"confirmation", "input", "execute", "request:user_input", "request:elicitation"})
# Keys the page reads from each event's data (contract §6.1); a literal without them shows nothing.
_DATA_KEYS = {
    "status": ("description",),
    "message": ("content",),
    "chat:message:delta": ("content",),
    "replace": ("content",),
    "chat:message": ("content",),
    "files": ("files",),
    "chat:message:files": ("files",),
    "embeds": ("embeds",),
    "chat:message:embeds": ("embeds",),
    "notification": ("content",),
    "chat:message:follow_ups": ("follow_ups",),
    "confirmation": ("title", "message"),
    "input": ("title",),
    "execute": ("code",),
}


def event_literals(tree: ast.Module) -> Iterator[Finding]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Dict):
            continue
        callee = _callee_name(node.func)
        if callee is None:
            continue
        is_call = "emit" not in callee and ("event_call" in callee or callee.endswith("caller"))
        if not (is_call or "emit" in callee):
            continue
        event = _literal_dict(node.args[0])
        kind = event.get("type")
        if not isinstance(kind, ast.Constant) or not isinstance(kind.value, str):
            continue
        known = CALL_TYPES if is_call else EMITTED_TYPES
        name = kind.value
        if name not in known and not name.startswith("terminal:"):
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(sorted(known))
            role = "an event call" if is_call else "an event"
            yield Finding(
                "AK007",
                kind.lineno,
                kind.col_offset,
                f"{name!r} is not a type Open WebUI handles for {role}: it is ignored"
                + (" and the call waits for an answer that never comes" if is_call else ""),
                hint,
            )
            continue
        data = event.get("data")
        needed = _DATA_KEYS.get(name, ())
        if isinstance(data, ast.Dict) and needed and None not in data.keys:
            keys = set(_literal_dict(data))
            missing = [key for key in needed if key not in keys]
            if missing:
                yield Finding(
                    "AK008",
                    data.lineno,
                    data.col_offset,
                    f"{name!r} event data without {', '.join(repr(m) for m in missing)}: the page reads "
                    "that key and shows nothing otherwise",
                    f"add {', '.join(repr(m) for m in missing)} to data",
                )
        if name == "chat:title" and isinstance(data, ast.Dict):
            yield Finding(
                "AK008",
                data.lineno,
                data.col_offset,
                "'chat:title' data must be the title string itself, not a dict",
                '{"type": "chat:title", "data": "My title"}',
            )


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id.lower()
    if isinstance(func, ast.Attribute):
        return func.attr.lower()
    return None


def _literal_dict(node: ast.Dict) -> dict[str, ast.expr]:
    return {
        key.value: value
        for key, value in zip(node.keys, node.values, strict=False)
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }
