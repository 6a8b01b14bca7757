from __future__ import annotations

import os
from pathlib import Path

import pytest

from actionkit.cli import demo

QUICKSTART = Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb"


def test_demo_runs_the_quickstart_and_reports_what_it_registered(capsys: pytest.CaptureFixture[str]) -> None:
    store_before = os.environ.get("ACTIONKIT_STORE")
    assert demo.main([str(QUICKSTART)]) == 0
    assert os.environ.get("ACTIONKIT_STORE") == store_before
    out = capsys.readouterr().out
    assert "[cell " in out and "%%action" in out
    assert "action word_counter" in out
    assert "registered 1 function(s): word_counter (action)" in out


def test_demo_explains_a_missing_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main([str(tmp_path / "nope.ipynb")]) == 2
    assert "no notebook at" in capsys.readouterr().err
