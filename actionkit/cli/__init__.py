"""The ``actionkit`` command line (also ``python -m actionkit``): parse, call, print."""

from __future__ import annotations

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
