from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import actionkit
from actionkit.cli import main
from actionkit.store import Store
from tests._sources import COUNTER, ECHO
from tests.client._fake_owui import TOKEN, FakeOpenWebUI, serve


@pytest.fixture
def server(fake: FakeOpenWebUI, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serve(fake) as url:
        monkeypatch.setenv("OPENWEBUI_URL", url)
        monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
        yield url


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    path = str(tmp_path / "store.db")
    with Store(path) as store:
        store.save(actionkit.load(COUNTER, id="counter"))
        store.set_valves("counter", {"limit": 7})
    return path


def test_cli_push_creates_the_function_and_prints_what_it_did(server, fake, store_path, capsys):
    assert main(["push", "counter", "--store", store_path]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"pushed 1 function(s), {server} (Open WebUI 0.12.4)",
        "  counter                  created  (valves, activated)",
    ]
    assert fake.valves["counter"] == {"limit": 7}
    assert TOKEN not in out


def test_cli_push_conflict_exits_3_and_force_overwrites(server, fake, store_path, capsys):
    fake.add("counter", ECHO)
    assert main(["push", "counter", "--store", store_path]) == 3
    assert "never pulled" in capsys.readouterr().err
    assert main(["push", "counter", "--store", store_path, "--force"]) == 0
    assert fake.rows["counter"]["content"] == COUNTER


def test_cli_push_without_ids_is_a_usage_error(server, store_path, capsys):
    assert main(["push", "--store", store_path]) == 2
    assert "push needs the ids" in capsys.readouterr().err


def test_cli_push_of_unknown_stored_id_is_a_usage_error(server, store_path, capsys):
    assert main(["push", "nope", "--store", store_path]) == 2
    assert "no function 'nope' in the store" in capsys.readouterr().err


def test_cli_pull_json_lists_each_function(server, fake, tmp_path, capsys):
    fake.add("echo", ECHO, active=True)
    assert main(["pull", "--store", str(tmp_path / "new.db"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["functions"] == [{"id": "echo", "status": "new", "changes": []}]
    assert data["version"] == "0.12.4" and data["version_matches"] is True


def test_cli_diff_exit_code_says_whether_they_differ(server, fake, store_path, capsys):
    assert main(["push", "counter", "--store", store_path]) == 0
    assert main(["diff", "counter", "--store", store_path]) == 0
    fake.valves["counter"] = {"limit": 1}
    capsys.readouterr()
    assert main(["diff", "counter", "--store", store_path]) == 1
    assert "limit: store 7, server 1" in capsys.readouterr().out


def test_cli_wrong_token_exits_1_without_printing_it(server, store_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENWEBUI_TOKEN", "not-the-token")
    assert main(["pull", "--store", store_path]) == 1
    captured = capsys.readouterr()
    assert "refused the token" in captured.err
    assert "not-the-token" not in captured.err + captured.out


def test_cli_other_version_notes_are_printed_not_warned(fake, store_path, monkeypatch, capsys):
    fake.version = "0.9.1"
    with serve(fake) as url:
        monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
        assert main(["pull", "--url", url, "--store", store_path]) == 0
    captured = capsys.readouterr()
    assert "actionkit follows 0.12.4, so these behaviours may differ" in captured.out
    assert "since 0.9.3" in captured.out and "since 0.9.0" not in captured.out
    assert "Warning" not in captured.err


def test_cli_pull_over_local_edits_exits_3_until_forced(server, fake, store_path, capsys):
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 4"))
    assert main(["pull", "counter", "--store", store_path]) == 3
    assert "was never pulled from or pushed to" in capsys.readouterr().err
    assert main(["pull", "counter", "--store", store_path, "--force"]) == 0
    with Store(store_path) as store:
        assert "limit: int = 4" in store.get("counter").content


def test_cli_messages_speak_cli_words(server, fake, store_path, capsys):
    fake.add("counter", ECHO)
    assert main(["push", "counter", "--store", store_path]) == 3
    err = capsys.readouterr().err
    assert "actionkit diff counter" in err and "actionkit pull counter" in err
    assert "actionkit push counter --force" in err
    assert "force=True" not in err and "diff('" not in err


def test_cli_diff_says_push_needs_the_force_option(server, fake, store_path, capsys):
    assert main(["push", "counter", "--store", store_path]) == 0
    fake.valves["counter"] = {"limit": 1}
    fake.edit("counter")
    with Store(store_path) as store:
        store.set_valves("counter", {"limit": 2})
    capsys.readouterr()
    assert main(["diff", "counter", "--store", store_path]) == 1
    assert "(a push needs --force)" in capsys.readouterr().out


def test_cli_unreachable_server_names_the_url_option(store_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
    assert main(["pull", "--url", "http://127.0.0.1:9", "--store", store_path]) == 1
    err = capsys.readouterr().err
    assert "cannot reach" in err and "pass --url" in err and "url=" not in err


def test_cli_without_a_server_names_the_url_option(store_path, monkeypatch, capsys):
    monkeypatch.delenv("OPENWEBUI_URL", raising=False)
    assert main(["pull", "--store", store_path]) != 0
    err = capsys.readouterr().err
    assert "no Open WebUI server given" in err and "pass --url http://localhost:8080" in err


def test_cli_timeout_names_the_timeout_option(fake, store_path, monkeypatch, capsys):
    release = threading.Event()
    original = fake.handle

    def stuck(request: httpx.Request) -> httpx.Response:
        release.wait(30)
        return original(request)

    monkeypatch.setattr(fake, "handle", stuck)
    monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
    with serve(fake) as url:
        try:
            assert main(["pull", "--url", url, "--timeout", "0.2", "--store", store_path]) == 1
        finally:
            release.set()
    err = capsys.readouterr().err
    assert "no answer within 0.2 s" in err and "raise --timeout" in err and "timeout=" not in err


def test_cli_token_with_a_line_break_is_refused_before_sending(server, fake, store_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENWEBUI_TOKEN", "sk-leaky-0123\nX-Injected: 1")
    assert main(["pull", "--store", store_path]) == 2
    captured = capsys.readouterr()
    assert "holds a line break" in captured.err
    assert "sk-leaky" not in captured.err + captured.out and "X-Injected" not in captured.err
    assert fake.requests == []


KEYED = '''"""
title: Keyed
"""
from pydantic import BaseModel


class Pipe:
    class Valves(BaseModel):
        OPENAI_API_KEY: str = ""
        model: str = "gpt"

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body):
        return "ok"
'''


def test_cli_diff_masks_key_named_valves_in_text_and_json(server, fake, tmp_path, capsys):
    path = str(tmp_path / "keyed.db")
    with Store(path) as store:
        store.save(actionkit.load(KEYED, id="keyed"))
        store.set_valves("keyed", {"OPENAI_API_KEY": "sk-store-4a7f21"})
    assert main(["push", "keyed", "--store", path]) == 0
    fake.valves["keyed"] = {"OPENAI_API_KEY": "sk-server-9c3e55"}
    capsys.readouterr()
    assert main(["diff", "keyed", "--store", path]) == 1
    assert main(["diff", "keyed", "--store", path, "--json"]) == 1
    out = capsys.readouterr().out
    assert "OPENAI_API_KEY: store ••••••, server ••••••" in out
    assert '"OPENAI_API_KEY": [\n      "••••••",\n      "••••••"\n    ]' in out
    assert "sk-store" not in out and "sk-server" not in out
