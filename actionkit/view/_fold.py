"""Long lists and long texts in the views: the first and the last entries of a long list are shown
with one line counting those left out, and long text blocks are cut with the rest counted. The
objects shown keep everything; only what is drawn is folded, so a view stays small and quick to
render however much a run emitted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

FOLD_HEAD = 100
FOLD_TAIL = 20
TEXT_LIMIT = 100_000


def folded(items: Sequence[T]) -> tuple[Sequence[T], int, Sequence[T]]:
    """The first :data:`FOLD_HEAD` and the last :data:`FOLD_TAIL` of ``items`` and how many are
    left out between them (all of ``items`` and 0 when they fit)."""
    if len(items) <= FOLD_HEAD + FOLD_TAIL:
        return items, 0, ()
    return items[:FOLD_HEAD], len(items) - FOLD_HEAD - FOLD_TAIL, items[-FOLD_TAIL:]


def capped(text: str, where: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut at ``limit`` characters, saying how many more ``where`` holds."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters in {where})"
