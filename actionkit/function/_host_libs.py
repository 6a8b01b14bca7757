"""The third-party libraries Open WebUI 0.12.4 brings along, which functions import freely.

A function written for Open WebUI can ``import requests`` or ``from fastapi import Request``
without listing them in ``requirements:``, because the host installs them. ``actionkit[host]``
installs the ones functions import most, at versions compatible with open-webui 0.12.4's pins;
:func:`missing_module_hint` turns a ``ModuleNotFoundError`` for one of them into the exact fix.
"""

from __future__ import annotations

import ast
import sys

# The ``host`` extra: the libraries functions import most, pinned compatibly with open-webui 0.12.4
# (its exact pins are the lower bounds).
HOST_EXTRA: tuple[str, ...] = (
    "aiohttp>=3.14.5,<4",
    "beautifulsoup4>=4.14.3,<5",
    "cryptography>=48.0.1,<49",
    "fastapi>=0.136.3,<0.137",
    "httpx>=0.28.1,<0.29",
    "loguru>=0.7.3,<0.8",
    "markdown>=3.10.2,<4",
    "pytz>=2026.2",
    "requests>=2.34.2,<3",
    "starlette>=1.10,<2",
)

# Exact versions open-webui 0.12.4 installs (its METADATA pins, starlette as resolved by its fastapi).
HOST_PINS: dict[str, str] = {
    "aiofiles": "25.1.0",
    "aiohttp": "3.14.5",
    "anthropic": "0.86.0",
    "beautifulsoup4": "4.14.3",
    "chardet": "7.4.3",
    "cryptography": "48.0.1",
    "fastapi": "0.136.3",
    "ftfy": "6.3.1",
    "httpx": "0.28.1",
    "langchain-core": "1.4.8",
    "loguru": "0.7.3",
    "lxml": "6.1.1",
    "markdown": "3.10.2",
    "openai": "2.29.0",
    "orjson": "3.11.9",
    "pandas": "3.0.3",
    "pillow": "13.0.0",
    "psutil": "7.2.2",
    "pydantic": "2.13.4",
    "pydub": "0.25.1",
    "pyjwt": "2.13.0",
    "pypdf": "6.21.2",
    "pytz": "2026.2",
    "redis": "8.0.1",
    "regex": "2026.5.9",
    "requests": "2.34.2",
    "sqlalchemy": "2.0.50",
    "starlette": "1.10.0",
    "tiktoken": "0.13.0",
    "validators": "0.35.0",
    "youtube-transcript-api": "1.2.4",
}

# Import name -> distribution, where they differ or where the import is a host library.
IMPORT_TO_DIST: dict[str, str] = {
    "PIL": "pillow",
    "bs4": "beautifulsoup4",
    "jwt": "pyjwt",
    "youtube_transcript_api": "youtube-transcript-api",
    "langchain_core": "langchain-core",
    **{
        name: name
        for name in HOST_PINS
        if "-" not in name and name not in ("beautifulsoup4", "pillow", "pyjwt")
    },
}

_EXTRA_DISTS = frozenset(spec.split(">")[0].split("<")[0].split("=")[0] for spec in HOST_EXTRA)


def distribution_for(module: str) -> str | None:
    """The distribution open-webui 0.12.4 installs that provides top-level module ``module``."""
    return IMPORT_TO_DIST.get(module.split(".")[0])


def extra_for(module: str) -> str | None:
    """``"host"`` when ``actionkit[host]`` installs the library providing ``module``."""
    dist = distribution_for(module)
    return "host" if dist is not None and dist in _EXTRA_DISTS else None


def missing_module_hint(module: str) -> str | None:
    """How to install ``module`` when Open WebUI would have had it, else ``None``."""
    dist = distribution_for(module)
    if dist is None:
        return None
    top = module.split(".")[0]
    pin = f"{dist}=={HOST_PINS[dist]}"
    if extra_for(module):
        return (
            f"Open WebUI 0.12.4 ships {dist} ({top!r}), so functions import it without listing it "
            f"in requirements; install the host libraries with `pip install 'actionkit[host]'` "
            f"(or just `pip install {pin}`)"
        )
    return (
        f"Open WebUI 0.12.4 ships {dist} ({top!r}), so functions import it without listing it "
        f"in requirements; install it with `pip install {pin}`"
    )


# Top-level modules every Open WebUI 0.12.4 server has besides its pinned libraries.
_ALWAYS_THERE = frozenset({"open_webui", "pydantic", "pydantic_core", "typing_extensions"})


def unshipped_imports(content: str) -> list[str]:
    """The modules ``content`` imports at load time (its module-level imports) that neither Python's
    standard library nor Open WebUI 0.12.4 with the libraries it pins provides, in source order: the
    likely culprits when a server cannot load a source that loads here."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return []
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if (
                top in sys.stdlib_module_names
                or top in _ALWAYS_THERE
                or distribution_for(top)
                or top in found
            ):
                continue
            found.append(top)
    return found
