"""``python -m actionkit``: the command line (see :mod:`actionkit.cli`)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
