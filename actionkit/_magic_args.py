"""Parsing magic options with shell-style quoting; bad options become an ActionkitError."""

from __future__ import annotations

import shlex
from typing import Any

from .errors import ActionkitError


class MagicUsageError(ActionkitError):
    """Options of a magic that cannot be understood."""


def parse_magic_line(magic: Any, line: str) -> Any:
    """Parse ``line`` with the magic's ``magic_arguments`` parser (quotes as in a shell)."""
    try:
        return magic.parser.parse_args(shlex.split(line))
    except BaseException as exc:  # argparse exits with SystemExit, IPython raises UsageError
        if isinstance(exc, KeyboardInterrupt):
            raise
        name = getattr(magic, "__name__", "magic")
        raise MagicUsageError(
            f"%{name} {line!r}: {exc}".rstrip(), hint=f"run %{name}? for the options"
        ) from None
