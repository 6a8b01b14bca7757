from __future__ import annotations

from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell

from actionkit import Store
from tests._tool_sources import WEATHER
from tests.magics._shell import run


def test_action_cell_of_a_tools_source_registers_a_tool_and_shows_its_methods(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    result, shown = run(shell, "%%action --no-editors\n" + WEATHER)
    assert result.success
    assert "tool weather — Weather v1.0" in shown
    assert "get_weather(city: str, days: int?) — Get the weather for a city." in shown
    store = Store(tmp_path / "store.db")
    assert store.tools.ids() == ["weather"] and store.ids() == []


def test_tool_cell_requires_a_tools_class(shell: InteractiveShell, tmp_path: Path) -> None:
    assert run(shell, "%%tool --no-editors\n" + WEATHER)[0].success
    result, shown = run(shell, "%%tool other --no-editors\nclass Action:\n    pass\n")
    assert type(result.error_in_exec).__name__ == "FunctionLoadError"
    assert "No Tools class found in the module" in shown
    assert Store(tmp_path / "store.db").ids() == []


def test_flags_tools_do_not_have_are_refused(shell: InteractiveShell) -> None:
    result, _ = run(shell, "%%action --inactive --no-editors\n" + WEATHER)
    assert type(result.error_in_exec).__name__ == "UsageError"
    assert "no active or global flag" in str(result.error_in_exec)
    result, _ = run(shell, "%%tool --global --no-editors\n" + WEATHER)
    assert type(result.error_in_exec).__name__ == "UsageError"


def test_list_and_history_show_tools(shell: InteractiveShell) -> None:
    run(shell, "%%tool --no-editors\n" + WEATHER)
    run(shell, "%%tool --no-editors\n" + WEATHER.replace("12:00", "13:00"))
    _, listing = run(shell, "%action_list")
    assert "weather" in listing and "tool" in listing
    _, history = run(shell, "%action_history weather")
    assert "weather: 2 version(s)" in history


def test_action_run_calls_a_stored_tools_method(shell: InteractiveShell) -> None:
    run(shell, "%%tool --no-editors\n" + WEATHER)
    shell.user_ns["call"] = {"name": "get_time", "arguments": {"zone": "CET"}}
    result, shown = run(shell, "%action_run weather --tool-call call --as sim")
    assert result.success and "tool message (completed): 12:00 CET" in shown
    assert shell.user_ns["sim"].tool_status == "completed"
    result, shown = run(shell, "%action_run weather --tool-call get_time")
    assert "12:00 UTC" in shown


def test_an_isolated_tool_cell_is_saved_as_a_tool_without_running_in_the_kernel(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    result, shown = run(shell, "%%tool isolated_weather --isolate\n" + WEATHER)
    assert result.success
    assert "tool isolated_weather — Weather v1.0" in shown and "get_weather(city: str" in shown
    assert "loaded in a worker process" in shown
    assert Store(tmp_path / "store.db").tools.ids() == ["isolated_weather"]
    result, shown = run(shell, "%%tool not_a_tool --isolate\nclass Action:\n    pass\n")
    assert "No Tools class found in the module" in shown
    assert Store(tmp_path / "store.db").tools.ids() == ["isolated_weather"]
