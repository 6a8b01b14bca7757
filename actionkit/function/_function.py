"""A loaded Open WebUI function: its source, manifest, module and the host's single instance."""

from __future__ import annotations

import builtins
import hashlib
import inspect
import types
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from .._aio import run_sync
from ..errors import ValvesError
from ..secrets import mask_text, secret_values
from ..view import function_card
from ._manifold import manifold_models
from ._source import parse_requirements
from ._valves import apply_valves, pydantic_errors

FunctionType = Literal["pipe", "filter", "action", "event", "tool"]


@dataclass(eq=False)
class Function:
    """A loaded Open WebUI function: its source, manifest, module and the host's single instance."""

    id: str
    name: str
    type: FunctionType
    content: str
    manifest: dict[str, str]
    module: types.ModuleType
    instance: Any
    filename: str
    line_offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return self.manifest.get("description", "")

    @property
    def version(self) -> str | None:
        return self.manifest.get("version")

    @property
    def requirements(self) -> list[str]:
        return parse_requirements(self.manifest)

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)

    @property
    def Valves(self) -> builtins.type[BaseModel] | None:
        return _model_class(self.instance, "Valves")

    @property
    def UserValves(self) -> builtins.type[BaseModel] | None:
        return _model_class(self.instance, "UserValves")

    @property
    def sub_actions(self) -> list[dict[str, Any]]:
        """The ``actions`` list of an Action (each ``{"id", "name"?, "icon_url"?}``)."""
        actions = getattr(self.instance, "actions", None)
        if self.type != "action" or not isinstance(actions, list):
            return []
        return [a for a in actions if isinstance(a, dict) and "id" in a]

    @property
    def is_manifold(self) -> bool:
        return self.type == "pipe" and hasattr(self.instance, "pipes")

    @property
    def toggle(self) -> bool:
        return self.type == "filter" and bool(getattr(self.instance, "toggle", False))

    def apply_valves(self, stored: dict[str, Any] | None, *, strip_none: bool = False) -> None:
        """Replace ``self.valves`` with ``Valves(**stored)`` as the host does before each call
        (:func:`apply_valves`), raising :class:`ValvesError` when the values do not validate."""
        try:
            apply_valves(self.instance, stored, strip_none=strip_none)
        except Exception as exc:  # pydantic.ValidationError or an error in a validator
            given = stored or {}
            if hasattr(exc, "errors"):
                errors = pydantic_errors(exc, self.Valves, given)
            else:
                errors = {"(model)": mask_text(str(exc), secret_values(self.Valves, given))}
            raise ValvesError(
                f"stored valves do not validate against {self.id}.Valves: "
                + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                function_id=self.id,
                errors=errors,
            ) from None

    def pipes(self, valves: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The models a pipe offers, as ``/api/models`` lists them: ``[{"id", "name"}]``.

        A manifold's models are listed by :func:`manifold_models` (the same listing a simulation
        uses) after the admin valves are applied; a failure lists none, as in the host. A single
        pipe offers one model named after the function.
        """
        if self.type != "pipe":
            return []
        if not self.is_manifold:
            return [{"id": self.id, "name": self.name}]
        return run_sync(manifold_models(self, valves))[0]

    def cell_line(self, line: int) -> int:
        """The cell line of a source line (the ``%%action`` line shifts the cell by one)."""
        return line + self.line_offset

    def __repr__(self) -> str:
        return f"<Function {self.id!r} type={self.type} name={self.name!r}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return function_card(self)


def with_article(function_type: str) -> str:
    """``"an action"``, ``"a filter"``: a function type for a sentence."""
    return ("an " if function_type[:1] in "aeiou" else "a ") + function_type


def _model_class(instance: Any, attr: str) -> type[BaseModel] | None:
    cls = getattr(instance, attr, None)
    if inspect.isclass(cls) and issubclass(cls, BaseModel):
        return cls
    return None


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
