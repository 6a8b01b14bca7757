"""``push`` says when a pushed function's recorded cases have not run on the server's release."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import actionkit
from actionkit.client import OpenWebUIClient
from actionkit.store import CaseRun, ReleaseRuns, Store
from tests._sources import COUNTER
from tests.client._fake_owui import TOKEN, FakeOpenWebUI

URL = "http://owui.test:8080"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        opened.save(actionkit.load(COUNTER, id="counter"))
        yield opened


def _push(store: Store, version: str) -> list[str]:
    fake = FakeOpenWebUI(version=version)
    with (
        warnings.catch_warnings(),
        OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport(), prompt=False) as client,
    ):
        warnings.simplefilter("ignore")
        result = client.push("counter")
    assert result.to_dict()["untested"] == result.untested
    assert all(line in str(result) for line in result.untested)
    return result.untested


def _ran(
    store: Store, tmp_path: Path, runtime: str, *, passed: bool = True, content_hash: str | None = None
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    digest = content_hash or store.load("counter").content_hash
    ReleaseRuns(store.path).record(
        runtime, [CaseRun("counter", digest, str(cases / "counter-1.case.json"), passed)]
    )


def test_a_function_without_recorded_cases_gets_no_note(store: Store) -> None:
    assert _push(store, "0.10.2") == []


def test_cases_never_run_on_the_servers_release_are_named_with_the_command(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _ran(store, tmp_path, "actionkit")
    assert _push(store, "0.10.2") == [
        "the recorded cases of counter have not been run on the server's release 0.10.2: "
        "actionkit test cases --runtime open-webui==0.10.2"
    ]


def test_cases_that_passed_on_the_servers_release_with_this_source_need_no_note(
    store: Store, tmp_path: Path
) -> None:
    _ran(store, tmp_path, "0.10.2")
    assert _push(store, "0.10.2") == []


@pytest.mark.parametrize(
    ("passed", "content_hash", "state"),
    [
        (False, None, "failed (1 of 1) on"),
        (True, "an older source", "ran on an earlier version of the function on"),
    ],
)
def test_cases_that_failed_there_or_ran_another_source_are_named(
    store: Store, tmp_path: Path, passed: bool, content_hash: str | None, state: str
) -> None:
    _ran(store, tmp_path, "0.8.12", passed=passed, content_hash=content_hash)
    (note,) = _push(store, "0.8.12")
    assert note.startswith(f"the recorded cases of counter {state} the server's release 0.8.12: ")
    assert note.endswith(" --runtime open-webui==0.8.12")


def test_a_server_release_actionkit_cannot_run_is_said_once(store: Store, tmp_path: Path) -> None:
    _ran(store, tmp_path, "actionkit")
    assert _push(store, "0.6.5") == [
        "the recorded cases cannot run on Open WebUI 0.6.5: actionkit runs 0.8, 0.9, 0.10, 0.11, 0.12"
    ]


def test_the_record_keeps_every_case_file_and_the_last_run_per_runtime(tmp_path: Path) -> None:
    runs = ReleaseRuns(tmp_path / "store.db")
    runs.record(
        "0.10.2", [CaseRun("f", "h1", "/c/a.case.json", True), CaseRun("f", "h1", "/c/b.case.json", False)]
    )
    runs.record("0.10.2", [CaseRun("f", "h2", "/c/a.case.json", True)])
    assert runs.cases("f") == ["/c/a.case.json", "/c/b.case.json"]
    assert runs.run("f", "0.10.2") == {"content_hash": "h2", "passed": 1, "failed": 0}
    assert runs.run("f", "0.8.12") is None
    assert ReleaseRuns(":memory:").cases("f") == []
