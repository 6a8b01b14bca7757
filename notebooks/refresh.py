"""Re-run the shipped notebooks and save them with their outputs, ready for ``pytest --nbval``.

Usage: ``python notebooks/refresh.py [NOTEBOOK ...]`` (default: every ``*.ipynb`` here). Each notebook
runs in a fresh kernel from this folder with ``ACTIONKIT_RENDER=static`` and a temporary
``ACTIONKIT_STORE``, exactly as the test tooling runs it, so the saved outputs are the ones nbval
compares against. Widget state and execution timings are not saved (nbval needs neither).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from actionkit.cli.demo import run_notebook

HERE = Path(__file__).resolve().parent


def refresh(path: Path) -> None:
    import nbformat

    with tempfile.TemporaryDirectory(prefix="actionkit-nb-") as tmp:
        notebook = run_notebook(path, Path(tmp) / "store.db")
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(HERE.glob("*.ipynb"))
    for path in paths:
        print(f"running {path.name} …", flush=True)
        refresh(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
