"""``runtime="open-webui"``: the same call, run through the real open-webui package.

The host is started once per process (``_host``); a function is installed with the host's own
handlers (``_calls``), its events captured in place of the browser (``_events``), the call made
through the host's entry points (``_invoke``), the scripted model registered as a pipe (``_llm``)
and as the image engine (``_images``), and the call's chat and files written to the host's database
(``_rows``). Tools are created with the host's tools handlers and called in whole chat turns through
its own chat pipeline (``_tools``, ``_tool_run``). Nothing here is imported
by ``import actionkit``, and nothing imports open_webui until a real-runtime call is made.
"""

from __future__ import annotations

from ._host import is_available
from ._runtime import (
    arun,
    describe_in_open_webui,
    describe_tool_in_open_webui,
    run,
    tool_turn_in_open_webui,
    tools_dict_in_open_webui,
)

__all__ = [
    "arun",
    "describe_in_open_webui",
    "describe_tool_in_open_webui",
    "is_available",
    "run",
    "tool_turn_in_open_webui",
    "tools_dict_in_open_webui",
]
