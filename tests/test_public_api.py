from __future__ import annotations

import subprocess
import sys

import actionkit


def test_public_api_is_pinned() -> None:
    assert actionkit.__all__ == [
        "ActionkitError",
        "Chat",
        "Function",
        "FunctionLoadError",
        "MockModel",
        "Simulation",
        "SimulationError",
        "Store",
        "StoreError",
        "Tool",
        "ValvesError",
        "asimulate",
        "compat",
        "load",
        "load_file",
        "playground",
        "simulate",
        "valves_editor",
    ]
    assert actionkit.__all__ == sorted(actionkit.__all__)


def test_every_public_name_resolves() -> None:
    for name in actionkit.__all__:
        assert getattr(actionkit, name) is not None, name


def test_error_tree_has_one_root() -> None:
    for name in ("FunctionLoadError", "ValvesError", "SimulationError", "StoreError"):
        assert issubclass(getattr(actionkit, name), actionkit.ActionkitError)


def test_import_is_light() -> None:
    code = (
        "import sys, actionkit; "
        "print(sorted(m for m in ('ipywidgets', 'httpx', 'IPython', 'requests', 'sqlite3', 'open_webui', 'markdown_it') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
