"""A simulation never shows a secret valve: named like a key (``OPENAI_API_KEY``) or marked as a
password, its value is masked in the transcript, HTML, dict and case file, wherever the function
put it; and a value that does not validate is refused without being quoted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import actionkit
from actionkit import ValvesError
from actionkit.cases import load_case, replay
from actionkit.secrets import MASK

LEAKY = '''"""
title: Leaky
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        OPENAI_API_KEY: str = ""
        bearer: str = Field("", min_length=12, json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        key = self.valves.OPENAI_API_KEY
        await __event_emitter__({"type": "status", "data": {"description": f"key {key}", "done": True}})
        await __event_emitter__({"type": "message", "data": {"content": f"Authorization: Bearer {key}"}})
        return {"echo": key}
'''
KEY = "sk-simulated-5e8d1b"
BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}


def test_a_key_named_valve_is_masked_wherever_the_function_puts_it(tmp_path: Path) -> None:
    fn = actionkit.load(LEAKY)
    sim = actionkit.simulate(fn, BODY, valves={"OPENAI_API_KEY": KEY})
    assert sim.ok and sim.result == {"echo": KEY}  # the function itself got the real value
    bundle = sim._repr_mimebundle_()
    case = sim.save_case(tmp_path / "leaky.case.json")
    for text in (
        sim.transcript(),
        bundle["text/plain"],
        bundle["text/html"],
        json.dumps(sim.to_dict()),
        repr(sim),
    ):
        assert KEY not in text
    assert MASK in sim.transcript()
    assert KEY not in case.read_text()
    assert load_case(case).call["valves"] == {"OPENAI_API_KEY": MASK}
    assert replay(case, function=fn).passed


def test_simulate_refuses_an_invalid_secret_without_quoting_it() -> None:
    with pytest.raises(ValvesError) as err:
        actionkit.simulate(actionkit.load(LEAKY), BODY, valves={"bearer": "SUPERSECRET"})
    assert err.value.errors == {"bearer": "String should have at least 12 characters"}
    assert "SUPERSECRET" not in str(err.value)
