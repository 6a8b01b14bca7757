from __future__ import annotations

import json
from pathlib import Path

from actionkit import Store, load
from actionkit.cli import main
from tests._tool_sources import WEATHER


def test_run_calls_a_tool_file_method_with_the_models_arguments(tmp_path: Path, capsys) -> None:
    path = tmp_path / "weather.py"
    path.write_text(WEATHER, encoding="utf-8")
    assert main(["run", str(path), "--tool", "get_time", "--arguments", '{"zone": "CET"}']) == 0
    out = capsys.readouterr().out
    assert "tool weather.get_time: ok" in out and "tool message (completed): 12:00 CET" in out


def test_run_calls_a_stored_tool_and_reports_a_failed_call(tmp_path: Path, capsys) -> None:
    store_path = tmp_path / "store.db"
    Store(store_path).save(load(WEATHER, id="weather"))
    assert main(["run", "weather", "--tool", "get_tme", "--store", str(store_path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["tool_status"] == "failed" and data["tool_message"] == 'Error: Tool "get_tme" not found.'


def test_arguments_without_a_tool_method_is_a_usage_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "weather.py"
    path.write_text(WEATHER, encoding="utf-8")
    assert main(["run", str(path), "--arguments", "{}"]) == 2
    assert "--arguments goes with --tool" in capsys.readouterr().err
