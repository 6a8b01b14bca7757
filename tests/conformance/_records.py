"""Comparable records of what a runtime did, with only ids and timestamps normalised.

Used on both sides: by the real-side runner and by the comparison tests. Values go
through ``actionkit.view._jsonable.jsonable`` (objects become their address-free ``repr``) and then:
uuid4 strings become ``<uuid>``, the host's clock fields (``created``, ``created_at``,
``updated_at``, ``last_active_at``, ``timestamp``) become ``0``, and the pydantic version in the
documentation links of pydantic's error text becomes ``<version>`` (the two environments pin different
pydantic releases). Nothing else is changed.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from actionkit.host import VERSION
from actionkit.view import jsonable

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CLOCK_KEYS = frozenset({"created", "created_at", "updated_at", "last_active_at", "timestamp"})
CLOCK_IN_JSON = re.compile(r'"(created|created_at|updated_at|last_active_at|timestamp)":(\s?)\d+')
# pydantic's error text links to its own version's docs; the two environments pin different pydantics.
PYDANTIC_DOCS = re.compile(r"https://errors\.pydantic\.dev/[0-9.]+/")

SIMULATION_FIELDS = (
    "ok",
    "error",
    "timed_out",
    "result",
    "events",
    "event_calls",
    "chunks",
    "message",
)


def normalise(value: Any) -> Any:
    """``value`` (already JSON-able) with ids and clocks normalised."""
    if isinstance(value, dict):
        return {
            key: 0
            if key in CLOCK_KEYS and isinstance(item, int) and not isinstance(item, bool)
            else normalise(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        text = CLOCK_IN_JSON.sub(r'"\1":\g<2>0', UUID.sub("<uuid>", value))
        return PYDANTIC_DOCS.sub("https://errors.pydantic.dev/<version>/", text)
    return value


def simulation_record(simulation: Any) -> dict[str, Any]:
    """The compared fields of a ``Simulation``, and its warnings (read to explain a difference
    between releases, never compared)."""
    fields = {name: getattr(simulation, name) for name in SIMULATION_FIELDS}
    return {
        "simulation": normalise(jsonable(fields)),
        "notes": normalise(jsonable(list(simulation.warnings))),
    }


def raised_record(exc: BaseException) -> dict[str, Any]:
    """An ``ActionkitError`` raised instead of a simulation: its class and what it points at."""
    return {
        "raised": {
            "type": type(exc).__name__,
            "fields": sorted(getattr(exc, "errors", {}) or {}),
            "line": getattr(exc, "line", None),
            "message": str(exc),
        }
    }


def load_record(
    ok: bool,
    type_: str | None = None,
    manifest: dict[str, Any] | None = None,
    error_type: str | None = None,
    message: str | None = None,
    line: int | None = None,
) -> dict[str, Any]:
    return {
        "ok": ok,
        "type": type_,
        "manifest": dict(manifest or {}),
        "error_type": error_type,
        "message": message,
        "line": line,
    }


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


def field_diff(name: str, field: str, real: Any, ours: Any, release: str = VERSION) -> str:
    """A Markdown section with the unified diff of one field (open-webui first, actionkit second)."""
    lines = difflib.unified_diff(
        _pretty(real).splitlines(),
        _pretty(ours).splitlines(),
        f"open-webui {release}",
        "actionkit",
        lineterm="",
        n=2,
    )
    return f"### {name}: `{field}` differs\n```diff\n" + "\n".join(lines) + "\n```"


def differences(
    name: str, real: dict[str, Any], ours: dict[str, Any], skip: Any, release: str = VERSION
) -> list[str]:
    """One diff per field that differs, fields in ``skip`` (deliberate differences) left out."""
    return [
        field_diff(name, field, real.get(field), ours.get(field), release)
        for field in sorted(set(real) | set(ours))
        if field not in skip and real.get(field) != ours.get(field)
    ]
