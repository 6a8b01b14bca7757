"""Install a function's frontmatter ``requirements:`` the way Open WebUI does, when asked to.

Open WebUI splits the ``requirements:`` value on commas and runs
``python -m pip install $PIP_OPTIONS <specs> $PIP_PACKAGE_INDEX_OPTIONS`` when it loads a function.
actionkit never installs behind your back: :func:`install_requirements` (``%%action --install``,
``actionkit install FILE_OR_ID``) runs that same command in the running environment, skipping specs
that are already satisfied, showing pip's progress and pip's error when it fails. Without it,
:func:`check_requirements` turns missing requirements into one error giving the exact command.
"""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RequirementsError
from ._function import Function
from ._source import extract_frontmatter, parse_requirements

Progress = Callable[[str], None]

_NETWORK_SIGNS = (
    "Failed to establish a new connection",
    "Network is unreachable",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Connection refused",
    "Could not fetch URL",
    "Max retries exceeded",
    "ProxyError",
)


@dataclass
class InstallResult:
    """What :func:`install_requirements` did: the specs asked for, skipped and installed."""

    requested: list[str]
    skipped: list[str] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    output: str = ""

    def __repr__(self) -> str:
        return f"<InstallResult installed={self.installed} already satisfied={self.skipped}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        import html

        if not self.requested:
            text = "No requirements in the frontmatter."
        else:
            parts = []
            if self.installed:
                parts.append("installed " + ", ".join(self.installed))
            if self.skipped:
                parts.append("already satisfied " + ", ".join(self.skipped))
            text = "Requirements: " + "; ".join(parts) + "."
        return {"text/plain": text, "text/html": f"<div class='actionkit-install'>{html.escape(text)}</div>"}


def requirements_of(target: Any, *, store: Any = None) -> tuple[list[str], str | None, str]:
    """``(specs, function_id, how to name it in a command)`` for a function, manifest, spec list,
    source text, ``.py`` path or stored function id."""

    if isinstance(target, Function):
        return parse_requirements(target.manifest), target.id, target.id
    if isinstance(target, Mapping):
        return parse_requirements({k: str(v) for k, v in target.items()}), None, ""
    if isinstance(target, (list, tuple)):
        return [str(s).strip() for s in target if str(s).strip()], None, ""
    if isinstance(target, os.PathLike) or (
        isinstance(target, str) and "\n" not in target and target.endswith(".py")
    ):
        path = Path(target)
        try:
            source = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RequirementsError(f"cannot read {path}: {exc}") from None
        return parse_requirements(extract_frontmatter(source)), None, str(path)
    if isinstance(target, str) and ("\n" in target or target.lstrip().startswith('"""')):
        return parse_requirements(extract_frontmatter(target)), None, ""
    if isinstance(target, str) and store is not None:
        record = store.get(target)
        return parse_requirements(extract_frontmatter(record.content)), record.id, record.id
    raise RequirementsError(
        f"cannot read requirements from {type(target).__name__}: give a Function, a manifest dict, "
        "a list of specs, source text, a .py path or a stored function id with store="
    )


def is_satisfied(spec: str, path: Sequence[str] | None = None) -> bool:
    """Whether an installed distribution satisfies ``spec`` (URLs and unparsable specs: no)."""
    from importlib import metadata

    try:
        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:  # packaging absent: let pip decide
        return False
    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        return False
    if requirement.marker is not None and not requirement.marker.evaluate():
        return True  # the requirement does not apply to this environment
    if requirement.url:
        return False
    try:
        if path is None:
            version = metadata.version(requirement.name)
        else:
            found = list(metadata.distributions(name=requirement.name, path=list(path)))
            if not found:
                return False
            version = found[0].version
    except metadata.PackageNotFoundError:
        return False
    return requirement.specifier.contains(version, prereleases=True)


def missing_requirements(target: Any, *, store: Any = None, path: Sequence[str] | None = None) -> list[str]:
    """The requirement specs of ``target`` that are not satisfied in this environment."""
    specs, _, _ = requirements_of(target, store=store)
    return [spec for spec in specs if not is_satisfied(spec, path)]


def install_hint(missing: Iterable[str], how: str = "") -> str:
    """The exact commands that install ``missing``."""
    specs = " ".join(shlex.quote(s) for s in missing)
    target = f"`actionkit install {shlex.quote(how)}`" if how else "`actionkit install FILE_OR_ID`"
    return (
        f"add --install to the %%action line, or run {target}, or `{shlex.quote(sys.executable)} -m pip "
        f"install {specs}`"
    )


def check_requirements(target: Any, *, store: Any = None) -> None:
    """Raise :class:`RequirementsError` naming the exact command when requirements are missing."""
    specs, function_id, how = requirements_of(target, store=store)
    missing = [spec for spec in specs if not is_satisfied(spec)]
    if missing:
        raise RequirementsError(
            f"the frontmatter requirements are not installed: {', '.join(missing)}",
            function_id=function_id,
            hint=install_hint(missing, how),
            missing=missing,
        )


def pip_command(specs: Sequence[str], *, python: str | None = None, target: str | None = None) -> list[str]:
    """The host's pip command: ``python -m pip install $PIP_OPTIONS specs $PIP_PACKAGE_INDEX_OPTIONS``."""
    command = [
        python or sys.executable,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
    ]
    command += os.environ.get("PIP_OPTIONS", "").split()
    if target is not None:
        command += ["--target", target]
    command += list(specs)
    command += os.environ.get("PIP_PACKAGE_INDEX_OPTIONS", "").split()
    return command


def install_requirements(
    manifest_or_fn: Any,
    *,
    progress: Progress | None = print,
    python: str | None = None,
    pip_args: Sequence[str] = (),
    target: str | None = None,
    store: Any = None,
    timeout: float | None = 900.0,
) -> InstallResult:
    """Install the frontmatter requirements of ``manifest_or_fn`` with pip, as Open WebUI does.

    ``manifest_or_fn``: a Function, a manifest dict, a list of specs, source text, a ``.py`` path or
    a stored function id. Specs already satisfied are skipped. ``progress`` receives each line of
    progress (``None`` for silence); ``pip_args`` are added to the pip command (for example
    ``["--no-index", "--find-links", "wheels/"]``); ``target`` installs into a folder instead of
    the environment. Raises :class:`RequirementsError` with pip's error when pip fails.
    """
    specs, function_id, _ = requirements_of(manifest_or_fn, store=store)
    path = [target] if target is not None else None
    skipped = [spec for spec in specs if is_satisfied(spec, path)]
    todo = [spec for spec in specs if spec not in skipped]
    say = progress or (lambda line: None)
    if not todo:
        if specs:
            say(f"Requirements already satisfied: {', '.join(specs)}")
        return InstallResult(requested=specs, skipped=skipped)
    command = pip_command([*pip_args, *todo], python=python, target=target)
    say(f"Installing {', '.join(todo)} with pip ...")
    output = _run(command, say, timeout)
    if output.returncode != 0:
        raise RequirementsError(
            f"pip could not install {', '.join(todo)} (exit code {output.returncode})",
            function_id=function_id,
            hint=_failure_hint(output.text),
            missing=todo,
            command=command,
            output=output.text,
        )
    importlib.invalidate_caches()
    say(f"Installed {', '.join(todo)}")
    return InstallResult(
        requested=specs, skipped=skipped, installed=todo, command=command, output=output.text
    )


@dataclass
class _Output:
    returncode: int
    text: str


def _run(command: list[str], say: Progress, timeout: float | None) -> _Output:
    lines: list[str] = []
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as exc:
        raise RequirementsError(f"cannot run pip ({command[0]}): {exc}", command=command) from None
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            say(line.rstrip())
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise RequirementsError(
            f"pip did not finish within {timeout:g} s and was stopped",
            command=command,
            output="\n".join(lines),
        ) from None
    return _Output(returncode, "\n".join(lines))


def _failure_hint(output: str) -> str:
    errors = [line for line in output.splitlines() if re.match(r"\s*(ERROR|error):", line)]
    shown = "\n".join(errors[-5:]) or "\n".join(output.splitlines()[-5:])
    if any(sign in output for sign in _NETWORK_SIGNS):
        reason = "pip could not reach the package index (no network, or a proxy/index setting is needed)"
    elif "No matching distribution found" in output or "Could not find a version" in output:
        reason = "pip found no release matching the spec: check the name and version in requirements:"
    else:
        reason = "see pip's output above"
    return f"{reason}\npip said:\n{shown}"
