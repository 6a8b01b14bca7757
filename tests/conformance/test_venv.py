"""Finding the open-webui environment (no install happens here: fake interpreters stand in)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ._venv import OpenWebUIEnvironmentError, installed_version, owui_python


def _fake_python(tmp_path: Path, version: str | None) -> Path:
    script = tmp_path / "python"
    if version is None:
        script.write_text("#!/bin/sh\necho 'No module named open_webui' >&2\nexit 1\n")
    else:
        script.write_text(f"#!/bin/sh\necho {version}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_installed_version_reads_what_the_interpreter_reports(tmp_path: Path) -> None:
    assert installed_version(_fake_python(tmp_path, "0.12.4")) == "0.12.4"
    assert installed_version(tmp_path / "missing" / "python") is None


def test_an_interpreter_given_by_environment_is_used_when_it_has_0_12_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = _fake_python(tmp_path, "0.12.4")
    monkeypatch.setenv("ACTIONKIT_OWUI_PYTHON", str(python))
    assert owui_python() == python


@pytest.mark.parametrize("version", ["0.11.0", None])
def test_an_interpreter_without_0_12_4_fails_loudly_instead_of_skipping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str | None
) -> None:
    monkeypatch.setenv("ACTIONKIT_OWUI_PYTHON", str(_fake_python(tmp_path, version)))
    with pytest.raises(OpenWebUIEnvironmentError, match="needs 0.12.4"):
        owui_python()
