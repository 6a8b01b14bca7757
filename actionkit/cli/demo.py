"""``make demo``: run a notebook headless and print what it registered and simulated.

Usage: ``python -m actionkit.cli.demo [NOTEBOOK]`` (default ``notebooks/quickstart.ipynb``). The notebook runs
in a fresh kernel with a temporary store and static rendering, so the project's own store is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..store import Store


def run_notebook(path: Path, store: Path, timeout: int = 300) -> Any:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # IPC transport: local only, and no "running over TCP without encryption" warning.
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(store.parent / "kernel"))
    client = NotebookClient(
        notebook, timeout=timeout, km=manager, resources={"metadata": {"path": str(path.parent)}}
    )

    try:
        client.execute(env={**os.environ, "ACTIONKIT_STORE": str(store), "ACTIONKIT_RENDER": "static"})
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    return notebook


def transcript(notebook: Any) -> list[str]:
    """The text/plain of every output, cell by cell, as a reader of the notebook would see it."""
    lines: list[str] = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append(output.get("text", ""))
            elif "data" in output and "text/plain" in output["data"]:
                texts.append(output["data"]["text/plain"])
            elif output.get("output_type") == "error":
                texts.append("\n".join(output.get("traceback", [])))
        if texts:
            first = cell.source.splitlines()[0] if cell.source else ""
            lines.append(f"[cell {number}] {first}")
            lines.extend("    " + line for text in texts for line in str(text).rstrip().splitlines())
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "notebooks/quickstart.ipynb")
    if not path.exists():
        print(f"no notebook at {path}; run this from the project folder", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="actionkit-demo-") as tmp:
        store_path = Path(tmp) / "store.db"
        print(f"running {path} headless (store: a temporary file)…", flush=True)
        notebook = run_notebook(path, store_path)
        print("\n".join(transcript(notebook)))

        with Store(store_path) as store:
            rows = store.list()
        print(f"\nregistered {len(rows)} function(s): " + ", ".join(f"{r.id} ({r.type})" for r in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
