"""The models a manifold pipe offers, listed as the host's ``get_function_models`` lists them."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._valves import apply_valves

if TYPE_CHECKING:
    from ._function import Function


async def manifold_models(
    fn: Function, valves: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The ``[{"id": "<id>.<sub>", "name"}]`` models ``/api/models`` lists for a manifold after its
    admin ``valves`` are applied (``None`` values dropped), and why it lists none when that happens."""
    instance = fn.instance
    try:
        apply_valves(instance, valves, strip_none=True)
        try:
            attr = instance.pipes
            if callable(attr):
                entries = await attr() if asyncio.iscoroutinefunction(attr) else attr()
            else:
                entries = attr
        except Exception as exc:
            return [], f"pipes raised {type(exc).__name__}: {exc}"
        models = []
        name_prefix = instance.name if hasattr(instance, "name") else None
        for entry in entries:
            name = entry["name"]
            if name_prefix is not None:
                name = f"{name_prefix}{name}"
            models.append({"id": f"{fn.id}.{entry['id']}", "name": name})
        return models, None
    except Exception as exc:
        return [], f"listing the models failed with {type(exc).__name__}: {exc} (Open WebUI skips this pipe)"
