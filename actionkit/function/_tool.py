"""A loaded Open WebUI Tool (``class Tools``) and the tools dict a chat builds from several.

:class:`Tool` is a :class:`Function` of type ``"tool"`` with the specs the host stores for it and
the list the model is given (:attr:`Tool.tool_specs`). :func:`tools_dict` is ``get_tools``: for each
selected tool its admin valves applied (``instance.valves = Valves(**stored)``), the user's
``UserValves`` put into ``__user__["valves"]`` (a value that no longer validates makes the whole
request fail, as in the host), every stored spec made model-facing and its method bound, and a name
already taken renamed ``{tool_id}_{name}`` until it is free.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..errors import FunctionLoadError
from ..host import DEFAULT_USER_ID, FIXED_TIME
from ._function import Function
from ._tool_bind import bind_tool_function
from ._tool_specs import model_facing


@dataclass(eq=False)
class Tool(Function):
    """A loaded Open WebUI Tool: its source, manifest, module and the host's one ``Tools()`` instance.

    ``specs`` are the specs the host stores for it (its ``specs`` column); ``tool_specs`` is exactly
    what the model is given in a chat with this tool (``form_data["tools"]``); ``methods`` are the
    names the model calls.
    """

    @property
    def specs(self) -> list[dict[str, Any]]:
        """The stored specs (``utils/tools.get_tool_specs``), one per public method in ``dir()`` order."""
        return copy.deepcopy(self._stored)

    @property
    def _stored(self) -> list[dict[str, Any]]:
        """The stored specs themselves (callers must not change them)."""
        stored: list[dict[str, Any]] = self.extra.get("specs") or []
        return stored

    @property
    def tool_specs(self) -> list[dict[str, Any]]:
        """``[{"type": "function", "function": {name, description, parameters}}, ...]`` as the model
        receives it in a chat with only this tool selected."""
        try:
            return [{"type": "function", "function": spec} for spec in named_specs(self, set())]
        except AttributeError as exc:
            raise FunctionLoadError(
                f"Open WebUI 0.12.4 stores {self.id} but cannot give it to a model: {exc} (a callable "
                "attribute whose __name__ is not its name, e.g. staticmethod(lambda ...), so every chat "
                "with this tool fails)",
                function_id=self.id,
                hint="make helpers private (_name) or define them with def under the name they have",
                kind="specs",
            ) from exc

    @property
    def methods(self) -> list[str]:
        """The names the model can call, in the order it is given them."""
        cached = self.extra.get("methods")
        if cached is None:
            taken: set[str] = set()
            cached = []
            for stored in self._stored:
                name = stored["name"]
                while name in taken:
                    name = f"{self.id}_{name}"
                taken.add(name)
                cached.append(name)
            self.extra["methods"] = cached
        return list(cached)

    def method_of(self, name: str) -> Any:
        """The bound method the model-facing ``name`` calls (a renamed clash included), or ``None``."""
        for stored, method_name in zip(self._stored, self.methods, strict=True):
            if method_name == name:
                return getattr(self.instance, stored["name"], None)
        return None

    def __repr__(self) -> str:
        return f"<Tool {self.id!r} name={self.name!r} methods={self.methods}>"


def _specs_and_methods(tool: Tool, taken: set[str]) -> list[tuple[dict[str, Any], Any]]:
    out = []
    for stored in tool._stored:  # model_facing copies what it changes
        method = getattr(tool.instance, stored["name"])  # AttributeError as in the host
        spec = model_facing(stored, getattr(method, "__doc__", None))
        name = spec["name"]
        while name in taken:
            name = f"{tool.id}_{name}"
        taken.add(name)
        out.append(({**spec, "name": name}, method))
    return out


def named_specs(tool: Tool, taken: set[str]) -> list[dict[str, Any]]:
    """The model-facing specs of ``tool``, names clashing with ``taken`` (updated) renamed."""
    return [spec for spec, _ in _specs_and_methods(tool, taken)]


def tool_row(
    tool: Tool, valves: dict[str, Any] | None, user_valves: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The tool as a row of the host's ``tool`` table (``ToolModel`` fields), with its admin valves
    and ``"user_valves"``: ``{user id: values}``."""
    return {
        "id": tool.id,
        "user_id": DEFAULT_USER_ID,
        "name": tool.name,
        "content": tool.content,
        "specs": tool.specs,
        "meta": {
            "description": tool.description,
            "manifest": dict(tool.manifest),
            "has_user_valves": hasattr(tool.instance, "UserValves"),
        },
        "valves": dict(valves or {}),
        "user_valves": {uid: dict(v) for uid, v in (user_valves or {}).items()},
        "updated_at": FIXED_TIME,
        "created_at": FIXED_TIME,
    }


@dataclass
class SelectedTool:
    """A tool selected in a chat, with the admin valves and this user's valves stored for it."""

    tool: Tool
    valves: dict[str, Any] | None = None
    user_valves: dict[str, Any] | None = None

    def __repr__(self) -> str:  # the valve names only: their values may be secrets
        return (
            f"<SelectedTool {self.tool.id}: valves {sorted(self.valves or {})}, "
            f"user valves {sorted(self.user_valves or {})}>"
        )


def tools_dict(selected: list[SelectedTool], extra_params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``get_tools(request, tool_ids, user, extra_params)`` for tools already loaded: name ->
    ``{"tool_id", "callable", "spec", "metadata": {"file_handler", "citation"}}``. Raises what the host
    raises (valves or user valves that do not validate, a spec naming a missing method)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in selected:
        tool = entry.tool
        instance = tool.instance
        user = {**extra_params["__user__"]}
        if hasattr(instance, "valves") and hasattr(instance, "Valves"):
            instance.valves = instance.Valves(**(entry.valves or {}))
        if hasattr(instance, "UserValves"):
            user["valves"] = instance.UserValves(**(entry.user_valves or {}))
        taken = set(found)
        for spec, method in _specs_and_methods(tool, taken):
            callable_ = bind_tool_function(method, {**extra_params, "__id__": tool.id, "__user__": user})
            metadata = {
                "file_handler": hasattr(instance, "file_handler") and instance.file_handler,
                "citation": hasattr(instance, "citation") and instance.citation,
            }
            found[spec["name"]] = {
                "tool_id": tool.id,
                "callable": callable_,
                "spec": spec,
                "metadata": metadata,
            }
    return found
