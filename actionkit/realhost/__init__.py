"""``runtime="open-webui"``: the same call, run through the real open-webui package.

The host is started once per process (``_host``); a function is installed with the host's own
handlers (``_calls``), its events captured in place of the browser (``_events``), the call made
through the host's entry points (``_invoke``), the scripted model registered as a pipe (``_llm``)
and as the image engine (``_images``), and the call's chat and files written to the host's database
(``_rows``); what differs between releases goes through ``_adapters``. Tools are created with the
host's tools handlers and called in whole chat turns through its own chat pipeline (``_tools``,
``_tool_run``). ``runtime="open-webui==<version>"`` runs the call in a worker process of that
release (``_bridge``, ``_worker``, ``_transfer``), installed on first use (``_install``). Nothing
here is imported by ``import actionkit``, and nothing imports open_webui until a real-runtime call
is made.
"""

from __future__ import annotations

from ._adapters import installed_version, is_available
from ._bridge import (
    arun_release,
    describe_release,
    prepare_release,
    prepare_releases,
    run_release,
    stop_workers,
)
from ._install import (
    InstalledRelease,
    install_release,
    installed_release,
    installed_releases,
    release_python,
    releases_dir,
    remove_release,
)
from ._runtime import (
    arun,
    describe_in_open_webui,
    describe_tool_in_open_webui,
    run,
    tool_turn_in_open_webui,
    tools_dict_in_open_webui,
)

__all__ = [
    "InstalledRelease",
    "arun",
    "arun_release",
    "describe_in_open_webui",
    "describe_release",
    "describe_tool_in_open_webui",
    "install_release",
    "installed_release",
    "installed_releases",
    "installed_version",
    "is_available",
    "prepare_release",
    "prepare_releases",
    "release_python",
    "releases_dir",
    "remove_release",
    "run",
    "run_release",
    "stop_workers",
    "tool_turn_in_open_webui",
    "tools_dict_in_open_webui",
]
