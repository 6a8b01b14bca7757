"""The local store: SQLite rows that mirror Open WebUI's function and tool tables, with every
version kept.

Opening files safely, schema and migrations (``_schema``), the rows it hands out (``_records``), the
store itself with the host's valve semantics (``_store``), the valve values kept with the version
they belonged to (``_kept``), its tools in their own id namespace (``_tools``) and Open WebUI's
export format (``_exchange``).
"""

from __future__ import annotations

from ._exchange import write_atomically
from ._records import FunctionInfo, FunctionRecord, SaveResult, StoreEntry, ToolInfo, ToolRecord, Version
from ._store import Store, default_store_path
from ._tools import ToolStore

__all__ = [
    "FunctionInfo",
    "FunctionRecord",
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
