"""Source-text rules of Open WebUI's loader: frontmatter, legacy import rewriting and ids."""

from __future__ import annotations

import ast
import re
import unicodedata

from ..errors import FunctionLoadError
from ..host import CLASS_PRECEDENCE, TOOL_CLASS

_FRONTMATTER_LINE = re.compile(r"^\s*([a-z_]+):\s*(.*)\s*$", re.IGNORECASE)

# Open WebUI rewrites these prefixes with a plain substring replacement over the whole source.
_IMPORT_REWRITES = (
    ("from utils", "from open_webui.utils"),
    ("from apps", "from open_webui.apps"),
    ("from main", "from open_webui.main"),
    ("from config", "from open_webui.config"),
)


def extract_frontmatter(content: str) -> dict[str, str]:
    """Parse the manifest the way Open WebUI does.

    Only when the first line, stripped, is exactly three double quotes; then every following line up
    to the first one that contains three double quotes is matched as ``key: value``. Values are
    strings, later keys win, other lines are ignored.
    """
    lines = _leading_lines(content)
    if not lines or lines[0].strip() != '"""':
        return {}
    manifest: dict[str, str] = {}
    for line in lines[1:]:
        if '"""' in line:
            break
        match = _FRONTMATTER_LINE.match(line)
        if match:
            key, value = match.groups()
            manifest[key.strip()] = value.strip()
    return manifest


def _leading_lines(content: str) -> list[str]:
    """``content.splitlines()`` up to the first line after the first that holds three double
    quotes (all the frontmatter reads), without splitting the rest of a long source."""
    start = content.find('"""')
    end = content.find('"""', start + 3) if start >= 0 else -1
    while end >= 0:
        lines = content[: end + 3].splitlines()
        if len(lines) > 1:  # the closing quotes are on a later line than the first
            return lines
        end = content.find('"""', end + 3)
    return content.splitlines()


def rewrite_imports(content: str) -> str:
    """Apply Open WebUI's legacy import rewriting (naive substring replacement, as the host does)."""
    for old, new in _IMPORT_REWRITES:
        content = content.replace(old, new)
    return content


def id_from_title(title: str) -> str:
    """Derive a function id from a title like Open WebUI's editor: accents stripped, lower-cased,
    runs of non-word characters turned into ``_``, trimmed."""
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\W+", "_", ascii_only.lower()).strip("_")


def normalize_id(function_id: str) -> str:
    """Validate an id the way ``POST /api/v1/functions/create`` does and lower-case it."""
    if not isinstance(function_id, str) or not function_id.isidentifier():
        raise FunctionLoadError(
            f"invalid function id {function_id!r}: Open WebUI accepts only Python identifiers "
            "(letters, digits and underscores, not starting with a digit; no '.' or '-')",
            function_id=str(function_id),
            hint="pick an id such as 'my_action', or give the function a frontmatter 'title:'",
            kind="id",
        )
    return function_id.lower()


def parse_requirements(manifest: dict[str, str]) -> list[str]:
    """The ``requirements:`` frontmatter value split as the host does (comma-separated specs)."""
    raw = manifest.get("requirements", "")
    return [req.strip() for req in raw.split(",") if req.strip()]


def declared_type(content: str) -> str | None:
    """The type the host's class precedence picks among the source's top-level classes (``"tool"``
    for a ``Tools`` class alone), read without running anything (``None`` when none is declared or
    the source does not parse)."""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    found = next((kind for name, kind in CLASS_PRECEDENCE if name in names), None)
    return found or ("tool" if TOOL_CLASS in names else None)
