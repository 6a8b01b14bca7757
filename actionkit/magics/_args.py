"""Parsing magic options with shell-style quoting; bad options become an ActionkitError."""

from __future__ import annotations

import shlex
from typing import Any

from ..errors import UsageError


def parse_magic_line(magic: Any, line: str) -> Any:
    """Parse ``line`` with the magic's ``magic_arguments`` parser (quotes as in a shell)."""
    try:
        return magic.parser.parse_args(shlex.split(line))
    except BaseException as exc:  # argparse exits with SystemExit, IPython raises UsageError
        if isinstance(exc, KeyboardInterrupt):
            raise
        name = getattr(magic, "__name__", "magic")
        raise UsageError(f"%{name} {line!r}: {exc}".rstrip(), hint=f"run %{name}? for the options") from None
