"""The secret sweep: no secret value a test uses may appear in anything the suite produces.

A pytest plugin (``tests/conftest.py`` loads its hooks). It learns the secret values from the tests'
own source before the run: every text literal given to a name made like a secret's (``api_key=…``,
``{"OPENAI_API_KEY": …}``, ``TOKEN = …``, ``setenv("OPENWEBUI_TOKEN", …)``, ``--valve api_key=…``),
every ``sk-…`` literal and every value wrapped in :func:`secret`; and at run time every token an
``actionkit.client.Token`` is made from (the real server's JWT too).

Then, for every test, it looks at what the test produced and fails the test that showed a secret:

- what was printed or logged (pytest's captured stdout, stderr and log, what ``capsys``/``capfd``
  handed the test, what IPython's ``capture_output`` caught: printed text and displayed outputs);
- every object of an actionkit class made during the test, rendered as a notebook and a terminal
  would show it (``repr``, ``str``, IPython's pretty text, ``_repr_mimebundle_`` text and HTML,
  ``to_dict()`` as JSON, ``transcript()``, ``text()``, ``lines()``, ``report()``,
  ``_render_traceback_()``): simulations, store records, save results, valve dicts, diffs, push
  and pull results, cards, editors, every error and warning. Each is rendered when it is collected,
  or at the end of the test when it is still alive: the sweep keeps no object alive, so a test of
  what a call leaves behind sees what it would see without the sweep;
- every text file under the test's ``tmp_path`` (case files, exports, snapshots, sidecars; a store's
  SQLite file keeps secrets on purpose and is skipped, as are sources the test wrote).

A test that asks for secrets in a file (``export --secrets``) names it with
``@pytest.mark.reveals_secrets("name.json")`` (no name: all its files), and it is not searched. The last item of the session checks that the sweep ran and found none.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import functools
import importlib
import inspect
import itertools
import json
import pkgutil
import re
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

MIN_LENGTH = 8  # shorter literals are words ("secret", "absent") that outputs use on their own
_SK = re.compile(r"^sk-[\w\-./+=]{5,}$")
_PAIR = re.compile(r"^(?:--?[\w-]+\s+)?([A-Za-z_][\w-]*)=(\S+)$")
_RENDERERS = ("transcript", "text", "lines", "report", "to_dict", "_render_traceback_")
# Values that are words outputs use on their own (a field kind, a mask), not secrets.
_NOT_SECRETS = frozenset({"••••••", "password"})


@dataclass
class Leak:
    where: str
    secret: str
    origin: str

    def describe(self) -> str:
        return f"{self.where}: a secret value (from {self.origin}) is shown"


@dataclass(repr=False)
class Sweep:
    """What the sweep knows: the secrets, the outputs of the running test, the leaks found."""

    secrets: dict[str, str] = field(default_factory=dict)  # value -> where the tests define it
    objects: list[Any] = field(default_factory=list)
    # The objects watched without being kept alive, by id: each is rendered when it is collected, or
    # at the check when it is still alive then (so a test of what a call keeps alive sees it go).
    watched: dict[int, weakref.ref[Any]] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)
    leaks: dict[str, list[Leak]] = field(default_factory=dict)
    seen: int = 0  # outputs searched in this session
    tests: int = 0
    _patches: list[Callable[[], None]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Sweep: {len(self.secrets)} secrets, {self.tests} tests, {self.seen} outputs searched>"

    def add_secret(self, value: str, origin: str) -> None:
        if (
            isinstance(value, str)
            and len(value) >= MIN_LENGTH
            and value not in _NOT_SECRETS
            and not any(char.isspace() for char in value)  # a sentence, not a key
        ):
            self.secrets.setdefault(value, origin)

    def record(self, where: str, text: Any) -> None:
        if isinstance(text, str) and text:
            self.texts.append((where, text))

    def search(self, where: str, text: str) -> Iterator[Leak]:
        self.seen += 1
        for secret, origin in self.secrets.items():
            if secret in text:
                yield Leak(where, secret, origin)


SWEEP = Sweep()


def secret(value: str) -> str:
    """Mark a secret a test builds at run time (``secret("sk-" + "0" * 32)``); returns it."""
    SWEEP.add_secret(value, "secret()")
    return value


# -- learning the secrets from the tests' source ------------------------------------------------


def secrets_in_source(source: str) -> Iterator[str]:
    """The secret values a test module writes as literals (see the module docstring)."""
    from actionkit.secrets import is_secret_name

    tree = ast.parse(source)

    def text(node: ast.AST | None) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                name, given = text(key), text(value)
                if name and given and is_secret_name(name):
                    yield given
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                given = text(keyword.value)
                if keyword.arg and given and is_secret_name(keyword.arg):
                    yield given
            args = [text(arg) for arg in node.args]
            for name, given in itertools.pairwise(args):
                if name and given and is_secret_name(name):
                    yield given
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            given = text(node.value)
            if given and any(isinstance(t, ast.Name) and is_secret_name(t.id) for t in targets):
                yield given
        given = text(node)
        if given is None:
            continue
        if _SK.match(given):
            yield given
        pair = _PAIR.match(given.strip())
        if pair and is_secret_name(pair.group(1)):
            yield pair.group(2)


def learn(files: Iterable[Path], root: Path) -> None:
    for path in sorted(set(files)):
        try:
            source = path.read_text(encoding="utf-8")
            found = list(secrets_in_source(source))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        origin = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        for value in found:
            SWEEP.add_secret(value, origin)


# -- seeing what the tests produce ---------------------------------------------------------------


def _actionkit_classes() -> Iterator[type]:
    import actionkit

    for info in pkgutil.walk_packages(actionkit.__path__, "actionkit."):
        if info.name in ("actionkit.__main__", "actionkit.cli.demo"):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # a module that needs the real open-webui
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name:
                yield cls


def _shows_itself(cls: type) -> bool:
    names = ("__repr__", "__str__", "_repr_mimebundle_", "_repr_pretty_", *_RENDERERS)
    return any(
        name in vars(base)
        for base in cls.__mro__
        if base.__module__.startswith("actionkit")
        for name in names
    )


def _watch(cls: type) -> Callable[[], None] | None:
    """Make every new instance of ``cls`` known to the sweep; returns the undo."""
    original = cls.__dict__.get("__init__")
    inherited = cls.__init__
    # An object with a finaliser (an un-awaited stand-in call warns when collected) is not kept alive.
    weak = any(
        "__del__" in vars(base) and not getattr(vars(base)["__del__"], "_sweep", False)
        for base in cls.__mro__
        if base.__module__.startswith("actionkit")
    )

    @functools.wraps(inherited)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        inherited(self, *args, **kwargs)
        if type(self) is not cls:
            return
        if weak:
            with contextlib.suppress(TypeError):  # no weak reference possible: not kept
                SWEEP.objects.append(weakref.ref(self))
            return
        try:
            SWEEP.watched[id(self)] = weakref.ref(self)
        except TypeError:  # no weak reference possible: kept until the check
            SWEEP.objects.append(self)

    def __del__(self: Any) -> None:
        if SWEEP.watched.pop(id(self), None) is not None:
            with contextlib.suppress(Exception):
                SWEEP.texts.extend(renderings(self))

    __del__._sweep = True  # type: ignore[attr-defined]

    try:
        cls.__init__ = __init__  # type: ignore[misc]
        if not weak:
            cls.__del__ = __del__  # type: ignore[attr-defined]
    except (TypeError, AttributeError):
        return None

    def undo() -> None:
        if original is None:
            del cls.__init__  # type: ignore[misc]
        else:
            cls.__init__ = original  # type: ignore[misc]
        if not weak:
            del cls.__del__  # type: ignore[attr-defined]

    return undo


def _patch(owner: Any, name: str, wrapper: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    original = getattr(owner, name)
    setattr(owner, name, wrapper(original))
    SWEEP._patches.append(lambda: setattr(owner, name, original))


def install() -> None:
    from _pytest.capture import CaptureFixture
    from IPython.utils.capture import capture_output

    from actionkit.client import Token

    for cls in _actionkit_classes():
        plain = issubclass(cls, enum.Enum | tuple | type) or cls.__init__ is object.__init__
        if not plain and (issubclass(cls, BaseException) or _shows_itself(cls)):
            undo = _watch(cls)
            if undo is not None:
                SWEEP._patches.append(undo)

    def token_init(original: Callable[..., Any]) -> Callable[..., Any]:
        def __init__(self: Any, value: str) -> None:
            SWEEP.add_secret(value.strip(), "a Token")
            original(self, value)

        return __init__

    _patch(Token, "__init__", token_init)

    def readouterr(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any) -> Any:
            result = original(self)
            SWEEP.record("capsys/capfd output", str(result.out))
            SWEEP.record("capsys/capfd error output", str(result.err))
            return result

        return wrapper

    _patch(CaptureFixture, "readouterr", readouterr)

    def enter(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any) -> Any:
            self._sweep_captured = original(self)
            return self._sweep_captured

        return wrapper

    def leave(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any, *exc: Any) -> Any:
            result = original(self, *exc)
            captured = getattr(self, "_sweep_captured", None)
            if captured is not None:
                SWEEP.record("IPython printed output", captured.stdout)
                SWEEP.record("IPython error output", captured.stderr)
                for output in captured.outputs or ():
                    for mime, data in (output.data or {}).items():
                        SWEEP.record(
                            f"IPython displayed {mime}",
                            data if isinstance(data, str) else json.dumps(data, default=str),
                        )
            return result

        return wrapper

    _patch(capture_output, "__enter__", enter)
    _patch(capture_output, "__exit__", leave)

    def warning_message(original: Callable[..., Any]) -> Callable[..., Any]:
        def __init__(self: Any, message: Any, *args: Any, **kwargs: Any) -> None:
            original(self, message, *args, **kwargs)
            SWEEP.record("warning", str(message))

        return __init__

    _patch(warnings.WarningMessage, "__init__", warning_message)


def uninstall() -> None:
    while SWEEP._patches:
        SWEEP._patches.pop()()


def _call(method: Any) -> Any:
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return None
    if any(
        p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in signature.parameters.values()
    ):
        return None
    return method()


def renderings(obj: Any) -> Iterator[tuple[str, str]]:
    """Every text an actionkit object shows of itself."""
    from IPython.lib.pretty import pretty

    cls = type(obj)
    name = cls.__name__
    shown: list[tuple[str, Callable[[], Any]]] = [("repr", lambda: repr(obj))]
    if cls.__str__ is not object.__str__:
        shown.append(("str", lambda: str(obj)))
    if hasattr(cls, "_repr_pretty_"):
        shown.append(("pretty", lambda: pretty(obj)))
    bundle = getattr(obj, "_repr_mimebundle_", None)
    if callable(bundle) and getattr(bundle, "__module__", "").startswith("actionkit"):
        shown.append(("_repr_mimebundle_", bundle))
    for attr in _RENDERERS:
        method = getattr(obj, attr, None)
        if callable(method) and getattr(method, "__module__", "").startswith("actionkit"):
            shown.append((f"{attr}()", lambda method=method: _call(method)))
    for label, produce in shown:
        try:
            value = produce()
        except Exception:
            continue
        if value is None:
            continue
        if isinstance(value, dict | list | tuple):
            try:
                value = json.dumps(value, ensure_ascii=False, default=str)
            except (TypeError, ValueError):
                value = str(value)
        yield f"{name} {label}", str(value)


def _files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix == ".py" or path.stat().st_size > 5_000_000:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if data.startswith(b"SQLite format 3\x00") or path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        try:
            yield path, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def check(item: pytest.Item, sections: list[tuple[str, str]], *, files: bool) -> list[Leak]:
    """The leaks in what ``item`` produced since the last check."""
    found: list[Leak] = []
    alive = [ref() for ref in list(SWEEP.watched.values())]
    SWEEP.watched = {}
    texts, SWEEP.texts = SWEEP.texts, []
    objects, SWEEP.objects = [*SWEEP.objects, *(obj for obj in alive if obj is not None)], []
    del alive
    for title, content in sections:
        texts.append((title, content))
    for obj in objects:
        if isinstance(obj, weakref.ref):
            obj = obj()
        if obj is not None:
            texts.extend(renderings(obj))
    marker = item.get_closest_marker("reveals_secrets")
    tmp = getattr(item, "funcargs", {}).get("tmp_path")
    if files and isinstance(tmp, Path) and tmp.is_dir() and not (marker and not marker.args):
        allowed = set(marker.args) if marker else set()
        texts.extend(
            (f"file {path.relative_to(tmp)}", text) for path, text in _files(tmp) if path.name not in allowed
        )
    for where, text in texts:
        found.extend(SWEEP.search(where, text))
    unique = {(leak.where, leak.secret): leak for leak in found}
    return list(unique.values())


def leak_report(leaks: list[Leak]) -> str:
    lines = ["secret sweep: a secret value the tests use is shown (values not repeated here):"]
    lines += [f"  {leak.describe()}" for leak in leaks]
    return "\n".join(lines)


# -- the hooks -------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "reveals_secrets(*names): the test asks for secrets in these files on purpose (export --secrets)",
    )
    install()


def pytest_unconfigure(config: pytest.Config) -> None:
    uninstall()


def pytest_collection_finish(session: pytest.Session) -> None:
    root = session.config.rootpath
    files = {Path(str(item.path)) for item in session.items if str(item.path).endswith(".py")}
    tests = root / "tests"
    if tests.is_dir():
        files |= set(tests.rglob("*.py"))
    learn(files, root)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    last = [item for item in items if item.name == "test_the_whole_suite_showed_no_secret"]
    for item in last:
        items.remove(item)
        items.append(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if call.when == "setup" and report.passed:
        return report
    SWEEP.tests += call.when == "call"
    phases = ("teardown",) if call.when == "teardown" else ("setup", "call")
    sections = [(title, text) for title, text in report.sections if title.endswith(phases)]
    leaks = check(item, sections, files=call.when != "teardown")
    if leaks:
        SWEEP.leaks.setdefault(item.nodeid, []).extend(leaks)
        if report.passed:
            report.outcome = "failed"
            report.longrepr = leak_report(leaks)
        else:
            report.sections.append(("secret sweep", leak_report(leaks)))
    return report
