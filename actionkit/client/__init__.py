"""Round trips with a running Open WebUI server: push functions and tools with their valves, pull, diff.

    from actionkit.client import OpenWebUIClient

HTTP with the token kept secret (``_http``), all-or-nothing writes (``_push``) with valves checked
against the server's schema (``_spec``), what each server held at the last pull or push
(``_state``), conflict checks (``_conflicts``), store/server diffs (``_diff``), results
(``_results``), the server's version (``_version``), each surface's words for what to do
(``_words``) and the server's tools (``_tools``, ``client.tools``).
"""

from __future__ import annotations

from ..errors import ConflictError, ServerError
from ._client import OpenWebUIClient, ServerVersionWarning
from ._diff import FunctionDiff
from ._http import Token, resolve_url, server_key
from ._results import PullResult, PushResult
from ._tools import ToolsClient
from ._words import CLI, MAGIC, PYTHON, TOKEN_ENV, URL_ENV, Words

__all__ = [
    "CLI",
    "MAGIC",
    "PYTHON",
    "TOKEN_ENV",
    "URL_ENV",
    "ConflictError",
    "FunctionDiff",
    "OpenWebUIClient",
    "PullResult",
    "PushResult",
    "ServerError",
    "ServerVersionWarning",
    "Token",
    "ToolsClient",
    "Words",
    "resolve_url",
    "server_key",
]
