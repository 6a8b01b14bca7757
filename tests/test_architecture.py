"""The layout rules of ARCHITECTURE.md, checked on the source: imports point down the flow, no
import cycle between top-level entries, one error tree, private modules stay private."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import actionkit
from actionkit.errors import ActionkitError

PACKAGE = Path(actionkit.__file__).parent

# The top-level entries of actionkit/, from the bottom of the flow to the top. An entry may import
# only entries of lower layers (imports under ``if TYPE_CHECKING:`` aside).
LAYERS: list[set[str]] = [
    {"errors", "host", "secrets", "_aio", "_deadline"},
    {"view", "releases"},
    {"standins", "_wire"},
    {"function"},
    {"store"},
    {"sim"},
    {"realhost"},
    {"runtimes"},
    {"chat", "testing", "widgets", "client", "lint"},
    {"cli", "magics", "cases"},
    {"__main__"},
]
# Submodules other packages may import by name (everything else inside a package is private).
PUBLIC_SUBMODULES = {"actionkit.sim.defaults", "actionkit.standins.context", "actionkit.testing.plugin"}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _entry(module: str) -> str:
    """The top-level entry a module belongs to (``actionkit.sim._plan`` -> ``sim``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(module: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, imported module, names)`` of every import of actionkit code, typing-only ones aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.startswith("actionkit"):
                found.append((node.lineno, base, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("actionkit")]
    return found


def _edges() -> dict[tuple[str, str], str]:
    """Each import between two top-level entries, with one place it is made."""
    modules = _modules()
    edges: dict[tuple[str, str], str] = {}
    for module, path in modules.items():
        for line, target, names in _imports(module, path):
            targets = [target] + [f"{target}.{name}" for name in names]
            for imported in (t for t in targets if t in modules):
                ends = (_entry(module), _entry(imported))
                if ends[0] != ends[1] and "__init__" not in ends:
                    edges.setdefault(ends, f"{path.relative_to(PACKAGE.parent)}:{line}")
    return edges


def test_every_top_level_entry_has_a_layer() -> None:
    entries = {_entry(module) for module in _modules()} - {"__init__"}
    layered = set().union(*LAYERS)
    assert entries == layered, "ARCHITECTURE.md and LAYERS name every entry of actionkit/ exactly once"


def test_imports_point_down_the_flow() -> None:
    layer = {entry: index for index, entries in enumerate(LAYERS) for entry in entries}
    upward = [
        f"{where}: {source} imports {target}"
        for (source, target), where in sorted(_edges().items())
        if layer[target] >= layer[source]
    ]
    assert upward == []


def test_no_import_cycle_between_top_level_entries() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert sorted(entry for entry in graph if reaches(entry, entry, set())) == []


def test_other_packages_import_a_package_only_through_what_its_init_offers() -> None:
    modules = _modules()
    reaching_in = []
    for module, path in modules.items():
        for line, target, names in _imports(module, path):
            for imported in [target, *(f"{target}.{name}" for name in names)]:
                if imported not in modules or _entry(imported) == _entry(module):
                    continue
                private = imported.count(".") >= 2 and imported not in PUBLIC_SUBMODULES
                if private:
                    reaching_in.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {imported}")
    assert reaching_in == []


def test_every_package_init_names_what_it_offers() -> None:
    for info in pkgutil.walk_packages(actionkit.__path__, "actionkit."):
        if info.ispkg:
            package = importlib.import_module(info.name)
            assert isinstance(getattr(package, "__all__", None), list), info.name
            assert all(hasattr(package, name) for name in package.__all__), info.name


def test_every_actionkit_error_is_defined_in_errors_py() -> None:
    for info in pkgutil.walk_packages(actionkit.__path__, "actionkit."):
        if info.name != "actionkit.testing.plugin":
            importlib.import_module(info.name)

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for direct in cls.__subclasses__() for sub in subclasses(direct))]

    outside = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in subclasses(ActionkitError)
        if cls.__module__.startswith("actionkit") and cls.__module__ != "actionkit.errors"
    ]
    assert outside == []


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_is_over_400_lines(module: str) -> None:
    lines = len(_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_simulate_and_asimulate_are_documented_and_signed_like_call() -> None:
    from actionkit.sim import Call

    for entry in (actionkit.simulate, actionkit.asimulate):
        assert entry.__doc__ and "Simulation" in entry.__doc__
        assert list(inspect.signature(entry).parameters) == list(inspect.signature(Call).parameters)
