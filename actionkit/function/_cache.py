"""The one cache of loaded functions: one instance per function id while its content stays the
same, as the host keeps its ``FUNCTIONS`` cache, so instance state lives across calls."""

from __future__ import annotations

from collections import OrderedDict

from ..errors import FunctionLoadError
from ._function import Function
from ._loader import LOAD_TIMEOUT, load, resolve_id
from ._source import extract_frontmatter

# Function id -> the loaded function; the least recently used are forgotten past the limit.
_LOADED: OrderedDict[str, Function] = OrderedDict()
_LIMIT = 256


def loaded(
    content: str,
    id: str | None = None,
    name: str | None = None,
    *,
    line_offset: int = 0,
    timeout: float | None = LOAD_TIMEOUT,
) -> Function:
    """The loaded function for ``content`` under ``id`` (else the id its title gives): the cached
    one when its content (and ``name``, when given) is the same, else a fresh :func:`load` bounded
    by ``timeout``."""
    try:
        key = resolve_id(id, extract_frontmatter(content))
    except FunctionLoadError:
        # raises the same error, with the line
        return load(content, id=id, name=name, line_offset=line_offset, timeout=timeout)
    fn = _LOADED.get(key)
    if fn is not None and fn.content == content and (name is None or fn.name == name):
        _LOADED.move_to_end(key)
        return fn
    fn = load(content, id=id, name=name, line_offset=line_offset, timeout=timeout)
    remember(fn)
    return fn


def remember(fn: Function) -> None:
    """Make ``fn`` the cached instance of its id (a saved function is the one later calls use)."""
    _LOADED[fn.id] = fn
    _LOADED.move_to_end(fn.id)
    while len(_LOADED) > _LIMIT:
        _LOADED.popitem(last=False)
