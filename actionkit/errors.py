"""The one error tree of actionkit: every error it raises on purpose is defined here.

Every error a user can fix is an :class:`ActionkitError`. Each carries the context the user needs
(function id, field, line) and renders in a notebook as one clear message instead of a traceback::

    ActionkitError
    ├── FunctionLoadError         the source does not load the way Open WebUI loads it
    │   └── RequirementsError     frontmatter requirements missing, or pip failed
    ├── ValvesError               valve values that do not validate
    ├── SimulationError           a simulation that cannot be set up
    │   ├── MockModelError        the scripted model cannot answer
    │   └── ReleaseError          an Open WebUI release that cannot be installed or started
    ├── StoreError                the local store, or an import/export file
    ├── CaseError                 a recorded case file that cannot be written or read
    ├── ServerError               an Open WebUI server unreachable, refusing or answering oddly
    │   └── ConflictError         a push or pull would overwrite someone's work
    └── UsageError                magic or command-line options that cannot be used

    StandinImportError (an ImportError)  an open_webui module or name without a stand-in
"""

from __future__ import annotations

from collections.abc import Sequence


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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"  # the message as it is now, not as first given

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


class RequirementsError(FunctionLoadError):
    """Frontmatter requirements are missing, or pip could not install them.

    ``missing`` are the specs not satisfied; ``command`` the pip command (when one ran);
    ``output`` pip's output.
    """

    def __init__(
        self,
        message: str,
        *,
        function_id: str | None = None,
        hint: str | None = None,
        missing: Sequence[str] = (),
        command: Sequence[str] = (),
        output: str = "",
    ) -> None:
        super().__init__(message, function_id=function_id, hint=hint, kind="requirements")
        self.missing = list(missing)
        self.command = list(command)
        self.output = output


class MockModelError(SimulationError):
    """The mock model cannot answer (no reply left, a reply of the wrong kind, upstream failure)."""


class ReleaseError(SimulationError):
    """An Open WebUI release (``runtime="open-webui==<version>"``) that cannot be installed, found
    or started, or whose worker process stopped."""


class CaseError(ActionkitError):
    """A case file that cannot be written or read."""


class ServerError(ActionkitError):
    """The Open WebUI server cannot be reached, refused a request or answered something unexpected.

    ``status`` is the HTTP status (``None`` when there was no answer), ``detail`` the server's message.
    """

    def __init__(
        self,
        message: str,
        *,
        function_id: str | None = None,
        hint: str | None = None,
        status: int | None = None,
        detail: str | None = None,
    ):
        super().__init__(message, function_id=function_id, hint=hint)
        self.status = status
        self.detail = detail


class ConflictError(ServerError):
    """Pushing would overwrite a function that changed on the server (or was never pulled from it)."""


class StandinImportError(ImportError):
    """An ``open_webui`` module or name that exists in 0.12.4 but has no actionkit stand-in."""
