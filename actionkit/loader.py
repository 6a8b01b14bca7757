"""Load Open WebUI function source the way open-webui 0.12.4 does.

``load`` parses the frontmatter, applies the host's legacy import rewriting, executes the source as
module ``function_<id>`` (registered in ``sys.modules`` and, for tracebacks and
``inspect.getsource``, in ``linecache``), picks the class by the host's precedence
``Pipe`` > ``Filter`` > ``Action`` > ``Event`` and instantiates it with no arguments.
"""

from __future__ import annotations

import builtins
import hashlib
import inspect
import linecache
import sys
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn

from pydantic import BaseModel

from ._load_hints import class_hint, missing_module_message
from ._source import (
    extract_frontmatter,
    id_from_title,
    normalize_id,
    parse_requirements,
    rewrite_imports,
)
from .errors import FunctionLoadError, ValvesError, pydantic_errors

FunctionType = Literal["pipe", "filter", "action", "event"]

# Order matters: the first class found wins, as in the host.
CLASS_PRECEDENCE: tuple[tuple[str, FunctionType], ...] = (
    ("Pipe", "pipe"),
    ("Filter", "filter"),
    ("Action", "action"),
    ("Event", "event"),
)
# Filter hooks in the order the host runs them in one turn ("request" runs just before the model call).
FILTER_HOOKS = ("inlet", "request", "stream", "outlet")


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
        """Replace ``self.valves`` with ``Valves(**stored)`` as the host does before each call.

        Only when the instance has both a ``valves`` attribute and a ``Valves`` class.
        """
        valves_cls = self.Valves
        if valves_cls is None or not hasattr(self.instance, "valves"):
            return
        values = dict(stored or {})
        if strip_none:
            values = {k: v for k, v in values.items() if v is not None}
        try:
            self.instance.valves = valves_cls(**values)
        except Exception as exc:  # pydantic.ValidationError or an error in a validator
            errors = pydantic_errors(exc) if hasattr(exc, "errors") else {"(model)": str(exc)}
            raise ValvesError(
                f"stored valves do not validate against {self.id}.Valves: "
                + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                function_id=self.id,
                errors=errors,
            ) from exc

    def pipes(self, valves: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The models a pipe offers, as ``/api/models`` lists them: ``[{"id", "name"}]``.

        A manifold's ``pipes`` (list, function or coroutine function) is resolved after the admin
        valves are applied; errors give an empty list, as in the host. A single pipe offers one model
        named after the function.
        """
        from ._aio import run_sync

        if self.type != "pipe":
            return []
        if not self.is_manifold:
            return [{"id": self.id, "name": self.name}]
        self.apply_valves(valves, strip_none=True)
        attr = self.instance.pipes
        try:
            entries = attr() if callable(attr) else attr
            if inspect.isawaitable(entries):
                entries = run_sync(_await(entries))
        except Exception:
            return []
        prefix = getattr(self.instance, "name", "") if hasattr(self.instance, "name") else ""
        models = []
        for entry in entries or []:
            if isinstance(entry, dict) and "id" in entry and "name" in entry:
                models.append({"id": f"{self.id}.{entry['id']}", "name": f"{prefix}{entry['name']}"})
        return models

    def cell_line(self, line: int) -> int:
        """The cell line of a source line (the ``%%action`` line shifts the cell by one)."""
        return line + self.line_offset

    def __repr__(self) -> str:
        return f"<Function {self.id!r} type={self.type} name={self.name!r}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        from ._card import function_card

        return function_card(self)


def with_article(function_type: str) -> str:
    """``"an action"``, ``"a filter"``: a function type for a sentence."""
    return ("an " if function_type[:1] in "aeiou" else "a ") + function_type


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _model_class(instance: Any, attr: str) -> type[BaseModel] | None:
    cls = getattr(instance, attr, None)
    if inspect.isclass(cls) and issubclass(cls, BaseModel):
        return cls
    return None


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def load(
    source: str,
    id: str | None = None,
    name: str | None = None,
    *,
    line_offset: int = 0,
) -> Function:
    """Load ``source`` like Open WebUI and return the :class:`Function`.

    ``id`` must be a Python identifier (lower-cased, as the host does); without one it is derived
    from the frontmatter ``title``. ``line_offset`` is added to line numbers in error messages
    (``%%action`` passes 1 so that lines match the cell).
    """
    if not isinstance(source, str):
        raise FunctionLoadError(
            f"function source must be text (str), got {type(source).__name__}", kind="source"
        )
    manifest = extract_frontmatter(source)
    function_id = _resolve_id(id, manifest)
    display_name = name or manifest.get("title") or function_id
    code = rewrite_imports(source)
    digest = content_hash(source)
    filename = f"<actionkit {function_id} {digest[:8]}>"
    module_name = f"function_{function_id}"

    previous = sys.modules.get(module_name)

    def fail(
        message: str,
        exc: BaseException | None,
        *,
        kind: str,
        hint: str | None = None,
        line: int | None = None,
    ) -> NoReturn:
        """Undo the module registration and raise the load error for the user's source line."""
        _restore(module_name, previous)
        if line is None and exc is not None:
            line = _error_line(exc, filename)
        raise FunctionLoadError(
            message,
            function_id=function_id,
            line=None if line is None else line + line_offset,
            source_line=_source_line(source, line),
            hint=hint,
            kind=kind,
        ) from exc

    try:
        compiled = compile(code, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        fail(f"{type(exc).__name__}: {exc.msg}", None, kind="syntax", line=exc.lineno)
    except (ValueError, RecursionError, MemoryError) as exc:
        fail(f"the source cannot be compiled: {exc}", None, kind="syntax")

    module = types.ModuleType(module_name)
    module.__file__ = filename
    lines = code.splitlines(keepends=True)
    linecache.cache[filename] = (len(code), None, lines, filename)
    sys.modules[module_name] = module
    if "open_webui" in code:
        from .standins import install as install_standins

        install_standins()  # does nothing when the real package is importable
    try:
        exec(compiled, module.__dict__)
    except ModuleNotFoundError as exc:
        failing = _source_line(code, _error_line(exc, filename)) or ""
        message, hint = missing_module_message(exc, manifest, failing)
        fail(message, exc, kind="import", hint=hint)
    except (Exception, SystemExit) as exc:
        from .standins import StandinImportError

        if isinstance(exc, StandinImportError):
            fail(str(exc), exc, kind="import")
        fail(f"{type(exc).__name__} while running the module: {exc}", exc, kind="exec")

    found = next(((n, t) for n, t in CLASS_PRECEDENCE if hasattr(module, n)), None)
    if found is None:
        fail("No Function class found in the module", None, kind="no_class", hint=class_hint(module))
    class_name, function_type = found
    cls = getattr(module, class_name)

    if not callable(cls):
        fail(f"{class_name} is not a class", None, kind="no_class")
    try:
        instance = cls()
    except (Exception, SystemExit) as exc:
        fail(f"{type(exc).__name__} in {class_name}.__init__: {exc}", exc, kind="init")

    for valves_attr in ("Valves", "UserValves"):
        candidate = getattr(instance, valves_attr, None)
        if candidate is not None and not (inspect.isclass(candidate) and issubclass(candidate, BaseModel)):
            fail(
                f"{class_name}.{valves_attr} must be a pydantic BaseModel subclass, "
                f"got {getattr(candidate, '__name__', type(candidate).__name__)}",
                None,
                kind="valves",
                hint=f"declare it as `class {valves_attr}(BaseModel): ...` "
                "with `from pydantic import BaseModel`",
            )

    return Function(
        id=function_id,
        name=display_name,
        type=function_type,
        content=source,
        manifest=manifest,
        module=module,
        instance=instance,
        filename=filename,
        line_offset=line_offset,
    )


def load_file(path: str | Path, id: str | None = None, name: str | None = None) -> Function:
    """Load a function from a ``.py`` file; the id defaults to the title, else the file name."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FunctionLoadError(f"cannot read {path}: {exc.strerror or exc}", kind="source") from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FunctionLoadError(
            f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason})", kind="source"
        ) from None
    if id is None and not extract_frontmatter(source).get("title"):
        id = id_from_title(path.stem) or None
    return load(source, id=id, name=name)


def _resolve_id(given: str | None, manifest: dict[str, str]) -> str:
    if given is not None:
        return normalize_id(given)
    title = manifest.get("title", "")
    derived = id_from_title(title) if title else ""
    if not derived:
        raise FunctionLoadError(
            "the function has no id: give one, or add a frontmatter 'title:' line",
            hint='start the source with """ then title: My Action, or pass id="my_action"',
            kind="id",
        )
    return normalize_id(derived)


def _restore(module_name: str, previous: types.ModuleType | None) -> None:
    if previous is None:
        sys.modules.pop(module_name, None)
    else:
        sys.modules[module_name] = previous


def _error_line(exc: BaseException | None, filename: str) -> int | None:
    if exc is None:
        return None
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def _source_line(source: str, line: int | None) -> str | None:
    if line is None or line < 1:
        return None
    lines = source.splitlines()
    return lines[line - 1] if line <= len(lines) else None
