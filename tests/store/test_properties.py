"""Generated inputs: the loader and the store end in a result or an ActionkitError, never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import actionkit
from actionkit import ActionkitError, Store, ValvesError
from tests._sources import VALVED_ACTION

FRAGMENTS = [
    '"""\n',
    "title: T\n",
    "requirements: a, b\n",
    "version: 1\n",
    '"""\n',
    "from pydantic import BaseModel\n",
    "import os\n",
    "import no_such_module_xyz\n",
    "class Action:\n",
    "class Pipe:\n",
    "class Filter:\n",
    "class Tools:\n",
    "    class Valves(BaseModel):\n",
    "        x: int = 1\n",
    "    Valves = 3\n",
    "    def __init__(self):\n",
    "        raise ValueError('x')\n",
    "        self.valves = self.Valves()\n",
    "    def action(self, body):\n",
    "        return body\n",
    "    pass\n",
    "x = (\n",
    "raise SystemExit\n",
    "\x00",
    "\ufeff",
    "def f(:\n",
    "1/0\n",
]

sources = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    st.text(max_size=400),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.just(VALVED_ACTION).flatmap(lambda s: st.integers(0, len(s)).map(lambda n: s[:n])),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=sources)
def test_loader_returns_a_function_or_an_actionkit_error(source: str) -> None:
    try:
        fn = actionkit.load(source, id="generated")
    except ActionkitError as exc:
        assert str(exc)
    else:
        assert fn.type in {"pipe", "filter", "action", "event", "tool"}


def test_loader_handles_very_large_sources() -> None:
    body = "".join(f"    def method_{i}(self):\n        return {i}\n" for i in range(20_000))
    fn = actionkit.load("class Action:\n" + body, id="huge")
    assert fn.instance.method_19999() == 19999


valve_values = st.dictionaries(
    st.sampled_from(["priority", "limit", "api_key", "unknown", ""]),
    st.one_of(
        st.none(),
        st.integers(-(10**20), 10**20),
        st.text(max_size=20),
        st.floats(allow_nan=True),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
    ),
    max_size=5,
)


@settings(max_examples=1500, deadline=None)
@given(values=valve_values)
def test_store_accepts_valid_valves_and_refuses_the_rest_without_change(values: dict[str, Any]) -> None:
    store = _STORE
    before = store.valves("counter")
    try:
        stored = store.set_valves("counter", values)
    except ValvesError as exc:
        assert exc.errors and str(exc)
        assert store.valves("counter") == before
    else:
        assert store.valves("counter") == stored
        assert set(stored) <= {"priority", "limit", "api_key"}
        fn = store.load("counter")
        fn.apply_valves(stored)


_STORE = Store(":memory:")
_STORE.save(actionkit.load(VALVED_ACTION))
