"""``actionkit run/test --runtime``, ``actionkit compat`` and ``actionkit hosts`` on a fake release
whose worker runs the simulator (tests/realhost/fake_worker.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actionkit.cli import main
from actionkit.store import ReleaseRuns
from tests.realhost.conftest import fake_release, fresh_worker, release, releases_root

__all__ = ["fresh_worker", "release", "releases_root"]

ACTION = '''"""
title: Cli Probe
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "ran", "done": True}})
        return {"seen": len(body.get("messages", []))}
'''


@pytest.fixture
def action(tmp_path: Path) -> Path:
    path = tmp_path / "cli_probe.py"
    path.write_text(ACTION)
    return path


def test_run_with_a_release_runtime_prints_the_releases_transcript(
    release: str, action: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(action), "--runtime", f"open-webui=={release}"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["action cli_probe: ok", "  status: ran (done)"]


def test_compat_prints_one_row_per_runtime_and_exits_0_when_they_agree(
    release: str, action: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compat", str(action), "--runtime", f"actionkit,open-webui=={release}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "compat action cli_probe on 2 runtimes, compared with actionkit (follows 0.12.4)"
    assert lines[1].startswith("  actionkit (follows 0.12.4)") and lines[1].endswith("(reference)")
    assert lines[2].startswith("  open-webui 0.10.2") and lines[2].endswith("= same")
    assert lines[-1] == "the same on all 2 runtimes"


def test_compat_json_names_the_reference(
    release: str, action: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compat", str(action), "--runtime", "actionkit", "--runtime", f"open-webui=={release}"]
    assert main([*argv, "--reference", f"open-webui=={release}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"] == "open-webui==0.10.2" and data["same"] is True


def test_test_with_runtimes_replays_the_cases_on_each_and_remembers_where_they_ran(
    release: str,
    action: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store.db"
    monkeypatch.setenv("ACTIONKIT_STORE", str(store))
    cases = tmp_path / "cases"
    assert main(["run", str(action), "--save-case", str(cases)]) == 0
    capsys.readouterr()
    assert main(["test", str(cases), "--recorded", "--runtime", f"actionkit,open-webui=={release}"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "== actionkit"
    assert out[3] == "== open-webui==0.10.2"
    assert out[4].startswith("PASS ")
    assert out[5] == "1 cases: 1 passed, 0 failed"
    runs = ReleaseRuns(store)
    assert runs.run("cli_probe", "0.10.2")["passed"] == 1
    assert runs.run("cli_probe", "actionkit")["passed"] == 1
    assert runs.cases("cli_probe") == [str(next(cases.glob("*.case.json")).resolve())]


def test_test_refuses_to_update_cases_with_a_releases_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.case.json").write_text("{}")
    assert main(["test", str(tmp_path), "--update", "--runtime", "open-webui==0.10.2"]) == 2
    assert "--update rewrites cases with the simulator's outcome" in capsys.readouterr().err


def test_hosts_lists_the_tested_releases_and_which_are_installed(
    release: str, releases_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hosts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Open WebUI releases in {releases_root}:"
    assert lines[1:6] == [
        "  0.8.12   not installed",
        "  0.9.6    not installed",
        "  0.10.2   installed (torch 2.13.0+cpu)",
        "  0.11.4   not installed",
        "  0.12.4   not installed",
    ]
    assert main(["hosts", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["version"] for r in data["releases"] if r["installed"]] == ["0.10.2"]


def test_hosts_removes_a_release_and_says_when_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACTIONKIT_RELEASES", str(tmp_path))
    fake_release(tmp_path, "0.9.6")
    assert main(["hosts", "remove", "0.9"]) == 0
    assert main(["hosts", "remove", "0.9.6"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "removed open-webui 0.9.6",
        "open-webui 0.9.6 is not installed",
    ]


def test_hosts_install_of_an_installed_release_does_nothing(
    release: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hosts", "install", "0.10"]) == 0
    assert capsys.readouterr().out.strip() == "open-webui 0.10.2 is already installed"


@pytest.mark.parametrize(
    "argv",
    [["hosts", "install"], ["hosts", "install", "0.7.1"], ["lint", "x.py", "--target", "0.13"]],
)
def test_release_commands_refuse_what_names_no_supported_release(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.py").write_text("x = 1\n")
    assert main(argv) == 2


def test_lint_with_targets_reports_the_version_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "f.py"
    source.write_text(
        "from open_webui.models.users import Users\n\n\nclass Action:\n"
        "    async def action(self, body, __user__):\n"
        "        return (await Users.get_user_by_id(__user__['id'])).name\n"
    )
    assert main(["lint", str(source)]) == 0
    capsys.readouterr()
    assert main(["lint", str(source), "--target", "0.8,0.12"]) == 1
    assert "AK017 [awaited-sync-database]" in capsys.readouterr().out
