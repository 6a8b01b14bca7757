"""IPython magics: ``%%action`` registers a cell as a function; line magics list, run and sync.

``_magics``: ``%%action``, ``%action_list``, ``%action_history``, ``%action_export``,
``%action_run``; ``_remote``: ``%action_push``, ``%action_pull``, ``%action_diff``. Both share one
set of open stores (``_stores``) and parse their options with ``_args``.
"""

from __future__ import annotations

from typing import Any

from ._magics import ActionMagics
from ._remote import RemoteMagics
from ._stores import OpenStores

__all__ = ["ActionMagics", "RemoteMagics", "register"]


def register(ipython: Any) -> None:
    """Register every actionkit magic on ``ipython``, sharing one set of open stores."""
    stores = OpenStores()
    ipython.register_magics(ActionMagics(ipython, stores))
    ipython.register_magics(RemoteMagics(ipython, stores))
