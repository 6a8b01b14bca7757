"""The secret sweep (``tests/_secret_sweep.py``) sees what the suite produces and fails on a leak.

A planted session proves it: each way a secret can come out (printed, logged, handed to ``capsys``,
displayed in IPython, in an error, a warning, an actionkit object, a file) fails its test, without
the report repeating the value. The last test of every session checks that the sweep looked at the
suite's outputs and found no secret; committed notebooks are searched the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests import _secret_sweep as sweep

ROOT = Path(__file__).resolve().parents[1]

PLANTED = """
import logging
import warnings

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import HTML, display
from IPython.utils.capture import capture_output

import actionkit
from actionkit.client import Token
from actionkit.errors import ValvesError
from actionkit.sim import Simulation
from tests._secret_sweep import secret

API_KEY = "sk-planted-41c7d9"


def test_printed():
    print("the key is", API_KEY)


def test_logged():
    logging.getLogger("planted").warning("key %s", API_KEY)


def test_read_through_capsys(capsys):
    print(API_KEY)
    assert capsys.readouterr().out.strip() == API_KEY


def test_in_a_caught_error():
    with pytest.raises(ValvesError):
        raise ValvesError(f"bad valves: api_key={API_KEY}")


def test_in_a_warning():
    warnings.warn(f"careful with {API_KEY}", UserWarning, stacklevel=1)


def test_in_a_simulation_transcript():
    Simulation(function_id="planted", result={"header": f"Bearer {API_KEY}"})


def test_in_a_file(tmp_path):
    (tmp_path / "leak.case.json").write_text('{"valves": {"api_key": "%s"}}' % API_KEY)


def test_displayed_in_a_notebook():
    shell = InteractiveShell.instance()
    with capture_output():
        display(HTML(f"<b>{API_KEY}</b>"))
    InteractiveShell.clear_instance()


def test_built_at_run_time():
    print(secret("sk-" + "r" * 12))


def test_a_token_shown():
    print(Token("tok-" + "z" * 20).reveal())


def test_masked_output_is_fine(tmp_path):
    print(actionkit.secrets.masked({"api_key": API_KEY}))
    (tmp_path / "plain.json").write_text("{}")


@pytest.mark.reveals_secrets("export.json")
def test_a_file_asked_for_with_secrets(tmp_path):
    (tmp_path / "export.json").write_text(API_KEY)
"""

LEAKING = {
    "test_printed": "Captured stdout call",
    "test_logged": "Captured log call",
    "test_read_through_capsys": "capsys/capfd output",
    "test_in_a_caught_error": "ValvesError str",
    "test_in_a_warning": "warning",
    "test_in_a_simulation_transcript": "Simulation transcript()",
    "test_in_a_file": "file leak.case.json",
    "test_displayed_in_a_notebook": "IPython displayed text/html",
    "test_built_at_run_time": "Captured stdout call",
    "test_a_token_shown": "Captured stdout call",
}


def test_a_planted_leak_fails_its_test_by_where_it_showed_without_repeating_it(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    hooks = [name for name in dir(sweep) if name.startswith("pytest_")]
    (tests / "conftest.py").write_text(f"from tests._secret_sweep import {', '.join(hooks)}  # noqa: F401\n")
    (tests / "_secret_sweep.py").write_text(Path(sweep.__file__).read_text(encoding="utf-8"))
    (tests / "test_planted.py").write_text(textwrap.dedent(PLANTED))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rf",
            "--show-capture=no",
            "--disable-warnings",
            "--rootdir",
            str(tmp_path),
            str(tests),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    failed = {
        line.split("::")[1].split(" ")[0]: line
        for line in output.splitlines()
        if line.startswith("FAILED tests/test_planted.py::")
    }
    assert sorted(failed) == sorted(LEAKING), output
    report = output.split("= FAILURES =")[1]
    for name, where in LEAKING.items():
        section = report.split(f"_ {name} _")[1].split("\n_")[0]
        assert f"{where}: a secret value" in section, (name, section)
    assert "2 passed" in output
    assert "sk-planted-41c7d9" not in output and "r" * 12 not in output and "z" * 20 not in output


def test_the_secrets_are_learned_from_the_tests_source() -> None:
    source = textwrap.dedent(
        """
        TOKEN = "tok-assigned-0001"
        store.set_valves("x", {"OPENAI_API_KEY": "sk-in-a-dict-01", "limit": "not-a-secret-1"})
        OpenWebUIClient(url, token="tok-keyword-0001")
        monkeypatch.setenv("OPENWEBUI_TOKEN", "tok-setenv-0001")
        editor.set("api_key", "positional-0001")
        main(["run", "f.py", "--valve", "apiKey=from-the-cli-01"])
        wrong = "sk-by-its-prefix"
        errors = {"api_key": "at least 10 characters"}
        """
    )
    assert set(sweep.secrets_in_source(source)) == set(
        [
            "tok-assigned-0001",
            "sk-in-a-dict-01",
            "tok-keyword-0001",
            "tok-setenv-0001",
            "positional-0001",
            "from-the-cli-01",
            "sk-by-its-prefix",
            "at least 10 characters",  # learned, then dropped: a sentence is no key
        ]
    )
    known = sweep.SWEEP.secrets
    assert {"sk-simulated-5e8d1b", "SUPERSECRET_abc123", "sk-test-0123456789abcdef"} <= set(known)
    assert "at least 10 characters" not in known


def test_committed_notebooks_show_none_of_their_secrets() -> None:
    searched = 0
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        secrets = {s for c in cells if c["cell_type"] == "code" for s in _secrets_of("".join(c["source"]))}
        outputs = json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)
        searched += len(secrets)
        assert not [s for s in secrets if s in outputs], notebook.name
    assert searched  # the notebooks do use secrets (valve_tuning types an API key)


def _secrets_of(cell: str) -> set[str]:
    """The secrets a notebook cell writes (magic lines read as comments)."""
    lines = [f"# {line}" if line.lstrip().startswith(("%", "!")) else line for line in cell.splitlines()]
    try:
        return {s for s in sweep.secrets_in_source("\n".join(lines)) if len(s) >= sweep.MIN_LENGTH}
    except SyntaxError:
        return set()


def test_the_whole_suite_showed_no_secret() -> None:
    """Runs last (the sweep moves it there): every earlier test's outputs were searched."""
    assert sweep.SWEEP.leaks == {}, sorted(sweep.SWEEP.leaks)
    assert len(sweep.SWEEP.secrets) > 20
    if sweep.SWEEP.tests > 100:  # a whole run, not a selection: most tests produced something
        assert sweep.SWEEP.seen > sweep.SWEEP.tests
