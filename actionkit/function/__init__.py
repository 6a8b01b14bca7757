"""From source text to a :class:`Function`, exactly as Open WebUI loads it.

Frontmatter, legacy import rewriting, the ``Pipe`` > ``Filter`` > ``Action`` > ``Event`` precedence,
instantiation with no arguments (:func:`load`); the ``Valves``/``UserValves`` semantics, applying
valves before a call (:func:`apply_valves`) and what survives a code change; the models a manifold
lists; frontmatter requirements; what to tell a user whose source does not load.
"""

from __future__ import annotations

from . import (
    _host_plugin as _host_plugin,  # serves open_webui.utils.plugin: the loader is the host's plugin module
)
from ._cache import loaded, remember
from ._function import Function, FunctionType, content_hash, with_article
from ._host_libs import unshipped_imports
from ._loader import LOAD_TIMEOUT, load, load_file, read_source, resolve_id
from ._manifold import manifold_models
from ._requirements import (
    InstallResult,
    check_requirements,
    install_requirements,
    missing_requirements,
    requirements_of,
)
from ._source import (
    declared_type,
    extract_frontmatter,
    id_from_title,
    normalize_id,
    parse_requirements,
    rewrite_imports,
)
from ._traceback import function_traceback
from ._valves import apply_valves, pydantic_errors, stored_valves, surviving_valves

__all__ = [
    "LOAD_TIMEOUT",
    "Function",
    "FunctionType",
    "InstallResult",
    "apply_valves",
    "check_requirements",
    "content_hash",
    "declared_type",
    "extract_frontmatter",
    "function_traceback",
    "id_from_title",
    "install_requirements",
    "load",
    "load_file",
    "loaded",
    "manifold_models",
    "missing_requirements",
    "normalize_id",
    "parse_requirements",
    "pydantic_errors",
    "read_source",
    "remember",
    "requirements_of",
    "resolve_id",
    "rewrite_imports",
    "stored_valves",
    "surviving_valves",
    "unshipped_imports",
    "with_article",
]
