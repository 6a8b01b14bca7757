from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from actionkit import Store, load
from actionkit.cli import main
from tests._sources import VALVED_ACTION

WORD_COUNT = '''"""
title: Word Count
"""
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        prefix: str = "Words:"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        text = body["messages"][-1]["content"]
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Count?", "message": text}})
        if ok is not True:
            return {"cancelled": True}
        await __event_emitter__({"type": "message", "data": {"content": f"{self.valves.prefix} {len(text.split())}"}})
        return {"words": len(text.split())}
'''

BODY = {"model": "m", "messages": [{"role": "user", "content": "one two three"}]}


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def function_file(tmp_path: Path) -> Path:
    path = tmp_path / "word_count.py"
    path.write_text(WORD_COUNT, encoding="utf-8")
    return path


@pytest.fixture
def body_file(tmp_path: Path) -> Path:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(BODY), encoding="utf-8")
    return path


def test_lint_prints_findings_with_rule_line_and_fix_and_exits_1(tmp_path: Path, capsys) -> None:
    path = tmp_path / "f.py"
    path.write_text("class Actions:\n    pass\n", encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:0: AK009 [misnamed-class]" in out
    assert "fix: rename the class to Action" in out
    assert out.rstrip().endswith("1 problem(s) in 1 file(s)")


def test_lint_of_a_clean_file_exits_0(function_file: Path, capsys) -> None:
    assert main(["lint", str(function_file)]) == 0
    assert "1 file(s) clean" in capsys.readouterr().out


def test_lint_json_lists_each_finding_with_its_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "f.py"
    path.write_text(
        '"""\ntitle: X\nrequirements: requests\n"""\nclass Actions:\n    pass\n', encoding="utf-8"
    )
    assert main(["lint", "--json", str(path)]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["rule"], f["line"], f["severity"]) for f in findings] == [
        (str(path), "AK010", 3, "warning"),
        (str(path), "AK009", 5, "error"),
    ]


def test_lint_fail_on_error_ignores_warnings_and_ignore_drops_rules(tmp_path: Path, capsys) -> None:
    path = tmp_path / "f.py"
    path.write_text('"""\ntitle: X\nrequirements: requests\n"""\nclass Action:\n    pass\n', encoding="utf-8")
    assert main(["lint", "--fail-on", "error", str(path)]) == 0
    assert main(["lint", str(path)]) == 1
    assert main(["lint", "--ignore", "ak010", str(path)]) == 0


def test_lint_of_a_missing_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["lint", str(tmp_path / "nope.py")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_unknown_option_exits_2(capsys) -> None:
    assert main(["lint", "--bogus", "x.py"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys) -> None:
    assert main([]) == 2
    assert "usage: actionkit" in capsys.readouterr().out


def test_list_export_and_import_round_trip_through_files(store_path: Path, tmp_path: Path, capsys) -> None:
    with Store(store_path) as store:
        store.save(load(VALVED_ACTION))
        store.set_valves("counter", {"limit": 5})
    assert main(["list", "--store", str(store_path)]) == 0
    assert capsys.readouterr().out.split() == ["counter", "action", "active", "Counter"]
    assert main(["list", "--store", str(store_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": "counter", "name": "Counter", "type": "action", "is_active": True, "is_global": False}
    ]
    export = tmp_path / "export.json"
    assert main(["export", str(export), "--valves", "--store", str(store_path)]) == 0
    assert json.loads(export.read_text())[0]["valves"] == {"limit": 5}
    other = tmp_path / "other.db"
    assert main(["import", str(export), "--store", str(other)]) == 0
    assert capsys.readouterr().out.strip().endswith("imported 1 function(s): counter")
    with Store(other) as imported:
        assert imported.get("counter").content == VALVED_ACTION


def test_export_without_a_file_prints_the_json(store_path: Path, capsys) -> None:
    with Store(store_path) as store:
        store.save(load(VALVED_ACTION))
    assert main(["export", "--store", str(store_path)]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in items] == ["counter"] and "valves" not in items[0]


def test_import_of_a_non_json_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    assert main(["import", str(bad), "--store", str(tmp_path / "s.db")]) == 2
    assert "is not JSON" in capsys.readouterr().err


def test_python_dash_m_actionkit_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "actionkit", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip().startswith("actionkit ")


def test_install_reports_requirements_that_are_already_satisfied(tmp_path: Path, capsys) -> None:
    path = tmp_path / "needs_pydantic.py"
    path.write_text(
        '"""\ntitle: Needs\nrequirements: pydantic\n"""\nclass Action:\n    pass\n', encoding="utf-8"
    )
    assert main(["install", str(path)]) == 0
    assert "already satisfied: pydantic" in capsys.readouterr().out


def test_install_of_an_unknown_stored_id_is_a_usage_error(store_path: Path, capsys) -> None:
    assert main(["install", "nothing_here", "--store", str(store_path)]) == 2
    assert "nothing_here" in capsys.readouterr().err


def test_run_prints_the_transcript_and_exits_0(function_file: Path, body_file: Path, capsys) -> None:
    code = main(
        ["run", str(function_file), "--body", str(body_file), "--reply", "true", "--valve", "prefix=N:"]
    )
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "action word_count: ok",
        '  call confirmation: {"title": "Count?", "message": "one two three"} -> true',
        '  message: "N: 3"',
        'content: "N: 3"',
        'result: {"words": 3}',
    ]


def test_run_json_prints_the_simulation_dict(function_file: Path, body_file: Path, capsys) -> None:
    assert main(["run", str(function_file), "--body", str(body_file), "--reply", "false", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"] == {"cancelled": True}
    assert data["event_calls"][0]["reply"] is False


def test_run_of_a_failing_function_exits_1(tmp_path: Path, body_file: Path, capsys) -> None:
    path = tmp_path / "boom.py"
    path.write_text(WORD_COUNT.replace('text = body["messages"][-1]["content"]', 'raise ValueError("boom")'))
    assert main(["run", str(path), "--body", str(body_file)]) == 1
    assert "error: Error: boom" in capsys.readouterr().out


AUDIT = '''"""
title: Audit Log
"""


class Event:
    async def event(self, event: dict, __event_name__: str):
        if __event_name__ == "user.deleted":
            raise RuntimeError(f"user {event['subject']['id']} deleted")
'''


def test_run_takes_an_event_by_name_or_as_a_payload_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "audit.py"
    path.write_text(AUDIT)
    assert main(["run", str(path), "--event", "chat.created"]) == 0
    assert capsys.readouterr().out.splitlines() == ["event audit_log on chat.created: ok"]
    payload = tmp_path / "event.json"
    payload.write_text(json.dumps({"event": "user.deleted", "subject": {"id": "bob"}}))
    assert main(["run", str(path), "--event", str(payload)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("event audit_log on user.deleted: error\nerror: user bob deleted\n")
    assert main(["run", str(path)]) == 2
    assert 'pass the event, e.g. event="chat.created"' in capsys.readouterr().err


def test_run_of_a_stored_id_uses_the_store_valves(store_path: Path, body_file: Path, capsys) -> None:
    with Store(store_path) as store:
        store.save(load(WORD_COUNT))
        store.set_valves("word_count", {"prefix": "Stored:"})
    assert (
        main(["run", "word_count", "--body", str(body_file), "--reply", "true", "--store", str(store_path)])
        == 0
    )
    assert 'content: "Stored: 3"' in capsys.readouterr().out


def test_run_rejects_malformed_valves_and_unknown_ids(function_file: Path, store_path: Path, capsys) -> None:
    assert main(["run", str(function_file), "--valve", "prefix"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err
    assert main(["run", "nobody", "--store", str(store_path)]) == 2
    assert "nobody" in capsys.readouterr().err


def test_run_save_case_then_test_passes_and_a_changed_store_version_fails(
    function_file: Path, body_file: Path, tmp_path: Path, store_path: Path, capsys
) -> None:
    cases = tmp_path / "cases"
    assert (
        main(
            [
                "run",
                str(function_file),
                "--body",
                str(body_file),
                "--reply",
                "true",
                "--save-case",
                str(cases),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["test", str(cases), "--recorded"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PASS word_count-") and out.rstrip().endswith("1 cases: 1 passed, 0 failed")
    with Store(store_path) as store:
        store.save(load(WORD_COUNT.replace('"Words:"', '"Count:"')))
    assert main(["test", str(cases), "--store", str(store_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL word_count-" in out and "the function changed since this case was recorded" in out
    assert '  content: "Words: 3" -> "Count: 3"' in out
    assert main(["test", str(cases), "--store", str(store_path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == "1 cases: 0 passed, 1 failed"
    assert data["results"][0]["status"] == "FAIL"


def test_test_without_cases_exits_5_and_bad_workers_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["test", str(tmp_path)]) == 5
    assert "no *.case.json" in capsys.readouterr().err
    (tmp_path / "x.case.json").write_text("{}")
    assert main(["test", str(tmp_path), "-n", "0"]) == 2


def test_test_update_accepts_the_new_behaviour(
    function_file: Path, body_file: Path, tmp_path: Path, store_path: Path, capsys
) -> None:
    cases = tmp_path / "cases"
    main(["run", str(function_file), "--body", str(body_file), "--reply", "true", "--save-case", str(cases)])
    with Store(store_path) as store:
        store.save(load(WORD_COUNT.replace('"Words:"', '"Count:"')))
    capsys.readouterr()
    assert main(["test", str(cases), "--store", str(store_path), "--update"]) == 0
    assert "UPDATED word_count-" in capsys.readouterr().out
    assert main(["test", str(cases), "--store", str(store_path)]) == 0


def test_run_refuses_an_invalid_secret_valve_without_quoting_it(tmp_path: Path, capsys) -> None:
    source = tmp_path / "keyed.py"
    source.write_text(
        "from pydantic import BaseModel, Field\n\n"
        "class Action:\n"
        "    class Valves(BaseModel):\n"
        '        api_key: str = Field("", min_length=30)\n\n'
        "    def __init__(self):\n"
        "        self.valves = self.Valves()\n\n"
        "    async def action(self, body):\n"
        "        return body\n"
    )
    assert main(["run", str(source), "--valve", "api_key=SUPERSECRET_abc123"]) == 2
    captured = capsys.readouterr()
    assert "api_key: String should have at least 30 characters" in captured.err
    assert "SUPERSECRET" not in captured.err + captured.out


def test_export_into_a_folder_leaves_nothing_behind(store_path: Path, tmp_path: Path, capsys) -> None:
    with Store(store_path) as store:
        store.save(load(VALVED_ACTION))
        store.set_valves("counter", {"api_key": "sk-export-0001"})
    folder = tmp_path / "somedir"
    folder.mkdir()
    assert main(["export", str(folder), "--valves", "--secrets", "--store", str(store_path)]) == 2
    assert "it is a folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("store.db")] == ["somedir"]
    assert list(folder.iterdir()) == []


@pytest.mark.reveals_secrets("secret.json")
def test_export_valves_leave_secrets_out_unless_asked(store_path: Path, tmp_path: Path) -> None:
    with Store(store_path) as store:
        store.save(load(VALVED_ACTION))
        store.set_valves("counter", {"limit": 5, "api_key": "sk-export-0001"})
    plain, secret = tmp_path / "plain.json", tmp_path / "secret.json"
    assert main(["export", str(plain), "--valves", "--store", str(store_path)]) == 0
    assert main(["export", str(secret), "--secrets", "--store", str(store_path)]) == 0
    assert json.loads(plain.read_text())[0]["valves"] == {"limit": 5}
    assert json.loads(secret.read_text())[0]["valves"] == {"limit": 5, "api_key": "sk-export-0001"}
