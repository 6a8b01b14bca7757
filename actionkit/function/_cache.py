"""The one cache of loaded functions and tools: one instance per id while its content stays the
same, as the host keeps its ``FUNCTIONS`` and ``TOOLS`` caches, so instance state lives across calls.
Tools have their own ids, as in the host: a tool and a function may share one."""

from __future__ import annotations

from collections import OrderedDict

from ..errors import FunctionLoadError
from ._function import Function
from ._loader import LOAD_TIMEOUT, LoadKind, load, resolve_id
from ._source import extract_frontmatter

# (namespace, id) -> the loaded function or tool; the least recently used are forgotten past the limit.
_LOADED: OrderedDict[tuple[str, str], Function] = OrderedDict()
_LIMIT = 256


def _namespace(fn: Function) -> str:
    return "tool" if fn.type == "tool" else "function"


def loaded(
    content: str,
    id: str | None = None,
    name: str | None = None,
    *,
    line_offset: int = 0,
    timeout: float | None = LOAD_TIMEOUT,
    kind: LoadKind | None = None,
) -> Function:
    """The loaded function (or tool) for ``content`` under ``id`` (else the id its title gives): the
    cached one when its content (and ``name``, when given) is the same, else a fresh :func:`load`
    bounded by ``timeout``."""
    try:
        key = resolve_id(id, extract_frontmatter(content))
    except FunctionLoadError:
        # raises the same error, with the line
        return load(content, id=id, name=name, line_offset=line_offset, timeout=timeout, kind=kind)
    for namespace in (kind,) if kind is not None else ("function", "tool"):
        fn = _LOADED.get((namespace, key))
        if fn is not None and fn.content == content and (name is None or fn.name == name):
            _LOADED.move_to_end((namespace, key))
            return fn
    fn = load(content, id=id, name=name, line_offset=line_offset, timeout=timeout, kind=kind)
    remember(fn)
    return fn


def remember(fn: Function) -> None:
    """Make ``fn`` the cached instance of its id (a saved function is the one later calls use)."""
    key = (_namespace(fn), fn.id)
    _LOADED[key] = fn
    _LOADED.move_to_end(key)
    while len(_LOADED) > _LIMIT:
        _LOADED.popitem(last=False)
