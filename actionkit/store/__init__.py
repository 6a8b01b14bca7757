"""The local store: SQLite rows that mirror Open WebUI's function and tool tables, with every
version kept.

Opening files safely, schema and migrations (``_schema``), the rows it hands out (``_records``), the
store itself with the host's valve semantics (``_store``), the valve values kept with the version
they belonged to (``_kept``), its tools in their own id namespace (``_tools``), Open WebUI's export
format (``_exchange``) and which recorded cases ran on which Open WebUI release (``_release_runs``).
"""

from __future__ import annotations

from ._exchange import write_atomically
from ._records import FunctionInfo, FunctionRecord, SaveResult, StoreEntry, ToolInfo, ToolRecord, Version
from ._release_runs import CaseRun, ReleaseRuns
from ._store import Store, default_store_path
from ._tools import ToolStore

__all__ = [
    "CaseRun",
    "FunctionInfo",
    "FunctionRecord",
    "ReleaseRuns",
    "SaveResult",
    "Store",
    "StoreEntry",
    "ToolInfo",
    "ToolRecord",
    "ToolStore",
    "Version",
    "default_store_path",
    "write_atomically",
]
