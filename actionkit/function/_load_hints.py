"""What to tell a user whose function failed to load: missing modules and misnamed classes."""

from __future__ import annotations

import inspect
import types

from ._host_libs import missing_module_hint
from ._source import parse_requirements

# Class names people use by mistake (Pipelines server) and what they probably meant.
_MISNAMED_CLASSES = {
    "Pipeline": "Pipe",
    "Pipelines": "Pipe",
    "Tool": "Tools (a toolkit) or Action",
    "Filters": "Filter",
    "Actions": "Action",
    "Pipes": "Pipe",
    "Function": "Pipe, Filter or Action",
}


def missing_module_message(
    exc: ModuleNotFoundError, manifest: dict[str, str], failing_line: str
) -> tuple[str, str | None]:
    module = exc.name or str(exc)
    top = module.split(".")[0]
    message = f"No module named {module!r}"
    if top == "open_webui":
        if module.startswith("open_webui.apps") or "open_webui.apps" in failing_line:
            return message, (
                "'open_webui.apps' was removed in Open WebUI 0.5; import from 'open_webui.*' "
                "(for example open_webui.models.users) instead"
            )
        return message, (
            "Open WebUI 0.12.4 has no such module either; see actionkit.standins.supported() "
            "for the open_webui modules a simulation provides"
        )
    requirements = parse_requirements(manifest)
    listed = [r for r in requirements if _requirement_name(r) == _normal(top)]
    if listed:
        return message, (
            f"the frontmatter requirements list {listed[0]!r}: install them with "
            f"`%%action --install` or `pip install {' '.join(requirements)}`"
        )

    host_hint = missing_module_hint(module)
    if host_hint:
        return message, host_hint
    return message, (
        f"install the package that provides {top!r} (pip install ...), and list it in the "
        "frontmatter 'requirements:' so Open WebUI installs it too"
    )


def _requirement_name(spec: str) -> str:
    name = spec
    for sep in ("[", "=", "<", ">", "!", "~", ";", " ", "@"):
        name = name.split(sep)[0]
    return _normal(name)


def _normal(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(".", "_")


def class_hint(module: types.ModuleType, *, tool: bool = False) -> str:
    if tool:
        for name in ("Tool", "Toolkit", "Pipe", "Filter", "Action"):
            if inspect.isclass(getattr(module, name, None)):
                return (
                    f"the module defines class {name!r}; Open WebUI's Tools workspace looks for a class "
                    "named Tools (Pipe, Filter and Action are Functions)"
                )
        return "define a class named Tools (Open WebUI instantiates it with no arguments)"
    for wrong, right in _MISNAMED_CLASSES.items():
        if inspect.isclass(getattr(module, wrong, None)):
            return f"the module defines class {wrong!r}; Open WebUI looks for {right}"
    return (
        "define a class named Pipe, Filter or Action (Open WebUI instantiates it with no arguments), "
        "or Tools for a toolkit"
    )
