"""The separate, git-ignored environment holding the real open-webui 0.12.4 (``.venv-owui``).

Created on first use and reused afterwards: the CPU build of torch is installed first (otherwise pip
pulls a CUDA build of several GB), then ``open-webui==0.12.4``. ``ACTIONKIT_OWUI_PYTHON`` may point at
an interpreter that already has it. A failure raises with pip's output: the suite never skips.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-owui"
OPEN_WEBUI = "open-webui==0.12.4"
TORCH = "torch==2.13.0"
VERSION = OPEN_WEBUI.split("==")[1]


class OpenWebUIEnvironmentError(RuntimeError):
    """The open-webui environment could not be found or created."""


def venv_python(venv: Path = VENV) -> Path:
    return venv / "bin" / "python"


def installed_version(python: Path) -> str | None:
    """The open-webui version ``python`` can import, or None."""
    if not python.exists():
        return None
    probe = "import importlib.metadata as m; print(m.version('open-webui'))"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=120)
    return done.stdout.strip() if done.returncode == 0 else None


def owui_python() -> Path:
    """An interpreter with open-webui 0.12.4 importable, creating ``.venv-owui`` when needed."""
    given = os.environ.get("ACTIONKIT_OWUI_PYTHON")
    if given:
        python = Path(given)
        found = installed_version(python)
        if found != VERSION:
            raise OpenWebUIEnvironmentError(
                f"ACTIONKIT_OWUI_PYTHON={given} has open-webui {found or 'not installed'}, "
                f"the suite needs {VERSION}"
            )
        return python
    python = venv_python()
    if installed_version(python) == VERSION:
        return python
    lock_path = ROOT / ".venv-owui.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if installed_version(python) != VERSION:
                _create(python)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    found = installed_version(python)
    if found != VERSION:
        raise OpenWebUIEnvironmentError(
            f"{VENV} was set up but open-webui {found or 'is not importable'} (need {VERSION})"
        )
    return python


def _create(python: Path) -> None:
    if sys.version_info[:2] not in ((3, 11), (3, 12)):
        raise OpenWebUIEnvironmentError(
            f"open-webui {VERSION} needs Python 3.11 or 3.12 to create {VENV}; this is "
            f"{sys.version.split()[0]} (or set ACTIONKIT_OWUI_PYTHON)"
        )
    if not python.exists():
        _run([sys.executable, "-m", "venv", str(VENV)], "create the virtual environment")
    _run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], "upgrade pip")
    _run([str(python), "-m", "pip", "install", "-q", TORCH], f"install {TORCH} (CPU build)")
    _run([str(python), "-m", "pip", "install", "-q", OPEN_WEBUI], f"install {OPEN_WEBUI}")


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise OpenWebUIEnvironmentError(f"could not {what} in {VENV}:\n{tail}")
