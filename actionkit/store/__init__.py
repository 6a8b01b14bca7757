"""The local store: SQLite rows that mirror Open WebUI's function table, with every version kept.

Opening files safely, schema and migrations (``_schema``), the rows it hands out (``_records``), the
store itself with the host's valve semantics (``_store``), the valve values kept with the version
they belonged to (``_kept``) and Open WebUI's export format (``_exchange``).
"""

from __future__ import annotations

from ._exchange import write_atomically
from ._records import FunctionInfo, FunctionRecord, SaveResult, StoreEntry, Version
from ._store import Store, default_store_path

__all__ = [
    "FunctionInfo",
    "FunctionRecord",
    "SaveResult",
    "Store",
    "StoreEntry",
    "Version",
    "default_store_path",
    "write_atomically",
]
