"""The command line never reports success for work it did not do: a function that ends or hangs the
process is a failure, ``--json`` prints exactly one JSON document (errors included) and every error
is one clear message, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import actionkit
from actionkit import Store
from actionkit.cli import main
from actionkit.function import content_hash
from actionkit.sim import save_case
from tests._files import damage_past_the_header

EXITS_IN_HANDLER = (
    '"""\ntitle: Quitter\n"""\nimport os\nclass Action:\n    def action(self, body):\n        os._exit(0)\n'
)
EXITS_ON_LOAD = '"""\ntitle: Quitter\n"""\nimport os\nos._exit(0)\nclass Action:\n    pass\n'
SPINS_ON_LOAD = '"""\ntitle: Spinner\n"""\nwhile True:\n    pass\nclass Action:\n    pass\n'
FINE = '"""\ntitle: Quitter\n"""\nclass Action:\n    def action(self, body):\n        return "fine"\n'


def actionkit_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m actionkit ...`` in a fresh process, as CI runs it."""
    env = {**os.environ, "ACTIONKIT_STORE": str(cwd / "store.db")}
    return subprocess.run(
        [sys.executable, "-m", "actionkit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def one_json_document(text: str) -> Any:
    return json.loads(text)  # raises unless stdout is exactly one JSON document


def _export(path: Path, content: str, function_id: str = "quitter") -> Path:
    path.write_text(json.dumps([{"id": function_id, "content": content}]), encoding="utf-8")
    return path


@pytest.mark.parametrize("source", [EXITS_IN_HANDLER, EXITS_ON_LOAD], ids=["in-handler", "at-module-level"])
def test_run_of_a_function_that_ends_the_process_fails_with_one_json_document(
    tmp_path: Path, source: str
) -> None:
    (tmp_path / "quitter.py").write_text(source, encoding="utf-8")
    done = actionkit_cli("run", "quitter.py", "--json", cwd=tmp_path)
    assert done.returncode == 1
    data = one_json_document(done.stdout)
    assert data["ok"] is False
    assert data["error"].startswith("process exited with code 0 ")


def test_import_of_a_function_that_ends_the_process_fails_and_imports_nothing(tmp_path: Path) -> None:
    _export(tmp_path / "export.json", EXITS_ON_LOAD)
    done = actionkit_cli("import", "export.json", "--json", cwd=tmp_path)
    assert done.returncode == 2
    data = one_json_document(done.stdout)
    assert data["ok"] is False and "exited with code 0 while loading item 0 ('quitter')" in data["error"]
    assert Store(tmp_path / "store.db").ids() == []


def test_replaying_a_case_whose_function_ends_the_process_fails(tmp_path: Path) -> None:
    fn = actionkit.load(FINE)
    case = save_case(actionkit.simulate(fn), tmp_path / "quitter.case.json", function=fn)
    data = json.loads(case.read_text(encoding="utf-8"))
    data["function"]["content"] = EXITS_IN_HANDLER
    data["function"]["content_hash"] = content_hash(EXITS_IN_HANDLER)
    case.write_text(json.dumps(data), encoding="utf-8")
    done = actionkit_cli("test", "quitter.case.json", "--recorded", "--json", cwd=tmp_path)
    assert done.returncode == 1
    (result,) = one_json_document(done.stdout)["results"]
    assert result["status"] == "FAIL"
    assert any("process exited with code 0 during the call" in line for line in result["diff"])


def test_run_with_a_timeout_stops_module_code_that_never_returns(tmp_path: Path) -> None:
    (tmp_path / "spinner.py").write_text(SPINS_ON_LOAD, encoding="utf-8")
    done = actionkit_cli("run", "spinner.py", "--timeout", "2", cwd=tmp_path)
    assert done.returncode == 2
    assert "the module code did not return within timeout=2s" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_in_process_with_a_timeout_stops_module_code_that_never_returns(tmp_path: Path) -> None:
    (tmp_path / "spinner.py").write_text(SPINS_ON_LOAD, encoding="utf-8")
    done = actionkit_cli("run", "spinner.py", "--timeout", "2", "--in-process", cwd=tmp_path)
    assert done.returncode == 2
    assert "the module code did not return within timeout=2s" in done.stderr


def test_import_stops_module_code_that_never_returns(tmp_path: Path) -> None:
    _export(tmp_path / "export.json", SPINS_ON_LOAD, "spinner")
    done = actionkit_cli("import", "export.json", "--timeout", "2", cwd=tmp_path)
    assert done.returncode == 2
    assert "item 0 ('spinner') cannot be imported" in done.stderr and "within timeout=2s" in done.stderr


@pytest.mark.parametrize("mode", ["--isolate", "--in-process"])
def test_test_with_workers_reports_a_case_whose_function_never_loads(tmp_path: Path, mode: str) -> None:
    fn = actionkit.load(FINE)
    for name in ("a", "b"):
        save_case(actionkit.simulate(fn), tmp_path / f"{name}.case.json", function=fn)
    data = json.loads((tmp_path / "b.case.json").read_text(encoding="utf-8"))
    data["function"]["content"] = SPINS_ON_LOAD
    data["function"]["content_hash"] = content_hash(SPINS_ON_LOAD)
    (tmp_path / "b.case.json").write_text(json.dumps(data), encoding="utf-8")
    done = actionkit_cli("test", ".", "--recorded", "-n", "2", "--timeout", "2", mode, "--json", cwd=tmp_path)
    assert done.returncode == 1
    statuses = {Path(r["case"]).name: r for r in one_json_document(done.stdout)["results"]}
    assert statuses["a.case.json"]["status"] == "PASS"
    assert statuses["b.case.json"]["status"] == "ERROR"
    assert "did not return within timeout=2s" in statuses["b.case.json"]["error"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "nobody"], "no stored function 'nobody'"),
        (["run", "x.py", "--bogus"], "unrecognized arguments: --bogus"),
        (["list", "--store", "typo/"], "there is no store at typo/"),
        (["test", "."], "no *.case.json under ."),
        (["import", "missing.json"], "cannot read export file missing.json"),
    ],
    ids=["unknown-id", "bad-option", "missing-store", "no-cases", "unreadable-file"],
)
def test_json_output_is_one_document_for_errors_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    fragment: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACTIONKIT_STORE", str(tmp_path / "store.db"))
    assert main([*args, "--json"]) != 0
    data = one_json_document(capsys.readouterr().out)
    assert data["ok"] is False and fragment in data["error"]


def test_listing_a_store_that_does_not_exist_creates_none(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["list", "--store", "typo/"]) == 2
    assert "there is no store at typo/" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_listing_a_damaged_store_is_one_clear_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "store.db"
    with Store(path) as store:
        for n in range(40):
            store.save(actionkit.load(f"class Action:\n    marker = {'x' * 300 + str(n)!r}\n", id=f"f{n}"))
    damage_past_the_header(path)
    assert main(["list", "--store", str(path)]) == 2
    err = capsys.readouterr().err
    assert "StoreError: the store" in err and "is damaged" in err and "Traceback" not in err


def test_a_valve_the_function_does_not_have_is_an_error_naming_it(tmp_path: Path, capsys) -> None:
    path = tmp_path / "f.py"
    path.write_text(
        '"""\ntitle: Valved\n"""\nfrom pydantic import BaseModel\nclass Action:\n'
        "    class Valves(BaseModel):\n        prefix: str = 'x'\n"
        "    def __init__(self):\n        self.valves = self.Valves()\n"
        "    def action(self, body):\n        return self.valves.prefix\n",
        encoding="utf-8",
    )
    assert main(["run", str(path), "--valve", "prefx=1"]) == 2
    err = capsys.readouterr().err
    assert "--valve prefx: valved.Valves has no field 'prefx' (did you mean 'prefix'?)" in err


def test_system_exit_in_an_action_is_reported_as_what_it_is(tmp_path: Path, capsys) -> None:
    path = tmp_path / "exiter.py"
    path.write_text(
        '"""\ntitle: Exiter\n"""\nclass Action:\n    def action(self, body):\n        raise SystemExit(5)\n'
    )
    assert main(["run", str(path)]) == 1
    assert "error: SystemExit(5) raised by action()" in capsys.readouterr().out


def test_a_case_that_cannot_be_saved_keeps_the_simulation_and_fails(tmp_path: Path, capsys) -> None:
    path = tmp_path / "fine.py"
    path.write_text(FINE, encoding="utf-8")
    assert main(["run", str(path), "--save-case", "/proc/nope/x.case.json"]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("action quitter: ok")
    assert "CaseError: cannot write the case file /proc/nope/x.case.json" in err and "Traceback" not in err
    assert main(["run", str(path), "--save-case", "/proc/nope/x.case.json", "--json"]) == 2
    data = one_json_document(capsys.readouterr().out)
    assert data["ok"] is False and data["simulation"]["result"] == "fine"
