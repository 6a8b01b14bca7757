"""The simulation's HTML reads like the Open WebUI message, with the run's dialogs, toasts and logs."""

from __future__ import annotations

import re

import pytest

import actionkit
from actionkit.store import Store

PUBLISHER = '''"""
title: Publisher
icon_url: data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=
"""
class Action:
    async def action(self, body, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Preparing", "done": False}})
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Publish?", "message": "Goes **live**"}})
        await __event_emitter__({"type": "message", "data": {"content": "\\n\\n**Published:** [1]"}})
        await __event_emitter__({"type": "citation", "data": {"document": ["t"], "metadata": [{"source": "https://www.example.com/p"}], "source": {"name": "Post"}}})
        await __event_emitter__({"type": "notification", "data": {"type": "success", "content": "Post published"}})
        await __event_emitter__({"type": "chat:message:follow_ups", "data": {"follow_ups": ["Share it?"]}})
        await __event_emitter__({"type": "status", "data": {"description": "Published", "done": True}})
'''

RUNNING = """
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Step one", "done": False}})
        await __event_emitter__({"type": "status", "data": {"description": "Still going", "done": False}})
"""


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


def _html(sim: actionkit.Simulation) -> str:
    return sim._repr_mimebundle_()["text/html"]


def test_content_is_markdown_with_the_citation_chip(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(PUBLISHER, id="pub"), replies=[True], store=store))
    content = page.split('class="ak-content"')[1].split("</div>")[0]
    assert "<strong>Published:</strong>" in content and "**" not in content
    assert '<span class="cite" title="source 1">example.com</span>' in page
    assert (
        "<summary>1 Source</summary>" in page and '<span class="n">1</span>https://www.example.com/p' in page
    )


def test_the_latest_status_shows_with_the_history_folded_under_it(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(PUBLISHER, id="pub"), replies=[True], store=store))
    folded = re.search(r'<details class="ak-status"><summary>(.*?)</summary>(.*?)</details>', page)
    assert folded is not None
    assert "Published" in folded.group(1) and "Preparing" not in folded.group(1)
    assert "<div>Preparing</div><div>Published</div>" in folded.group(2)
    assert "ak-shimmer" not in folded.group(1)  # done


def test_an_unfinished_status_looks_unfinished(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(RUNNING, id="running"), store=store))
    summary = re.search(r'<details class="ak-status"><summary>(.*?)</summary>', page)
    assert summary is not None
    assert '<span class="ak-shimmer">Still going</span>' in summary.group(1)
    assert "ak-spin" in summary.group(1)


def test_a_dialog_is_shown_where_it_came_in_the_run(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(PUBLISHER, id="pub"), replies=[True], store=store))
    dialog = page.index('class="ak-dialog"')
    assert dialog < page.index('class="ak-content"')
    assert "dialog 1 · after 1 event" in page
    assert "Goes <strong>live</strong>" in page  # the page renders the dialog message as Markdown
    assert '<span class="btn main chosen">Confirm</span>' in page
    timeline = re.search(r'<ol class="ak-timeline">(.*?)</ol>', page)
    assert timeline is not None
    items = re.findall(r'<li class="(event|call)">([^<]*)</li>', timeline.group(1))
    assert [kind for kind, _ in items][:3] == ["event", "call", "event"]


def test_toasts_follow_ups_and_the_action_button_row(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(PUBLISHER, id="pub"), replies=[True], store=store))
    assert '<div class="ak-toast success">' in page and "Post published" in page
    assert '<div class="ak-followups"><div class="h">Follow up</div><div class="q">Share it?</div>' in page
    button = re.search(r'<span class="ak-button clicked" title="Publisher"><img src="([^"]+)"', page)
    assert button is not None and button.group(1).startswith("data:image/svg+xml")


def test_an_unanswered_dialog_fades_both_buttons(store: Store) -> None:
    page = _html(actionkit.simulate(actionkit.load(PUBLISHER, id="pub"), store=store))
    assert '<span class="btn faded">Cancel</span><span class="btn main faded">Confirm</span>' in page


def test_a_filter_error_shows_once(store: Store) -> None:
    source = "class Filter:\n    def inlet(self, body):\n        raise ValueError('inlet broke')\n"
    sim = actionkit.simulate(actionkit.load(source, id="broken"), store=store)
    page = _html(sim)
    assert page.count('class="ak-error"') == 1
    visible = page.split("<summary>Traceback</summary>")[0]
    assert visible.count("inlet broke") == 1


def test_files_embeds_and_html_in_events_are_safe(store: Store) -> None:
    source = """
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "files", "data": {"files": [
            {"type": "image", "url": "data:image/png;base64,iVBORw0KGgo=", "name": "chart.png"},
            {"type": "file", "url": "/api/v1/files/1", "name": "report.pdf", "size": 2048}]}})
        await __event_emitter__({"type": "embeds", "data": {"embeds": ["<b onclick=x>hi</b>"]}})
        await __event_emitter__({"type": "message", "data": {"content": "<script>alert(1)</script>"}})
"""
    page = _html(actionkit.simulate(actionkit.load(source, id="files"), store=store))
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="chart.png">' in page
    assert "report.pdf" in page and "2.0 KB" in page
    assert 'sandbox="allow-scripts allow-forms allow-popups" srcdoc="&lt;b onclick=x&gt;hi&lt;/b&gt;"' in page
    assert "<script>alert" not in page


def test_secrets_are_masked_in_the_rendered_message(store: Store) -> None:
    source = """
from pydantic import BaseModel, Field
class Action:
    class Valves(BaseModel):
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})
    def __init__(self):
        self.valves = self.Valves()
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "message", "data": {"content": f"**key** {self.valves.api_key}"}})
        await __event_emitter__({"type": "notification", "data": {"content": self.valves.api_key}})
        print("using", self.valves.api_key)
"""
    sim = actionkit.simulate(
        actionkit.load(source, id="keyed"), valves={"api_key": "sk-secret-123"}, store=store
    )
    page = _html(sim)
    assert "sk-secret-123" not in page and "sk-secret-123" not in sim.transcript()
    assert "<strong>key</strong> ••••••" in page
