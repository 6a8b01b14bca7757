from __future__ import annotations

import asyncio
import base64
import hashlib
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import actionkit
import actionkit.standins as standins
from actionkit.errors import FunctionLoadError, RequirementsError
from actionkit.function._requirements import (
    check_requirements,
    install_requirements,
    is_satisfied,
    missing_requirements,
    pip_command,
    requirements_of,
)
from actionkit.store import Store
from tests._sources import COMMUNITY

NEEDS_MISSING = COMMUNITY / "needs_missing_package_action.py"
MARKDOWN_REPORT = COMMUNITY / "markdown_report_action.py"


@pytest.fixture(autouse=True)
def _standins() -> Iterator[None]:
    standins.install()
    yield
    standins.uninstall()


def build_wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel of ``actionkit-tiny-demo`` 0.1.0, made without network."""
    files = {
        "actionkit_tiny_demo/__init__.py": b"def answer(text):\n    return text.upper() + '!'\n",
        "actionkit_tiny_demo-0.1.0.dist-info/METADATA": (
            b"Metadata-Version: 2.1\nName: actionkit-tiny-demo\nVersion: 0.1.0\n"
        ),
        "actionkit_tiny_demo-0.1.0.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append("actionkit_tiny_demo-0.1.0.dist-info/RECORD,,")
    files["actionkit_tiny_demo-0.1.0.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / "actionkit_tiny_demo-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def test_requirements_are_split_on_commas_like_the_host():
    specs, _, _ = requirements_of({"requirements": " requests>=2, ,pytz ,markdown[extra]==3.10.2,"})
    assert specs == ["requests>=2", "pytz", "markdown[extra]==3.10.2"]
    assert requirements_of('"""\nrequirements: a, b\n"""\nx = 1\n')[0] == ["a", "b"]
    assert requirements_of(["x ", "", " y"])[0] == ["x", "y"]
    assert requirements_of(MARKDOWN_REPORT)[0] == ["markdown>=3.4", "pytz"]
    fn = actionkit.load_file(MARKDOWN_REPORT)
    assert requirements_of(fn)[:2] == (["markdown>=3.4", "pytz"], "markdown_report")


def test_requirements_of_a_stored_function_come_from_its_content(tmp_path):
    store = Store(str(tmp_path / "store.db"))
    store.save(actionkit.load_file(NEEDS_MISSING))
    assert requirements_of("needs_missing_package", store=store)[:2] == (
        ["actionkit-tiny-demo==0.1.0"],
        "needs_missing_package",
    )


def test_satisfaction_follows_installed_versions_and_markers():
    assert is_satisfied("pydantic>=2")
    assert not is_satisfied("pydantic<1")
    assert not is_satisfied("actionkit-tiny-demo")
    assert is_satisfied('actionkit-tiny-demo; python_version < "3"')
    assert not is_satisfied("git+https://example.invalid/pkg.git")
    assert not is_satisfied("not a valid spec ((")


def test_satisfied_requirements_are_skipped_without_running_pip():
    lines: list[str] = []
    result = install_requirements(actionkit.load_file(MARKDOWN_REPORT), progress=lines.append)
    assert (result.installed, result.skipped, result.command) == ([], ["markdown>=3.4", "pytz"], [])
    assert lines == ["Requirements already satisfied: markdown>=3.4, pytz"]
    assert repr(result) == "<InstallResult installed=[] already satisfied=['markdown>=3.4', 'pytz']>"
    assert result._repr_mimebundle_()["text/plain"] == "Requirements: already satisfied markdown>=3.4, pytz."


def test_missing_requirement_without_install_is_an_error_with_the_exact_command():
    fn = actionkit.load_file(NEEDS_MISSING)
    assert missing_requirements(fn) == ["actionkit-tiny-demo==0.1.0"]
    with pytest.raises(RequirementsError) as info:
        check_requirements(fn)
    error = info.value
    assert isinstance(error, FunctionLoadError) and error.kind == "requirements"
    assert error.missing == ["actionkit-tiny-demo==0.1.0"]
    assert "not installed: actionkit-tiny-demo==0.1.0" in str(error)
    assert "add --install to the %%action line" in str(error)
    assert "`actionkit install needs_missing_package`" in str(error)
    assert f"{sys.executable} -m pip install actionkit-tiny-demo==0.1.0" in str(error)
    check_requirements(actionkit.load_file(MARKDOWN_REPORT))


def test_install_runs_the_host_pip_command_and_the_function_then_works(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels)
    target = tmp_path / "site"
    lines: list[str] = []
    fn = actionkit.load_file(NEEDS_MISSING)
    result = install_requirements(
        fn, progress=lines.append, pip_args=["--no-index", "--find-links", str(wheels)], target=str(target)
    )
    assert result.installed == ["actionkit-tiny-demo==0.1.0"] and result.skipped == []
    assert result.command[:4] == [sys.executable, "-m", "pip", "install"]
    assert lines[0] == "Installing actionkit-tiny-demo==0.1.0 with pip ..."
    assert lines[-1] == "Installed actionkit-tiny-demo==0.1.0"
    assert any("Successfully installed actionkit-tiny-demo" in line for line in lines)
    assert missing_requirements(fn, path=[str(target)]) == []
    again = install_requirements(fn, progress=None, target=str(target))
    assert again.installed == [] and again.skipped == ["actionkit-tiny-demo==0.1.0"]
    sys.path.insert(0, str(target))
    try:
        assert asyncio.run(fn.instance.action({"messages": []})) == {"answer": "HELLO!"}
    finally:
        sys.path.remove(str(target))
        sys.modules.pop("actionkit_tiny_demo", None)


def test_a_requirement_pip_cannot_find_shows_pips_error_and_changes_nothing(tmp_path):
    store = Store(str(tmp_path / "store.db"))
    store.save(actionkit.load_file(NEEDS_MISSING))
    before = (store.get("needs_missing_package"), len(store.history("needs_missing_package")))
    empty = tmp_path / "empty"
    empty.mkdir()
    lines: list[str] = []
    with pytest.raises(RequirementsError) as info:
        install_requirements(
            "needs_missing_package",
            store=store,
            progress=lines.append,
            pip_args=["--no-index", "--find-links", str(empty)],
            target=str(tmp_path / "site"),
        )
    error = info.value
    assert "pip could not install actionkit-tiny-demo==0.1.0 (exit code 1)" in str(error)
    assert "pip found no release matching the spec" in str(error)
    assert "No matching distribution found for actionkit-tiny-demo==0.1.0" in str(error)
    assert error.function_id == "needs_missing_package"
    assert "No matching distribution found" in error.output
    assert any("No matching distribution found" in line for line in lines)
    assert (store.get("needs_missing_package"), len(store.history("needs_missing_package"))) == before


def test_no_network_for_pip_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_OPTIONS", "--isolated --retries 1 --timeout 1")
    monkeypatch.setenv("PIP_PACKAGE_INDEX_OPTIONS", "--index-url http://127.0.0.1:9/simple")
    command = pip_command(["x"])
    assert command[-2:] == ["--index-url", "http://127.0.0.1:9/simple"]
    assert command.index("--isolated") < command.index("x")
    with pytest.raises(RequirementsError, match="pip could not reach the package index"):
        install_requirements(["actionkit-tiny-demo"], progress=None, target=str(tmp_path / "site"))


def test_unreadable_targets_are_clear_errors(tmp_path):
    with pytest.raises(RequirementsError, match="cannot read .*missing.py"):
        install_requirements(str(tmp_path / "missing.py"))
    with pytest.raises(RequirementsError, match="cannot read requirements from int"):
        install_requirements(42)
