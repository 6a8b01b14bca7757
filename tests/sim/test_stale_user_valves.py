"""User valves that no longer validate (saved before the code changed) are handed over as 0.12.4
does: filters and actions are called without ``__user__["valves"]``, pipes with ``UserValves()``
defaults; the simulation says so in a warning and never shows the values."""

from __future__ import annotations

import pytest

import actionkit
from actionkit import ValvesError
from actionkit.runtimes import simulate

HEAD = '"""\ntitle: Stale\n"""\nfrom pydantic import BaseModel, Field\n\n\n'
VALVES = (
    "    class UserValves(BaseModel):\n"
    "        level: int = 1\n"
    '        token: str = Field("", json_schema_extra={"input": {"type": "password"}})\n'
)
SEEN = "{'has_valves_key': 'valves' in __user__, 'valves': repr(__user__.get('valves'))}"
SOURCES = {
    "filter": f"class Filter:\n{VALVES}    def inlet(self, body, __user__):\n"
    f"        body['seen'] = {SEEN}\n        return body\n",
    "action": f"class Action:\n{VALVES}    async def action(self, body, __user__):\n        return {SEEN}\n",
    "pipe": f"class Pipe:\n{VALVES}    def pipe(self, body, __user__):\n        return str({SEEN})\n",
}
STALE = {"level": "not-a-number", "token": "sk-stale-secret-value"}


def _seen(kind: str, sim: actionkit.Simulation) -> object:
    if kind == "filter":
        return sim.result["seen"]
    if kind == "action":
        return sim.result
    return sim.content


@pytest.mark.parametrize(
    ("kind", "seen", "outcome"),
    [
        ("filter", {"has_valves_key": False, "valves": "None"}, "calls inlet() without __user__['valves']"),
        ("action", {"has_valves_key": False, "valves": "None"}, "calls action() without __user__['valves']"),
        (
            "pipe",
            str({"has_valves_key": True, "valves": "UserValves(level=1, token='')"}),
            "calls pipe() with UserValves() defaults in __user__['valves']",
        ),
    ],
)
def test_user_valves_that_no_longer_validate_are_handled_as_the_host_does(
    kind: str, seen: object, outcome: str
) -> None:
    fn = actionkit.load(HEAD + SOURCES[kind], id=f"stale_{kind}")
    sim = simulate(fn, user_valves=STALE)
    assert sim.ok
    assert _seen(kind, sim) == seen
    [warning] = [w for w in sim.warnings if "do not validate" in w]
    assert warning.startswith(
        "the user valves ['level', 'token'] do not validate against UserValves (level: Input should be a "
        "valid integer, unable to parse string as an integer): Open WebUI logs the error and " + outcome
    )
    assert "sk-stale-secret-value" not in repr(sim.to_dict()) + "".join(sim.warnings)


def test_user_valves_the_host_cannot_take_at_all_still_raise() -> None:
    fn = actionkit.load(HEAD + SOURCES["action"], id="stale_action")
    with pytest.raises(ValvesError):
        simulate(fn, user_valves=["level", 2])
