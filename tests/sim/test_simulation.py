"""The Simulation object: pinned fields, deterministic text, HTML replica, snapshots, secrets."""

from __future__ import annotations

import json
import re

import actionkit
from actionkit.runtimes import simulate
from actionkit.sim import Simulation, empty_message

RICH = """
from pydantic import BaseModel, Field, SecretStr
class Action:
    class Valves(BaseModel):
        api_key: SecretStr = SecretStr("sk-default-secret")
        token: str = Field("tok-default-123", json_schema_extra={"input": {"type": "password"}})
    def __init__(self):
        self.valves = self.Valves()
    async def action(self, body, __event_emitter__, __event_call__):
        key = self.valves.api_key.get_secret_value()
        await __event_emitter__({"type": "status", "data": {"description": "Working", "done": False}})
        await __event_emitter__({"type": "message", "data": {"content": f" key={key} tok={self.valves.token}"}})
        await __event_emitter__({"type": "source", "data": {"source": {"name": "Doc"}, "document": ["t"]}})
        await __event_emitter__({"type": "files", "data": {"files": [{"type": "image", "url": "/x.png", "name": "x.png"}]}})
        await __event_emitter__({"type": "embeds", "data": {"embeds": ["<b>card</b>"]}})
        await __event_emitter__({"type": "notification", "data": {"type": "success", "content": "Saved"}})
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Go?", "message": "Sure"}})
        await __event_emitter__({"type": "status", "data": {"description": "Done", "done": True}})
        return {"ok": ok, "key": key}
"""


def rich() -> Simulation:
    fn = actionkit.load(RICH, id="rich")
    return simulate(fn, valves={"token": "sk-very-secret"}, replies=[True])


def test_simulation_has_the_pinned_fields() -> None:
    sim = rich()
    assert sim.ok and sim.error is None
    assert isinstance(sim.events, list) and all(set(e) == {"type", "data"} for e in sim.events)
    assert sim.event_calls == [
        {"type": "confirmation", "data": {"title": "Go?", "message": "Sure"}, "reply": True}
    ]
    assert sim.chunks == []
    assert sim.content.startswith("Hello! How can I help you today? key=")
    assert isinstance(sim.duration, float) and sim.duration >= 0
    assert isinstance(sim.warnings, list)
    assert set(empty_message()) <= set(sim.message)


def test_transcript_is_one_line_per_event_and_deterministic() -> None:
    first, second = rich().transcript(), rich().transcript()
    assert first == second
    lines = first.splitlines()
    assert lines[0] == "action rich: ok"
    assert lines[1] == "  status: Working"
    assert lines[7] == '  call confirmation: {"title": "Go?", "message": "Sure"} -> true'
    assert lines[8] == "  status: Done (done)"
    assert not re.search(r"0x[0-9a-f]{6,}", first)


def test_secrets_are_masked_everywhere() -> None:
    sim = rich()
    bundle = sim._repr_mimebundle_()
    snapshot = json.dumps(sim.to_dict())
    for text in (bundle["text/plain"], bundle["text/html"], snapshot, repr(sim)):
        assert "sk-very-secret" not in text
        assert "sk-default-secret" not in text
    assert "••••••" in bundle["text/plain"]
    assert sim.inputs["valves"] == {"token": "••••••"}


def test_to_dict_is_json_and_stable() -> None:
    first, second = rich().to_dict(), rich().to_dict()
    assert first == second
    assert "duration" not in first
    assert json.loads(json.dumps(first)) == first


def test_to_dict_writes_other_objects_as_address_free_repr() -> None:
    sim = Simulation(function_id="x", result={"obj": object(), "when": {1, 2}})
    assert sim.to_dict()["result"] == {"obj": "<object object>", "when": [1, 2]}


def test_html_replicates_the_message() -> None:
    html = rich()._repr_mimebundle_()["text/html"]
    for fragment in ("Working", "Done", "Doc", "x.png", 'srcdoc="&lt;b&gt;card&lt;/b&gt;"', "Saved", "Go?"):
        assert fragment in html


def test_error_shows_in_text_and_html() -> None:
    src = "class Action:\n    async def action(self, body):\n        raise ValueError('<boom>')\n"
    sim = simulate(actionkit.load(src, id="err"))
    text = sim.transcript()
    assert "error: Error: <boom>" in text
    assert 'File "<err>", line 3, in action' in text
    assert "Error: &lt;boom&gt;" in sim._repr_mimebundle_()["text/html"]


def test_repr_is_short_and_stable() -> None:
    assert repr(rich()) == "<Simulation action rich ok: 7 events, 1 calls>"


def test_lazy_fields_are_computed_once_on_first_read() -> None:
    sim = rich()
    assert sim.__dict__["_pending"] is not None
    message = sim.message
    assert sim.__dict__["_pending"] is None
    assert sim.message is message


def test_a_simulation_can_be_built_directly() -> None:
    sim = Simulation(
        function_id="x",
        kind="pipe",
        hook="pipe",
        stream=True,
        chunks=["data: [DONE]"],
        warnings=["w"],
        result=[],
    )
    assert sim.warnings == ["w"] and sim.result == [] and sim.content == ""
    assert sim.transcript().splitlines()[0] == "pipe x (stream): ok"


def test_event_types_lists_the_types_in_order() -> None:
    assert rich().event_types() == [
        "status",
        "message",
        "source",
        "files",
        "embeds",
        "notification",
        "status",
    ]


def test_pipe_transcript_leaves_out_completion_ids_and_clock() -> None:
    pipe = actionkit.load("class Pipe:\n    def pipe(self, body):\n        return 'hi'\n", id="p")
    text = simulate(pipe, real_ids=True).transcript()
    assert text == 'pipe p: ok\ncontent: "hi"\nresult: chat.completion (finish_reason stop): "hi"'


MANY = """
class Action:
    async def action(self, body, __event_emitter__, __event_call__):
        for i in range(COUNT):
            await __event_emitter__({"type": "status", "data": {"description": f"step {i}", "done": False}})
            if i == ASK:
                await __event_call__({"type": "confirmation", "data": {"title": "Go?", "message": "m"}})
        return "done"
"""


def many(count: int, ask: int = -1) -> Simulation:
    source = MANY.replace("COUNT", str(count)).replace("ASK", str(ask))
    return simulate(actionkit.load(source, id="many"), replies=[True])


def test_long_event_lists_are_folded_in_the_views_and_kept_in_the_simulation() -> None:
    sim = many(1000, ask=500)
    assert len(sim.events) == 1000 and len(sim.message["statusHistory"]) == 1000
    lines = sim.transcript().splitlines()
    assert lines[1] == "  status: step 0"
    assert lines[100] == "  status: step 99"
    assert lines[101] == "  … 881 more events and calls (all kept in sim.events and sim.event_calls)"
    assert lines[102] == "  status: step 980"
    assert lines[121] == "  status: step 999"
    assert lines[122:] == ['content: "Hello! How can I help you today?"', 'result: "done"']
    html = sim._repr_mimebundle_()["text/html"]
    history = re.search(r'<div class="ak-history">(.*?)</div></details>', html)
    assert history is not None
    rows = re.findall(r"<div[^>]*>([^<]*)</div>", history.group(1))
    assert len(rows) == 121
    assert rows[100] == "… 880 more statuses (all kept in sim.message)"
    assert '<span class="ak-shimmer">step 999</span>' in html and rows[-1] == "step 999"
    assert "… 880 more events (all kept in sim.events)" in html
    assert "step 500" not in html and "step 500" not in sim.transcript()


def test_event_lists_up_to_the_fold_are_shown_whole() -> None:
    sim = many(119, ask=3)
    lines = sim.transcript().splitlines()
    assert len(lines) == 1 + 120 + 2
    assert lines[5] == '  call confirmation: {"title": "Go?", "message": "m"} -> true'
    assert "more events" not in sim._repr_mimebundle_()["text/html"]


def test_a_long_content_is_cut_in_the_html_and_kept_whole() -> None:
    src = (
        "class Action:\n    async def action(self, body, __event_emitter__):\n"
        "        await __event_emitter__({'type': 'replace', 'data': {'content': 'y' * 150_000}})\n"
    )
    sim = simulate(actionkit.load(src, id="long"))
    assert sim.content == "y" * 150_000
    html = sim._repr_mimebundle_()["text/html"]
    assert "y" * 100_000 + "… (50,000 more characters in sim.content)" in html
    assert "y" * 100_001 not in html


def test_reading_a_streams_content_leaves_its_chunk_objects_unparsed_until_read() -> None:
    pipe = actionkit.load(
        "class Pipe:\n    def pipe(self, body):\n        yield 'a'\n        yield 'b'\n", id="p2"
    )
    sim = simulate(pipe, stream=True)
    assert sim.content == "ab"
    assert type(sim.__dict__["_result"]).__name__ == "Deferred"
    assert [c["choices"][0]["delta"].get("content") for c in sim.result] == ["a", "b", None]
    assert sim.result is sim.result
