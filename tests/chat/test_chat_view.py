"""A chat turn reads like the Open WebUI chat: what each filter changed, the answer as the page shows it."""

from __future__ import annotations

import re

import actionkit
from actionkit import Chat, MockModel

EDITING_INLET = """
class Filter:
    def inlet(self, body):
        body["messages"][-1]["content"] += " (be brief)"
        body["added_by_filter"] = True
        return body
"""

SHOUTING_OUTLET = """
class Filter:
    def outlet(self, body):
        print("outlet saw", len(body["messages"]), "messages")
        body["messages"][-1]["content"] = body["messages"][-1]["content"].upper()
        return body
"""

SUMMARIZER = """
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Summarizing", "done": True}})
        await __event_emitter__({"type": "message", "data": {"content": "\\n\\n**Summary:** short"}})
"""


def _chat() -> Chat:
    return Chat(
        filters=[actionkit.load(EDITING_INLET, id="brief"), actionkit.load(SHOUTING_OUTLET, id="shout")],
        actions=[actionkit.load(SUMMARIZER, id="summarize")],
        llm=MockModel("Hello\n\n**there**"),
    )


def test_each_filters_change_to_the_body_is_shown() -> None:
    turn = _chat().send("hi")
    text = turn.transcript()
    assert '           body ~ messages[0].content: "hi" -> "hi (be brief)"' in text
    assert "           body + added_by_filter: true" in text
    assert "features" in turn.steps[0].simulations[0].result  # what the filter returned, as it returned it
    assert '           body ~ messages[1].content: "Hello\\n\\n**there**" -> "HELLO\\n\\n**THERE**"' in text
    page = turn._repr_mimebundle_()["text/html"]
    assert (
        '<div class="chg">~ messages[0].content: &quot;hi&quot; -&gt; &quot;hi (be brief)&quot;</div>' in page
    )
    assert '<div class="add">+ added_by_filter: true</div>' in page


def test_the_turn_shows_the_answer_rendered_with_the_action_buttons() -> None:
    turn = _chat().send("hi")
    page = turn._repr_mimebundle_()["text/html"]
    assert '<div class="ak-user"><div>hi</div></div>' in page
    assert "<p>HELLO</p>\n<p><strong>THERE</strong></p>" in page
    assert '<span class="ak-button" title="summarize">' in page
    assert "\\n" not in page.split('class="ak-msg"')[1].split("ak-logs")[0]
    assert '<span class="s stdout">stdout shout</span><span>outlet saw 2 messages</span>' in page


def test_clicking_an_action_returns_a_step_that_shows_itself() -> None:
    turn = _chat().send("hi")
    step = turn.click("summarize")
    bundle = step._repr_mimebundle_()
    assert bundle["text/plain"].splitlines()[0] == "action summarize on turn 1: ok, 2 events"
    assert "assistant now: " in bundle["text/plain"]
    page = bundle["text/html"]
    assert "<strong>Summary:</strong> short" in page
    assert '<span class="ak-button clicked" title="summarize">' in page
    assert re.search(r"<summary><span>Summarizing</span>", page) is None  # one status: no fold
    assert "Summarizing" in page
    assert repr(step) == "<Step action summarize ok: 2 events>"


def test_chat_table_is_a_grid_with_readable_records() -> None:
    chat = _chat()
    chat.send("hi")
    page = chat._repr_mimebundle_()["text/html"]
    assert '<div class="ak-steps"><span class="stage">inlet</span><span class="fn">brief</span>' in page
    assert "<table" not in page.split("ak-content")[0]
    assert "color:#1b5e20" not in page  # records are not JSON in green
