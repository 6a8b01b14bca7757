"""Tracebacks that point at the function's own source lines (numbered as in the cell)."""

from __future__ import annotations

import linecache
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._function import Function


def function_traceback(exc: BaseException, fn: Function) -> tuple[str, int | None]:
    """The traceback of ``exc`` restricted to frames in ``fn``'s source, and the cell line of the
    innermost one (None when the error did not pass through the function's code)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == fn.filename]
    label = f"<{fn.id}>"
    lines = ["Traceback (most recent call last):"]
    last_line = None
    for frame in frames:
        if frame.lineno is None:
            continue
        cell_line = fn.cell_line(frame.lineno)
        last_line = cell_line
        lines.append(f'  File "{label}", line {cell_line}, in {frame.name}')
        code = (frame.line or linecache.getline(fn.filename, frame.lineno)).strip()
        if code:
            lines.append(f"    {code}")
    if not frames:
        lines.append("  (raised outside the function's own code)")
    lines.extend(line.rstrip("\n") for line in traceback.format_exception_only(type(exc), exc))
    return "\n".join(lines), last_line
