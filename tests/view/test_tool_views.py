from __future__ import annotations

import actionkit
from actionkit import simulate
from actionkit.view import FunctionCard
from tests._tool_sources import RESULTS, WEATHER


def test_the_card_of_a_tool_lists_the_methods_the_model_is_given() -> None:
    tool = actionkit.load(WEATHER, id="weather")
    bundle = tool._repr_mimebundle_()
    assert bundle["text/plain"].splitlines() == [
        "tool weather — Weather v1.0",
        "  the weather for a city",
        "  valves:",
        '    unit = "C"  (default)',
        '    api_key = ""  (default)',
        "  user valves:",
        '    city_prefix = ""  (default)',
        "  methods:",
        "    get_time(zone: str?) — The time in a zone.",
        "    get_weather(city: str, days: int?) — Get the weather for a city.",
    ]
    assert (
        "<summary>Tool specs</summary>" in bundle["text/html"]
        and "&quot;get_weather&quot;" in bundle["text/html"]
    )


def test_a_tool_without_public_methods_says_the_model_gets_nothing() -> None:
    tool = actionkit.load("class Tools:\n    def _hidden(self):\n        return 1\n", id="empty_tool")
    assert "  methods: none (no public method: the model is given no tool)" in FunctionCard(tool).lines()


def test_a_tool_simulation_snapshot_and_html_carry_the_tool_message_and_embeds() -> None:
    tool = actionkit.load(RESULTS, id="results")
    sim = simulate(tool, tool_call={"name": "give", "arguments": {"kind": "html"}})
    data = sim.to_dict()
    assert data["kind"] == "tool" and data["tool_status"] == "completed" and data["embeds"] == ["<b>hi</b>"]
    assert data["tool_call"]["function"]["name"] == "give"
    page = sim._repr_mimebundle_()["text/html"]
    assert "the model called <code>give</code>" in page and "srcdoc=" in page
    assert 'the model gets <span class="ak-badge ok">completed</span>' in page
    assert "embeds: 1" in sim.transcript()
