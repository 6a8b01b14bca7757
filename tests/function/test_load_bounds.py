"""Loading never hangs and never lets an exception escape raw: module code and ``__init__`` are
bounded by a timeout, and whatever they raise is a FunctionLoadError with the module registration
undone."""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest

import actionkit
from actionkit import FunctionLoadError, SimulationError
from actionkit.runtimes import simulate

SPIN = "x = 1\nwhile True:\n    x += 1\nclass Action:\n    pass\n"
SLEEPY_INIT = "import time\nclass Action:\n    def __init__(self):\n        time.sleep(600)\n"


def test_module_code_that_never_returns_is_a_load_error_at_the_timeout() -> None:
    with pytest.raises(FunctionLoadError, match="the module code did not return within timeout=0.3s") as info:
        actionkit.load(SPIN, id="spin", timeout=0.3)
    assert info.value.kind == "timeout" and info.value.line == 2
    assert "function_spin" not in sys.modules


def test_an_init_that_never_returns_is_a_load_error_at_the_timeout() -> None:
    with pytest.raises(FunctionLoadError, match=r"Action.__init__ did not return within timeout=0.3s"):
        actionkit.load(SLEEPY_INIT, id="sleepy", timeout=0.3)
    assert "function_sleepy" not in sys.modules


def test_loading_on_a_thread_other_than_the_main_one_is_bounded_too() -> None:
    errors: list[BaseException] = []

    def load() -> None:
        try:
            actionkit.load(SPIN, id="spin_thread", timeout=0.3)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=load)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], FunctionLoadError)
    assert "did not return within timeout=0.3s" in str(errors[0])


def test_simulate_bounds_the_load_by_its_timeout() -> None:
    with pytest.raises(FunctionLoadError, match="did not return within timeout=0.3s"):
        simulate(SPIN.replace("x = 1", '"""\ntitle: Spinner\n"""\nx = 1'), timeout=0.3)


def test_a_stored_function_is_loaded_within_the_timeout(tmp_path: Path) -> None:
    store = actionkit.Store(tmp_path / "store.db")
    store.save(actionkit.load("class Action:\n    pass\n", id="later"))
    with sqlite3.connect(tmp_path / "store.db") as conn:  # the source changed behind the cache's back
        conn.execute("UPDATE function SET content = ? WHERE id = 'later'", (SPIN,))
    with pytest.raises(FunctionLoadError, match="did not return within timeout=0.3s"):
        store.load("later", timeout=0.3)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("raise KeyboardInterrupt\n", "KeyboardInterrupt while running the module"),
        ("class Stop(BaseException):\n    pass\nraise Stop('halt')\n", "Stop while running the module: halt"),
        ("import sys\nsys.exit(4)\n", "SystemExit while running the module: 4"),
        (
            "class Action:\n    def __init__(self):\n        raise KeyboardInterrupt\n",
            "KeyboardInterrupt in Action.__init__",
        ),
    ],
    ids=["keyboard-interrupt", "custom-base-exception", "system-exit", "interrupt-in-init"],
)
def test_any_base_exception_while_loading_is_a_load_error_and_leaves_no_module(
    code: str, fragment: str
) -> None:
    with pytest.raises(FunctionLoadError, match=fragment):
        actionkit.load(code, id="raiser")
    assert "function_raiser" not in sys.modules


def test_a_valves_property_that_raises_is_a_load_error() -> None:
    code = "class Action:\n    @property\n    def Valves(self):\n        raise RuntimeError('no valves')\n"
    with pytest.raises(FunctionLoadError, match="RuntimeError reading Action.Valves: no valves") as info:
        actionkit.load(code, id="bad_valves")
    assert info.value.line == 4
    assert "function_bad_valves" not in sys.modules


def test_a_bad_timeout_is_refused_before_anything_is_loaded() -> None:
    with pytest.raises(SimulationError, match="timeout must be a positive number"):
        simulate(SPIN.replace("x = 1", '"""\ntitle: Spinner\n"""\nx = 1'), timeout=-1)
