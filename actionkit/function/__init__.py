"""From source text to a :class:`Function`, exactly as Open WebUI loads it.

Frontmatter, legacy import rewriting, the ``Pipe`` > ``Filter`` > ``Action`` > ``Event`` precedence,
instantiation with no arguments (:func:`load`); ``class Tools`` sources as :class:`Tool`, with their
stored and model-facing specs, the binding of their methods and the tools dict a chat builds
(:func:`tools_dict`); the ``Valves``/``UserValves`` semantics, applying valves before a call
(:func:`apply_valves`) and what survives a code change; the models a manifold lists; frontmatter
requirements; what to tell a user whose source does not load.
"""

from __future__ import annotations

from . import (
    _host_plugin as _host_plugin,  # serves open_webui.utils.plugin: the loader is the host's plugin module
)
from . import _host_tools as _host_tools  # serves open_webui.utils.tools: get_tools and its helpers
from ._cache import loaded, remember
from ._function import Function, FunctionType, content_hash, with_article
from ._host_libs import unshipped_imports
from ._loader import LOAD_TIMEOUT, LoadKind, is_tool_source, load, load_file, read_source, resolve_id
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
from ._tool import SelectedTool, Tool, named_specs, tool_row, tools_dict
from ._tool_bind import ToolCallable, bind_tool_function, rebind_tool_function
from ._tool_specs import function_model as tool_function_model
from ._tool_specs import parse_docstring as parse_tool_docstring
from ._traceback import function_traceback
from ._valves import apply_valves, pydantic_errors, stored_valves, surviving_valves

__all__ = [
    "LOAD_TIMEOUT",
    "Function",
    "FunctionType",
    "InstallResult",
    "LoadKind",
    "SelectedTool",
    "Tool",
    "ToolCallable",
    "apply_valves",
    "bind_tool_function",
    "check_requirements",
    "content_hash",
    "declared_type",
    "extract_frontmatter",
    "function_traceback",
    "id_from_title",
    "install_requirements",
    "is_tool_source",
    "load",
    "load_file",
    "loaded",
    "manifold_models",
    "missing_requirements",
    "named_specs",
    "normalize_id",
    "parse_requirements",
    "parse_tool_docstring",
    "pydantic_errors",
    "read_source",
    "rebind_tool_function",
    "remember",
    "requirements_of",
    "resolve_id",
    "rewrite_imports",
    "stored_valves",
    "surviving_valves",
    "tool_function_model",
    "tool_row",
    "tools_dict",
    "unshipped_imports",
    "with_article",
]
