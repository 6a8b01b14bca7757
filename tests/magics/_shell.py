"""Running a cell in the in-process IPython shell of the magics tests, as a notebook would."""

from __future__ import annotations

from typing import Any

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output


def run(shell: InteractiveShell, code: str) -> tuple[Any, str]:
    """The cell's result and what it showed: printed text and the plain text of displayed outputs."""
    with capture_output() as captured:
        result = shell.run_cell(code)
    shown = captured.stdout + "".join(str(o.data.get("text/plain", "")) for o in captured.outputs)
    return result, shown
