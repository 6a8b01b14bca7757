"""``%%action --isolate`` registers a cell without ever running it in the kernel; ``--timeout``
bounds the cell's module code either way; store errors are one clear message."""

from __future__ import annotations

import sys
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell

from actionkit import Store
from tests._files import read_only
from tests._sources import VALVED_ACTION
from tests.magics._shell import run


def test_an_isolated_cell_is_saved_and_shown_without_running_in_the_kernel(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    result, shown = run(shell, "%%action isolated_counter --isolate\n" + VALVED_ACTION)
    assert result.success
    assert "action isolated_counter — Counter v0.1" in shown and "saved as version 1" in shown
    assert "limit = 3  (default)" in shown
    assert "note: isolated: the function was loaded in a worker process, not in this one" in shown
    assert "function_isolated_counter" not in sys.modules
    assert Store(tmp_path / "store.db").get("isolated_counter").content == VALVED_ACTION


def test_an_isolated_cell_that_ends_its_process_is_an_error_and_saves_nothing(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    cell = '%%action --isolate\n"""\ntitle: Quitter\n"""\nimport os\nos._exit(0)\n'
    result, shown = run(shell, cell)
    assert not result.success
    assert (
        "StoreError: the isolated worker exited with code 0 while loading: the function was not saved"
        in shown
    )
    assert "quitter" not in Store(tmp_path / "store.db")
    assert run(shell, "1 + 1")[0].result == 2  # the kernel lives on


def test_module_code_that_never_returns_stops_at_the_cells_timeout(shell: InteractiveShell) -> None:
    spinner = '"""\ntitle: Spinner\n"""\nwhile True:\n    pass\n'
    for flags in ("--timeout 1", "--isolate --timeout 1"):
        result, shown = run(shell, f"%%action {flags}\n" + spinner)
        assert not result.success
        assert (
            "FunctionLoadError (spinner): line 5: the module code did not return within timeout=1s" in shown
        )


def test_action_run_isolated_simulates_the_stored_function_in_a_worker(shell: InteractiveShell) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    shell.user_ns["body"] = {"messages": [{"role": "user", "content": "hi"}]}
    result, _ = run(shell, "%action_run counter --body body --isolate --as sim")
    assert result.success and shell.user_ns["sim"].ok


def test_a_read_only_store_is_one_clear_error(shell: InteractiveShell, tmp_path: Path) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    Store(tmp_path / "store.db").close()
    shell.run_line_magic("reload_ext", "actionkit")  # the store is opened anew, now read-only
    with read_only(tmp_path / "store.db"):
        result, shown = run(shell, "%%action --no-editors\n" + VALVED_ACTION.replace("counts", "changed"))
    assert not result.success
    assert "StoreError: the store" in shown and "is read-only (the file is not writable)" in shown
    assert "Traceback" not in shown
