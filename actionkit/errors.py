"""The one error tree of actionkit.

Every error a user can fix is an :class:`ActionkitError`. Each carries the context the user needs
(function id, field, line) and renders in a notebook as one clear message instead of a traceback.
"""

from __future__ import annotations

from typing import Any


class ActionkitError(Exception):
    """Base of every error actionkit raises on purpose."""

    def __init__(self, message: str, *, function_id: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.function_id = function_id
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text = f"{text}\nHint: {self.hint}"
        return text

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: one message, on stdout-visible error output."""
        title = type(self).__name__
        if self.function_id:
            title = f"{title} ({self.function_id})"
        return [f"{title}: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]


class FunctionLoadError(ActionkitError):
    """The source could not be loaded the way Open WebUI loads it.

    ``line`` is the 1-based line in the user's source (the cell) where the problem is, when known;
    ``source_line`` is the text of that line.
    """

    def __init__(
        self,
        message: str,
        *,
        function_id: str | None = None,
        line: int | None = None,
        source_line: str | None = None,
        hint: str | None = None,
        kind: str = "load",
    ):
        super().__init__(message, function_id=function_id, hint=hint)
        self.line = line
        self.source_line = source_line
        self.kind = kind

    def __str__(self) -> str:
        text = self.message
        if self.line is not None:
            text = f"line {self.line}: {text}"
            if self.source_line is not None:
                text = f"{text}\n    {self.source_line.rstrip()}"
        if self.hint:
            text = f"{text}\nHint: {self.hint}"
        return text


class ValvesError(ActionkitError):
    """Valve values that do not validate against the function's ``Valves``/``UserValves``.

    ``errors`` maps each offending field name to a readable reason.
    """

    def __init__(
        self,
        message: str,
        *,
        function_id: str | None = None,
        errors: dict[str, str] | None = None,
        hint: str | None = None,
    ):
        super().__init__(message, function_id=function_id, hint=hint)
        self.errors: dict[str, str] = dict(errors or {})

    @property
    def fields(self) -> list[str]:
        return sorted(self.errors)


class SimulationError(ActionkitError):
    """A simulation could not be set up (bad body, unknown hook or sub id, bad replies…)."""


class UsageError(ActionkitError):
    """Options of a magic or a command-line call that cannot be understood or used."""


class StoreError(ActionkitError):
    """The local store cannot be opened, read or written, or an import/export file is wrong."""


def pydantic_errors(exc: Any) -> dict[str, str]:
    """Turn a pydantic ``ValidationError`` into ``{field: reason}`` with readable reasons."""
    from ._jsonable import safe_repr

    result: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(part) for part in err.get("loc", ())) or "(model)"
        msg = str(err.get("msg", "invalid value"))
        if "input" in err and err.get("type") != "missing":
            msg = f"{msg} (got {safe_repr(err['input'], limit=60)})"
        result.setdefault(loc, msg)
    return result
