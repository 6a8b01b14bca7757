from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

from actionkit import Store
from tests._sources import COUNTER
from tests.client._fake_owui import TOKEN, FakeOpenWebUI, serve
from tests.magics._shell import run


@pytest.fixture
def shell(
    shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch, fake: FakeOpenWebUI
) -> Iterator[InteractiveShell]:
    """The magics shell, with $OPENWEBUI_TOKEN and $OPENWEBUI_URL naming the fake, served over HTTP."""
    monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
    with serve(fake) as url:
        monkeypatch.setenv("OPENWEBUI_URL", url)
        yield shell


def test_push_magic_sends_the_cell_function_with_its_valves(shell, fake, tmp_path):
    run(shell, "%%action counter --no-editors\n" + COUNTER)
    Store(tmp_path / "store.db").set_valves("counter", {"limit": 6})
    result, shown = run(shell, "%action_push counter")
    assert result.success
    assert "counter                  created  (valves, activated)" in shown
    assert fake.valves["counter"] == {"limit": 6}
    assert TOKEN not in shown


def test_diff_magic_shows_differences_with_secrets_masked(shell, fake):
    run(shell, "%%action counter --no-editors\n" + COUNTER)
    run(shell, "%action_push counter")
    fake.valves["counter"] = {"api_key": "sk-on-the-server"}
    result, shown = run(shell, "%action_diff counter")
    assert result.success
    assert "api_key: store (unset), server ••••••" in shown
    assert "sk-on-the-server" not in shown


def test_pull_magic_fills_the_notebook_store(shell, fake, tmp_path):
    fake.add("counter", COUNTER, valves={"limit": 2}, active=True)
    result, shown = run(shell, "%action_pull")
    assert result.success
    assert "counter                  new" in shown
    assert Store(tmp_path / "store.db").valves("counter") == {"limit": 2}


def test_push_magic_conflict_is_one_clear_message(shell, fake):
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 1"))
    run(shell, "%%action counter --no-editors\n" + COUNTER)
    result, _ = run(shell, "%action_push counter")
    assert not result.success
    assert type(result.error_in_exec).__name__ == "ConflictError"
    assert "never pulled" in str(result.error_in_exec)


def test_push_magic_without_ids_asks_for_them(shell):
    result, _ = run(shell, "%action_push")
    assert type(result.error_in_exec).__name__ == "UsageError"
    assert "--all" in str(result.error_in_exec)


def test_refused_token_is_forgotten_so_the_next_call_asks_again(shell, fake, monkeypatch):
    monkeypatch.setenv("OPENWEBUI_TOKEN", "wrong-token")
    result, shown = run(shell, "%action_pull")
    assert "refused the token" in str(result.error_in_exec)
    assert "wrong-token" not in shown + str(result.error_in_exec)
    monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
    result, _ = run(shell, "%action_pull")
    assert result.success


def test_pull_magic_force_replaces_local_edits(shell, fake, tmp_path):
    run(shell, "%%action counter --no-editors\n" + COUNTER)
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 9"))
    result, _ = run(shell, "%action_pull counter")
    assert type(result.error_in_exec).__name__ == "ConflictError"
    result, shown = run(shell, "%action_pull counter --force")
    assert result.success
    assert "counter                  updated  (content, is_active)" in shown
    assert "limit: int = 9" in Store(tmp_path / "store.db").get("counter").content


def test_magic_messages_speak_magic_words(shell, fake):
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 1"))
    run(shell, "%%action counter --no-editors\n" + COUNTER)
    result, _ = run(shell, "%action_push counter")
    hint = str(result.error_in_exec)
    assert "%action_diff counter" in hint and "%action_push counter --force" in hint
    assert "force=True" not in hint


def test_magic_timeout_option_is_passed_on(shell, fake, monkeypatch):
    monkeypatch.setenv("OPENWEBUI_URL", "http://127.0.0.1:9")
    result, _ = run(shell, "%action_pull --timeout 2")
    assert "cannot reach" in str(result.error_in_exec)
    assert "pass --url" in str(result.error_in_exec)
