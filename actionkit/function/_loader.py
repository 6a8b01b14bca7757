"""Load Open WebUI function and tool source the way open-webui 0.12.4 does.

``load`` parses the frontmatter, applies the host's legacy import rewriting, executes the source as
module ``function_<id>`` (registered in ``sys.modules`` and, for tracebacks and
``inspect.getsource``, in ``linecache``), picks the class by the host's precedence
``Pipe`` > ``Filter`` > ``Action`` > ``Event`` and instantiates it with no arguments. A source whose
only plugin class is ``Tools`` is loaded as ``load_tool_module_by_id`` loads it instead: module
``tool_<id>_<hex>`` (also registered as ``tool_<id>``, as the host's tools cache does), ``Tools()``
instantiated, and its specs built as the host's create handler builds them (a :class:`Tool`).
Running the module and the instantiation are bounded by ``timeout``
(:func:`actionkit._deadline.interrupt_after`): module code that never returns is a
:class:`FunctionLoadError`, not a hang.
"""

from __future__ import annotations
import __future__

import ast
import hashlib
import inspect
import linecache
import sys
import threading
import traceback
import types
from collections import OrderedDict
from pathlib import Path
from typing import Literal, NoReturn, cast

from pydantic import BaseModel

from .._deadline import Interrupted, interrupt_after
from ..errors import FunctionLoadError, StandinImportError
from ..host import CLASS_PRECEDENCE, TOOL_CLASS
from ..standins import install as install_standins
from ._function import Function, FunctionType, content_hash
from ._load_hints import class_hint, missing_module_message
from ._source import extract_frontmatter, id_from_title, normalize_id, rewrite_imports
from ._tool import Tool
from ._tool_specs import stored_specs

LoadKind = Literal["function", "tool"]

# Seconds the module code and the class's __init__ may run, unless a caller gives its own timeout.
LOAD_TIMEOUT = 60.0

# The host execs plugin source from ``open_webui/utils/plugin.py``, which starts with ``from __future__
# import annotations``: exec inherits it, so every annotation in a plugin is a string (PEP 563).
HOST_FUTURE_FLAGS = __future__.annotations.compiler_flag
# Compiled sources by (file name, text): loading the same source again (a re-run cell, a stored
# function) executes it afresh without compiling it again. The least recently used are forgotten.
_COMPILED: OrderedDict[tuple[str, str], types.CodeType] = OrderedDict()
_COMPILED_LIMIT = 64


_COMPILED_LOCK = threading.Lock()  # loads may run in several threads (a loop thread, a worker's)


def _compiled(code: str, filename: str) -> types.CodeType:
    """``compile(code, filename, "exec")`` as the loader runs it, once per source text."""
    key = (filename, code)
    with _COMPILED_LOCK:
        found = _COMPILED.get(key)
        if found is not None:
            _COMPILED.move_to_end(key)
            return found
    compiled: types.CodeType = compile(code, filename, "exec", flags=HOST_FUTURE_FLAGS, dont_inherit=True)
    with _COMPILED_LOCK:
        _COMPILED[key] = compiled
        while len(_COMPILED) > _COMPILED_LIMIT:
            _COMPILED.popitem(last=False)
    return compiled


def load(
    source: str,
    id: str | None = None,
    name: str | None = None,
    *,
    line_offset: int = 0,
    timeout: float | None = LOAD_TIMEOUT,
    kind: LoadKind | None = None,
) -> Function:
    """Load ``source`` like Open WebUI and return the :class:`Function` (a :class:`Tool` for a
    ``class Tools`` source).

    ``id`` must be a Python identifier (lower-cased, as the host does); without one it is derived
    from the frontmatter ``title``. ``line_offset`` is added to line numbers in error messages
    (``%%action`` passes 1 so that lines match the cell). ``timeout``: seconds the module code and
    the class's ``__init__`` may run (``None``: no limit). ``kind``: ``"function"`` loads as the
    host's Functions workspace does (``Pipe``/``Filter``/``Action``/``Event``), ``"tool"`` as its
    Tools workspace does (``Tools``); by default a source whose only plugin class is ``Tools`` is a
    tool and any other a function.
    """
    if not isinstance(source, str):
        raise FunctionLoadError(
            f"function source must be text (str), got {type(source).__name__}", kind="source"
        )
    manifest = extract_frontmatter(source)
    function_id = resolve_id(id, manifest)
    display_name = name or manifest.get("title") or function_id
    code = rewrite_imports(source)
    digest = content_hash(source)
    filename = f"<actionkit {function_id} {digest[:8]}>"
    as_tool = kind == "tool" or (kind is None and TOOL_CLASS in code and _defines_only_tools(code))
    if as_tool:
        # The host's uuid4 hex, made from the content so that a load is reproducible.
        module_name = (
            f"tool_{function_id}_{hashlib.sha256(code.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"
        )
        alias = f"tool_{function_id}"
    else:
        module_name = alias = f"function_{function_id}"

    previous = sys.modules.get(module_name)
    previous_alias = sys.modules.get(alias)

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
        _restore(alias, previous_alias)
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
        compiled = _compiled(code, filename)
    except SyntaxError as exc:
        fail(f"{type(exc).__name__}: {exc.msg}", None, kind="syntax", line=exc.lineno)
    except (ValueError, RecursionError, MemoryError) as exc:
        fail(f"the source cannot be compiled: {exc}", None, kind="syntax")

    module = types.ModuleType(module_name)
    module.__file__ = filename
    lines = code.splitlines(keepends=True)
    linecache.cache[filename] = (len(code), None, lines, filename)
    sys.modules[module_name] = module
    sys.modules[alias] = module
    if "open_webui" in code:
        install_standins()  # does nothing when the real package is importable
    try:
        with interrupt_after(timeout):
            exec(compiled, module.__dict__)
    except Interrupted as exc:
        fail(_timeout_message(timeout, "the module code"), exc, kind="timeout", hint=_TIMEOUT_HINT)
    except ModuleNotFoundError as exc:
        failing = _source_line(code, _error_line(exc, filename)) or ""
        message, hint = missing_module_message(exc, manifest, failing)
        fail(message, exc, kind="import", hint=hint)
    except BaseException as exc:  # SystemExit, KeyboardInterrupt and the like as well
        if isinstance(exc, StandinImportError):
            fail(str(exc), exc, kind="import")
        fail(_described(exc, "while running the module"), exc, kind="exec")

    try:
        found = None if as_tool else next(((n, t) for n, t in CLASS_PRECEDENCE if hasattr(module, n)), None)
        if found is None and (as_tool or kind is None) and hasattr(module, TOOL_CLASS):
            found = (TOOL_CLASS, "tool")
    except BaseException as exc:  # a module __getattr__ that raises
        plugin = "Tools" if as_tool else "Function"
        fail(f"{type(exc).__name__} while looking for the {plugin} class: {exc}", exc, kind="no_class")
    if found is None:
        if as_tool:
            fail(
                "No Tools class found in the module",
                None,
                kind="no_class",
                hint=class_hint(module, tool=True),
            )
        fail("No Function class found in the module", None, kind="no_class", hint=class_hint(module))
    class_name, function_type = found
    cls = getattr(module, class_name)

    if not callable(cls):
        fail(f"{class_name} is not a class", None, kind="no_class")
    try:
        with interrupt_after(timeout):
            instance = cls()
    except Interrupted as exc:
        fail(_timeout_message(timeout, f"{class_name}.__init__"), exc, kind="timeout", hint=_TIMEOUT_HINT)
    except BaseException as exc:
        fail(_described(exc, f"in {class_name}.__init__"), exc, kind="init")

    for valves_attr in ("Valves", "UserValves"):
        try:
            candidate = getattr(instance, valves_attr, None)
        except BaseException as exc:  # a property that raises
            fail(f"{type(exc).__name__} reading {class_name}.{valves_attr}: {exc}", exc, kind="valves")
        if candidate is not None and not (inspect.isclass(candidate) and issubclass(candidate, BaseModel)):
            fail(
                f"{class_name}.{valves_attr} must be a pydantic BaseModel subclass, "
                f"got {getattr(candidate, '__name__', type(candidate).__name__)}",
                None,
                kind="valves",
                hint=f"declare it as `class {valves_attr}(BaseModel): ...` "
                "with `from pydantic import BaseModel`",
            )

    if function_type == "tool":
        # The tools create handler rewrites the imports before it loads and stores the source, so
        # the stored manifest is read from the rewritten text.
        manifest = extract_frontmatter(code)
        try:
            specs = stored_specs(instance)
        except Exception as exc:
            fail(
                f"Open WebUI 0.12.4 cannot create this tool ([ERROR: Error creating tool]): building the "
                f"specs of its methods raised {type(exc).__name__}: {exc}",
                exc,
                kind="specs",
                hint="every public callable of Tools becomes a spec: give each a resolvable type for every "
                "parameter, and make helpers private (_name) or plain functions outside the class",
            )
        return Tool(
            id=function_id,
            name=display_name,
            type="tool",
            content=source,
            manifest=manifest,
            module=module,
            instance=instance,
            filename=filename,
            line_offset=line_offset,
            extra={"specs": specs},
        )
    return Function(
        id=function_id,
        name=display_name,
        type=cast(FunctionType, function_type),
        content=source,
        manifest=manifest,
        module=module,
        instance=instance,
        filename=filename,
        line_offset=line_offset,
    )


def is_tool_source(source: str) -> bool:
    """Whether :func:`load` takes ``source`` for a Tool by default (its only plugin class is
    ``Tools``), read without running it."""
    code = rewrite_imports(source)
    return TOOL_CLASS in code and _defines_only_tools(code)


def _defines_only_tools(code: str) -> bool:
    """Whether the module's top level binds ``Tools`` and none of the function class names."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return TOOL_CLASS in bound and not bound & {name for name, _ in CLASS_PRECEDENCE}


def load_file(
    path: str | Path,
    id: str | None = None,
    name: str | None = None,
    *,
    timeout: float | None = LOAD_TIMEOUT,
    kind: LoadKind | None = None,
) -> Function:
    """Load a function or tool from a ``.py`` file; the id defaults to the title, else the file name."""
    source, id = read_source(path, id)
    return load(source, id=id, name=name, timeout=timeout, kind=kind)


def read_source(path: str | Path, id: str | None = None) -> tuple[str, str | None]:
    """The text of a ``.py`` file and the id :func:`load_file` gives it, without running it."""
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
    return source, id


def resolve_id(given: str | None, manifest: dict[str, str]) -> str:
    """The function id: ``given`` checked as the host checks ids, else derived from the title."""
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


_TIMEOUT_HINT = (
    "module-level code and __init__ must return: start long work inside the handler instead, "
    "or pass a larger timeout"
)


def _timeout_message(timeout: float | None, what: str) -> str:
    return f"{what} did not return within timeout={timeout:g}s and was stopped"


def _described(exc: BaseException, where: str) -> str:
    """``Type <where>: message``, without the colon when the exception says nothing."""
    text = str(exc)
    return f"{type(exc).__name__} {where}: {text}" if text else f"{type(exc).__name__} {where}"


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
