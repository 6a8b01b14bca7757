"""Installing Open WebUI releases into a cache folder of their own, with a fake uv standing in for the
real one (it records what it was asked and makes the files a real install would)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from actionkit.errors import ReleaseError
from actionkit.realhost import (
    install_release,
    installed_release,
    installed_releases,
    release_python,
    remove_release,
)
from actionkit.realhost._install import TORCH_CPU_INDEX, find_uv, torch_source

FAKE_PYTHON = """#!/bin/sh
here=$(dirname "$0")/..
case "$2" in
  *sys.version_info*) echo cp311 ;;
  *"'torch'"*) cat "$here/.torch" 2>/dev/null || exit 1 ;;
  *"'open-webui'"*) cat "$here/.open-webui" 2>/dev/null || exit 1 ;;
esac
"""

FAKE_UV = f"""#!{sys.executable}
import json, os, sys
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["FAKE_UV_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[0] == "venv":
    python = Path(args[-1]) / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text({FAKE_PYTHON!r})
    python.chmod(0o755)
    print("Using CPython 3.11.7 interpreter at: /usr/bin/python3")
    sys.exit(0)
folder = Path(args[args.index("--python") + 1]).parent.parent
wanted = args[-1]
if os.environ.get("FAKE_UV_FAIL") and os.environ["FAKE_UV_FAIL"] in wanted:
    print("  x No solution found when resolving dependencies:")
    print(f"  `-> Because there is no version of {{wanted}}, we can conclude it is unsatisfiable.")
    sys.exit(1)
print("Resolved 3 packages in 2ms")
if "torch" in wanted:
    (folder / ".torch").write_text("2.13.0+cpu")
if wanted.startswith("open-webui=="):
    (folder / ".open-webui").write_text(wanted.split("==")[1])
print("Installed 3 packages in 1ms")
"""


@pytest.fixture
def uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake uv; the file where it logs each command line it was given is returned."""
    script = tmp_path / "uv"
    script.write_text(FAKE_UV)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    (wheels / "torch-2.13.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl").write_bytes(b"")
    log = tmp_path / "uv.log"
    monkeypatch.setenv("ACTIONKIT_UV", str(script))
    monkeypatch.setenv("ACTIONKIT_RELEASES", str(tmp_path / "releases"))
    monkeypatch.setenv("FAKE_UV_LOG", str(log))
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    for name in ("UV_FIND_LINKS", "ACTIONKIT_TORCH", "ACTIONKIT_OWUI_PYTHON", "FAKE_UV_FAIL"):
        monkeypatch.delenv(name, raising=False)
    return log


def _commands(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_a_release_is_installed_torch_cpu_first_then_open_webui_held_at_that_torch(
    uv: Path, tmp_path: Path
) -> None:
    said: list[str] = []
    found = install_release("0.10.2", progress=said.append)
    venv, torch, owui = _commands(uv)
    folder = tmp_path / "releases" / "0.10.2"
    assert venv[0] == "venv" and venv[-1] == str(folder)
    assert torch[-1].endswith("torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl")
    assert owui[-1] == "open-webui==0.10.2"
    assert owui[owui.index("-c") + 1] == str(folder / "torch-constraint.txt")
    assert (folder / "torch-constraint.txt").read_text() == "torch==2.13.0+cpu\n"
    assert (found.version, found.torch, found.python) == ("0.10.2", "2.13.0+cpu", folder / "bin" / "python")
    assert said[0].startswith("installing open-webui 0.10.2 into")
    assert "  2/3 torch (CPU build torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl)" in said
    assert "    Installed 3 packages in 1ms" in said
    assert said[-1].startswith("installed open-webui 0.10.2 in")


def test_an_installed_release_is_listed_and_used_without_installing_again(uv: Path) -> None:
    install_release("0.8.12", progress=lambda _: None)
    install_release("0.12.4", progress=lambda _: None)
    before = len(_commands(uv))
    assert release_python("0.8.12").name == "python"
    assert len(_commands(uv)) == before
    assert [r.version for r in installed_releases()] == ["0.8.12", "0.12.4"]


def test_a_failed_install_names_the_step_shows_uvs_words_and_is_not_taken_for_installed(
    uv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_UV_FAIL", "open-webui==0.10.9")
    with pytest.raises(ReleaseError) as caught:
        install_release("0.10.9", progress=lambda _: None)
    text = str(caught.value)
    assert (
        "could not install open-webui 0.10.9: step 3/3 open-webui 0.10.9 and its requirements failed" in text
    )
    assert "there is no version of open-webui==0.10.9" in text
    assert "install-0.10.9.log" in text
    assert installed_release("0.10.9") is None
    monkeypatch.delenv("FAKE_UV_FAIL")
    assert install_release("0.10.9", progress=lambda _: None).version == "0.10.9"


def test_a_failed_torch_install_says_how_to_get_torch_from_elsewhere(
    uv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_UV_FAIL", "torch")
    with pytest.raises(ReleaseError, match="set ACTIONKIT_TORCH to a torch CPU wheel file"):
        install_release("0.10.2", progress=lambda _: None)


def test_a_removed_release_is_gone_and_removing_it_again_says_so(uv: Path) -> None:
    install_release("0.10.2", progress=lambda _: None)
    assert remove_release("0.10.2") is True
    assert installed_release("0.10.2") is None
    assert remove_release("0.10.2") is False


@pytest.mark.parametrize(
    ("given", "args", "text"),
    [
        ("pypi", ["torch"], "the default build from PyPI, as ACTIONKIT_TORCH=pypi asks"),
        ("/w/torch-2.9.0+cpu.whl", ["/w/torch-2.9.0+cpu.whl"], "ACTIONKIT_TORCH=/w/torch-2.9.0+cpu.whl"),
    ],
)
def test_torch_comes_from_actionkit_torch_when_it_is_set(
    uv: Path, monkeypatch: pytest.MonkeyPatch, given: str, args: list[str], text: str
) -> None:
    monkeypatch.setenv("ACTIONKIT_TORCH", given)
    assert torch_source("cp311") == (args, text)


def test_torch_is_a_local_cpu_wheel_for_the_python_else_the_pytorch_cpu_index(
    uv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, _ = torch_source("cp312")
    assert args[0].endswith("torch-2.13.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl")
    monkeypatch.delenv("PIP_FIND_LINKS")
    assert torch_source("cp311") == (
        ["torch", "--index-url", TORCH_CPU_INDEX],
        f"CPU build from {TORCH_CPU_INDEX}",
    )


def test_an_interpreter_given_for_a_release_is_used_for_that_release_only(
    uv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = tmp_path / "given" / "bin" / "python"
    given.parent.mkdir(parents=True)
    given.write_text(FAKE_PYTHON)
    given.chmod(0o755)
    (tmp_path / "given" / ".open-webui").write_text("0.12.4")
    monkeypatch.setenv("ACTIONKIT_OWUI_PYTHON", str(given))
    assert release_python("0.12.4") == given
    with pytest.raises(ReleaseError, match="open-webui 0.8.12 is not installed") as caught:
        release_python("0.8.12", install=False)
    assert caught.value.hint == "actionkit hosts install 0.8.12"


def test_without_uv_the_error_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTIONKIT_UV", raising=False)
    monkeypatch.setitem(sys.modules, "uv", None)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ReleaseError) as caught:
        find_uv()
    assert caught.value.hint == "pip install 'actionkit[releases]' (or put uv on PATH)"
