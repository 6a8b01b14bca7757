from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from actionkit import Store
from tests._sources import COMMUNITY, VALVED_ACTION
from tests.magics._shell import run

MANIFOLD = """
from pydantic import BaseModel

class Pipe:
    class Valves(BaseModel):
        names: list[str] = ["a"]

    def __init__(self):
        self.valves = self.Valves()

    def pipes(self):
        return [{"id": name, "name": name.upper()} for name in self.valves.names]

    def pipe(self, body):
        return "ok"
"""


def test_action_cell_registers_function_and_shows_card(shell: InteractiveShell, tmp_path: Path) -> None:
    result, shown = run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    assert result.success
    assert "action counter — Counter v0.1" in shown
    assert "saved as version 1" in shown
    assert "limit = 3  (default)" in shown
    assert Store(tmp_path / "store.db").get("counter").type == "action"


def test_rerunning_an_edited_cell_saves_a_new_version_and_reports_dropped_valves(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    store = Store(tmp_path / "store.db")
    store.set_valves("counter", {"limit": 9, "priority": 1})
    result, shown = run(shell, "%%action --no-editors\n" + VALVED_ACTION.replace("le=10", "le=5"))
    assert result.success
    assert "saved as version 2" in shown
    assert "valve 'limit' dropped: Input should be less than or equal to 5 (got 9)" in shown
    assert "priority = 1" in shown
    assert store.valves("counter") == {"priority": 1}


def test_broken_cell_reports_the_cell_line_and_changes_nothing(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    broken = VALVED_ACTION.replace("return body", "return body +")
    result, shown = run(shell, "%%action --no-editors\n" + broken)
    assert not result.success
    err = result.error_in_exec
    assert type(err).__name__ == "FunctionLoadError"
    cell_lines = ("%%action --no-editors\n" + broken).splitlines()
    assert err.line is not None and cell_lines[err.line - 1].strip() == "return body +"
    assert f"FunctionLoadError (counter): line {err.line}: SyntaxError" in shown
    assert "Traceback" not in shown
    assert Store(tmp_path / "store.db").get("counter").content == VALVED_ACTION


def test_explicit_id_name_and_flags(shell: InteractiveShell, tmp_path: Path) -> None:
    result, _ = run(
        shell, "%%action my_counter --name 'My Counter' --inactive --global --no-editors\n" + VALVED_ACTION
    )
    assert result.success
    row = Store(tmp_path / "store.db").get("my_counter")
    assert (row.name, row.is_active, row.is_global) == ("My Counter", False, True)


def test_explicit_store_option(shell: InteractiveShell, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    result, _ = run(shell, f"%%action --store {other} --no-editors\n" + VALVED_ACTION)
    assert result.success and "counter" in Store(other)


@pytest.mark.parametrize(
    ("magic_line", "error", "says"),
    [
        pytest.param("%%action --bogus", "UsageError", "--bogus", id="bad-option-is-a-usage-error-naming-it"),
        pytest.param(
            "%%action bad-id", "FunctionLoadError", "Python identifiers", id="invalid-id-is-refused"
        ),
    ],
)
def test_cell_magic_line_it_cannot_use_is_refused_with_the_reason(
    shell: InteractiveShell, magic_line: str, error: str, says: str
) -> None:
    result, _ = run(shell, magic_line + "\nclass Action: pass\n")
    assert type(result.error_in_exec).__name__ == error
    assert says in str(result.error_in_exec)


def test_two_cells_cannot_silently_take_the_same_id(shell: InteractiveShell, tmp_path: Path) -> None:
    shell.parent_header = {"metadata": {"cellId": "cell-a"}}  # type: ignore[attr-defined]
    assert run(shell, "%%action shared --no-editors\nclass Action: pass\n")[0].success
    shell.parent_header = {"metadata": {"cellId": "cell-b"}}  # type: ignore[attr-defined]
    result, _ = run(shell, "%%action shared --no-editors\nclass Filter: pass\n")
    assert "another cell" in str(result.error_in_exec)
    assert Store(tmp_path / "store.db").get("shared").type == "action"
    result, _ = run(shell, "%%action shared --replace --no-editors\nclass Filter: pass\n")
    assert result.success
    assert [v.version for v in Store(tmp_path / "store.db").history("shared")] == [1, 2]


def test_same_cell_can_be_rerun(shell: InteractiveShell) -> None:
    shell.parent_header = {"metadata": {"cellId": "cell-a"}}  # type: ignore[attr-defined]
    assert run(shell, "%%action again --no-editors\nclass Action: pass\n")[0].success
    assert run(shell, "%%action again --no-editors\nclass Action:\n    x = 1\n")[0].success


def test_list_history_and_export_magics(shell: InteractiveShell, tmp_path: Path) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    run(shell, "%%action --no-editors\n" + VALVED_ACTION.replace("counts", "counts twice"))
    _, listing = run(shell, "%action_list")
    assert "counter" in listing and "action" in listing and "active" in listing
    _, history = run(shell, "%action_history counter")
    assert "counter: 2 version(s)" in history and "v2" in history
    target = tmp_path / "export.json"
    _, shown = run(shell, f"%action_export {target}")
    assert "exported 1 function(s)" in shown and target.exists()
    result = shell.run_cell("%action_export")
    assert result.result[0]["id"] == "counter"


def test_history_of_unknown_id_is_a_store_error(shell: InteractiveShell) -> None:
    result, _ = run(shell, "%action_history ghost")
    assert type(result.error_in_exec).__name__ == "StoreError"


def test_cell_shows_valve_editors_under_the_card_without_revealing_secrets(shell: InteractiveShell) -> None:
    with capture_output() as captured:
        assert shell.run_cell("%%action\n" + VALVED_ACTION).success
    outputs = [o.data for o in captured.outputs]
    assert "text/html" in outputs[0] and "saved as version 1" in outputs[0]["text/plain"]
    # The editors right under the card show the values; the card does not repeat them.
    assert "api_key" not in outputs[0]["text/plain"] and "api_key" not in outputs[0]["text/html"]
    editors = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o]
    assert editors and "Valves of counter" in editors[0]["text/plain"]
    assert "UserValves of counter" in editors[0]["text/plain"]


def test_the_card_follows_valves_saved_in_an_editor(shell: InteractiveShell, monkeypatch: Any) -> None:
    """Interactive kernels: after Save in an editor the card above shows the new values."""
    import IPython.display

    from actionkit.widgets import valves_editor

    monkeypatch.setenv("ACTIONKIT_RENDER", "")
    updates: list[Any] = []

    class Handle:
        def update(self, obj: Any) -> None:
            updates.append(obj)

    shown: list[Any] = []
    real = IPython.display.display

    def display(obj: Any, *args: Any, display_id: Any = None, **kwargs: Any) -> Any:
        shown.append(obj)
        return Handle() if display_id else real(obj, *args, **kwargs)

    monkeypatch.setattr("actionkit.magics._magics.display", display)
    assert shell.run_cell("%%action manifold --no-editors\n" + MANIFOLD).success
    card = shown[0]
    assert "models: manifold.a" in "\n".join(card.lines())
    magics = shell.magics_manager.registry["ActionMagics"]
    editor = valves_editor("manifold", store=magics.store())
    editor.set("names", ["a", "b"])
    editor.save()
    assert updates and "models: manifold.a, manifold.b" in "\n".join(updates[-1].lines())


def test_secret_valves_are_masked_on_the_card(shell: InteractiveShell, tmp_path: Path) -> None:
    run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    Store(tmp_path / "store.db").set_valves("counter", {"api_key": "sk-very-secret"})
    _, shown = run(shell, "%%action --no-editors\n" + VALVED_ACTION)
    assert "sk-very-secret" not in shown and 'api_key = "••••••"' in shown


def test_missing_requirements_stop_the_cell_with_the_install_command(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    cell = '%%action --no-editors\n"""\ntitle: Needy\nrequirements: pydantic, surely-not-installed-pkg==9.9\n"""\nclass Action: pass\n'
    result, _ = run(shell, cell)
    err = result.error_in_exec
    assert type(err).__name__ == "RequirementsError"
    assert "surely-not-installed-pkg==9.9" in str(err) and "--install" in str(err)
    assert "needy" not in Store(tmp_path / "store.db")


def test_satisfied_requirements_let_the_cell_register(shell: InteractiveShell) -> None:
    cell = '%%action --no-editors\n"""\ntitle: Fine\nrequirements: pydantic>=2\n"""\nclass Action: pass\n'
    assert run(shell, cell)[0].success


def test_community_function_importing_open_webui_registers_and_simulates(shell: InteractiveShell) -> None:
    source = (COMMUNITY / "summarize_action.py").read_text()
    result, shown = run(shell, "%%action --no-editors\n" + source)
    assert result.success, result.error_in_exec
    assert "action" in shown


def test_default_store_follows_the_project_folder_of_the_current_directory(
    shell: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTIONKIT_STORE")
    first, second = tmp_path / "first", tmp_path / "second"
    for project in (first, second):
        project.mkdir()
        (project / "pyproject.toml").write_text("")
    monkeypatch.chdir(first)
    assert run(shell, "%%action one --no-editors\nclass Action: pass\n")[0].success
    monkeypatch.chdir(second)
    assert run(shell, "%%action two --no-editors\nclass Action: pass\n")[0].success
    assert Store(first / ".actionkit" / "store.db").ids() == ["one"]
    assert Store(second / ".actionkit" / "store.db").ids() == ["two"]


EVENT_CELL = '''%%action --no-editors
"""
title: Audit Log
"""


class Event:
    def event(self, event: dict, __event_name__: str):
        if __event_name__ == "user.deleted":
            raise RuntimeError(f"user {event['subject']['id']} deleted")
'''


def test_an_event_function_cell_shows_its_card_and_action_run_takes_an_event(shell: InteractiveShell) -> None:
    result, shown = run(shell, EVENT_CELL)
    assert result.success, result.error_in_exec
    assert "event audit_log — Audit Log" in shown and "event(event, __event_name__)" in shown
    assert shell.run_line_magic("action_run", "audit_log --event chat.created").ok
    shell.user_ns["deleted"] = {"event": "user.deleted", "subject": {"id": "bob"}}
    sim = shell.run_line_magic("action_run", "audit_log --event deleted")
    assert sim.error == "user bob deleted"


def test_a_dropped_secret_valve_is_noted_without_its_value(shell: InteractiveShell, tmp_path: Path) -> None:
    keyed = VALVED_ACTION.replace(
        'api_key: str = Field("", json_schema_extra',
        'api_key: str = Field("", max_length=40, json_schema_extra',
    )
    run(shell, "%%action --no-editors\n" + keyed)
    Store(tmp_path / "store.db").set_valves("counter", {"api_key": "SUPERSECRET_abc123"})
    result, shown = run(shell, "%%action --no-editors\n" + keyed.replace("max_length=40", "min_length=30"))
    assert result.success
    assert "valve 'api_key' dropped: String should have at least 30 characters" in shown
    assert "SUPERSECRET" not in shown
