"""Re-run the shipped notebooks and save them with their outputs, ready for ``pytest --nbval``.

Usage: ``python notebooks/refresh.py [NOTEBOOK ...]`` (default: every ``*.ipynb`` here except
``valve_tuning.ipynb``, whose author refreshes it). Each notebook runs in a fresh kernel from this
folder with ``ACTIONKIT_RENDER=static`` and a temporary ``ACTIONKIT_STORE``, exactly as the test tooling
runs it, so the saved outputs are the ones nbval compares against.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"valve_tuning.ipynb"}


def refresh(path: Path, timeout: int = 300) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="actionkit-nb-") as tmp:
        previous = {name: os.environ.get(name) for name in ("ACTIONKIT_STORE", "ACTIONKIT_RENDER")}
        os.environ["ACTIONKIT_STORE"] = str(Path(tmp) / "store.db")
        os.environ["ACTIONKIT_RENDER"] = "static"
        try:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            )
            client.execute()
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(p for p in HERE.glob("*.ipynb") if p.name not in SKIP)
    for path in paths:
        print(f"running {path.name} …", flush=True)
        refresh(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
