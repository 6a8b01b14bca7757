"""Round trips with a running Open WebUI server: push functions with their valves, pull, diff.

    from actionkit.client import OpenWebUIClient

HTTP with the token kept secret (``_http``), what each server held at the last pull or push
(``_state``), conflict checks (``_conflicts``), store/server diffs (``_diff``), results
(``_results``) and the server's version (``_version``).
"""

from __future__ import annotations

from ..errors import ConflictError, ServerError
from ._client import OpenWebUIClient, ServerVersionWarning
from ._diff import FunctionDiff
from ._http import TOKEN_ENV, URL_ENV, Token, resolve_url
from ._results import PullResult, PushResult

__all__ = [
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
    "resolve_url",
]
