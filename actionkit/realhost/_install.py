"""Open WebUI releases installed on first use, each into a virtual environment of its own.

The releases live in ``$ACTIONKIT_RELEASES`` (default ``~/.cache/actionkit/open-webui``, under
``$XDG_CACHE_HOME`` when set): one folder per version and one uv package cache (``uv-cache``, unless
``$UV_CACHE_DIR`` says otherwise) shared by all of them, so that an extra release costs seconds and
little disk (uv hard-links the files from the cache). ``uv`` is ``$ACTIONKIT_UV``, else the one from
the ``releases`` extra (``pip install 'actionkit[releases]'``), else one on ``PATH``.

torch comes first, as a CPU build (open-webui pulls a CUDA build of several GB otherwise), from
``$ACTIONKIT_TORCH`` when set (a wheel file, a requirement, or ``pypi`` for whatever open-webui's
requirements choose), else the newest CPU wheel in the wheel folders pip and uv are pointed at
(``$PIP_FIND_LINKS``, ``$UV_FIND_LINKS``), else from PyTorch's CPU index
(https://download.pytorch.org/whl/cpu). open-webui is then installed with torch held at that build.
A release counts as installed only once it is complete (a marker file is written last); a failed
install says which step failed, with uv's last lines, and the next attempt starts that release
again. ``$ACTIONKIT_OWUI_PYTHON`` may name an interpreter that already has a release: it is used
for that release instead of the cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReleaseError
from ..releases import PACKAGE, parse_version

Progress = Callable[[str], None]

MARKER = "actionkit-release.json"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
_TORCH_HINT = (
    "; to install torch from elsewhere set ACTIONKIT_TORCH to a torch CPU wheel file or a "
    "requirement, or to pypi for the default build from PyPI (CUDA, several GB)"
)
_SHOWN = ("Using ", "Resolved ", "Prepared ", "Installed ", "Downloading ", "Downloaded ", "error", "warning")


def say(text: str) -> None:
    """The default progress: one line on stderr."""
    print(f"actionkit: {text}", file=sys.stderr, flush=True)


def releases_dir() -> Path:
    given = os.environ.get("ACTIONKIT_RELEASES")
    if given:
        return Path(given).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "actionkit" / "open-webui"


@dataclass(frozen=True)
class InstalledRelease:
    """A release in the cache folder."""

    version: str
    path: Path
    python: Path
    torch: str
    installed_at: str

    def to_dict(self) -> dict[str, str]:
        return {
            "version": self.version,
            "path": str(self.path),
            "python": str(self.python),
            "torch": self.torch,
            "installed_at": self.installed_at,
        }


def _python_of(folder: Path) -> Path:
    return folder / "bin" / "python"


def installed_release(version: str) -> InstalledRelease | None:
    folder = releases_dir() / version
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    python = _python_of(folder)
    if not python.exists():
        return None
    return InstalledRelease(
        version, folder, python, str(marker.get("torch") or "?"), str(marker.get("installed_at") or "?")
    )


def installed_releases() -> list[InstalledRelease]:
    """Every complete release in the cache folder, oldest version first."""
    root = releases_dir()
    if not root.is_dir():
        return []
    found = [installed_release(path.name) for path in root.iterdir() if parse_version(path.name)]
    return sorted((r for r in found if r is not None), key=lambda r: parse_version(r.version) or (0, 0, 0))


def release_python(version: str, *, progress: Progress = say, install: bool = True) -> Path:
    """The interpreter of release ``version``, installing the release first when needed."""
    given = os.environ.get("ACTIONKIT_OWUI_PYTHON")
    if given and _version_in(Path(given)) == version:
        return Path(given)
    found = installed_release(version)
    if found is not None:
        return found.python
    if not install:
        raise ReleaseError(
            f"open-webui {version} is not installed", hint=f"actionkit hosts install {version}"
        )
    return install_release(version, progress=progress).python


def _version_in(python: Path) -> str | None:
    code = "import importlib.metadata as m; print(m.version('open-webui'))"
    try:
        done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_uv() -> str:
    """``$ACTIONKIT_UV``, else the uv of the ``releases`` extra, else one on ``PATH``."""
    given = os.environ.get("ACTIONKIT_UV")
    if given:
        return given
    try:
        import uv

        return str(uv.find_uv_bin())
    except (ImportError, FileNotFoundError):
        pass
    found = shutil.which("uv")
    if found is None:
        raise ReleaseError(
            "installing an Open WebUI release needs uv, which is not installed",
            hint="pip install 'actionkit[releases]' (or put uv on PATH)",
        )
    return found


@contextlib.contextmanager
def _locked(root: Path, version: str) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / f".{version}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def install_release(version: str, *, progress: Progress = say) -> InstalledRelease:
    """Install open-webui ``version`` into its folder (again, when it is there but incomplete)."""
    root = releases_dir()
    with _locked(root, version):
        done = installed_release(version)
        if done is not None:
            return done
        return _Install(version, root, progress).run()


def remove_release(version: str) -> bool:
    """Delete release ``version`` from the cache folder (the shared package cache stays)."""
    root = releases_dir()
    folder = root / version
    if not folder.exists():
        return False
    with _locked(root, version):
        shutil.rmtree(folder)
    return True


class _Install:
    def __init__(self, version: str, root: Path, progress: Progress) -> None:
        self.version = version
        self.root = root
        self.folder = root / version
        self.python = _python_of(self.folder)
        self.progress = progress
        self.uv = find_uv()
        logs = root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log = logs / f"install-{version}.log"

    def run(self) -> InstalledRelease:
        started = time.monotonic()
        self.progress(f"installing open-webui {self.version} into {self.folder} (once per release) ...")
        if self.folder.exists():
            shutil.rmtree(self.folder)  # an install that did not finish
        self.log.write_text("", encoding="utf-8")
        self._uv(["venv", "--python", _base_python(), str(self.folder)], "1/3 virtual environment")
        torch_args, torch_text = torch_source(self._python_tag())
        self._uv(["pip", "install", "--python", str(self.python), *torch_args], f"2/3 torch ({torch_text})")
        constraint = self.folder / "torch-constraint.txt"
        torch = _version_in_dist(self.python, "torch")
        constraint.write_text(f"torch=={torch}\n" if torch else "", encoding="utf-8")
        self._uv(
            [
                "pip",
                "install",
                "--python",
                str(self.python),
                "-c",
                str(constraint),
                f"{PACKAGE}=={self.version}",
            ],
            f"3/3 open-webui {self.version} and its requirements",
        )
        if _version_in(self.python) != self.version:
            raise ReleaseError(
                f"open-webui {self.version} was installed into {self.folder} but does not import",
                hint=f"see {self.log}",
            )
        marker = {
            "version": self.version,
            "torch": torch or "?",
            "installed_at": time.strftime("%Y-%m-%d %H:%M"),
        }
        (self.folder / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        self.progress(f"installed open-webui {self.version} in {time.monotonic() - started:.1f}s")
        found = installed_release(self.version)
        assert found is not None
        return found

    def _python_tag(self) -> str:
        code = "import sys; print('cp%d%d' % sys.version_info[:2])"
        done = subprocess.run([str(self.python), "-c", code], capture_output=True, text=True, timeout=60)
        return done.stdout.strip()

    def _uv(self, args: list[str], step: str) -> None:
        self.progress(f"  {step}")
        command = [self.uv, *args]
        env = dict(os.environ)
        env.setdefault("UV_CACHE_DIR", str(self.root / "uv-cache"))
        env.setdefault("UV_LINK_MODE", "hardlink")
        env.pop("VIRTUAL_ENV", None)
        lines: list[str] = []
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace").rstrip()
                log.write(line + "\n")
                lines.append(line)
                if line.startswith(_SHOWN):
                    self.progress(f"    {line}")
            code = process.wait()
        if code != 0:
            tail = "\n".join(lines[-15:])
            raise ReleaseError(
                f"could not install open-webui {self.version}: step {step} failed (uv exit {code}):\n{tail}",
                hint=f"the whole output is in {self.log}"
                + (_TORCH_HINT if "torch" in step else "")
                + "; the next call installs the release again from the start",
            )


def _base_python() -> str:
    """This interpreter when open-webui can run on it (3.11 or 3.12), else a request uv resolves."""
    if sys.version_info[:2] in ((3, 11), (3, 12)):
        return sys.executable
    return ">=3.11,<3.13"


def _version_in_dist(python: Path, name: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60)
    return done.stdout.strip() if done.returncode == 0 else None


def torch_source(python_tag: str) -> tuple[list[str], str]:
    """The uv arguments that install torch (CPU build first), and how to say where it comes from."""
    given = os.environ.get("ACTIONKIT_TORCH", "").strip()
    if given.lower() == "pypi":
        return ["torch"], "the default build from PyPI, as ACTIONKIT_TORCH=pypi asks"
    if given:
        return [given], f"ACTIONKIT_TORCH={given}"
    wheel = _local_cpu_wheel(python_tag)
    if wheel is not None:
        return [str(wheel)], f"CPU build {wheel.name}"
    return ["torch", "--index-url", TORCH_CPU_INDEX], f"CPU build from {TORCH_CPU_INDEX}"


def _local_cpu_wheel(python_tag: str) -> Path | None:
    folders: list[str] = []
    for variable in ("PIP_FIND_LINKS", "UV_FIND_LINKS"):
        folders += os.environ.get(variable, "").replace(",", " ").split()
    wheels: list[Path] = []
    for folder in folders:
        path = Path(folder.removeprefix("file://"))
        if path.is_dir():
            wheels += path.glob(f"torch-*+cpu-{python_tag}-*.whl")
    if not wheels:
        return None
    return max(wheels, key=lambda w: parse_version(w.name.split("-")[1].split("+")[0]) or (0, 0, 0))
