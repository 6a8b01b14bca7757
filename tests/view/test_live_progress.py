"""``simulate()`` in a notebook cell draws the run as it happens, and never under static rendering."""

from __future__ import annotations

from typing import Any

import pytest

import actionkit
import actionkit.runtimes as runtimes
from actionkit.store import Store
from actionkit.view import LiveProgress, live_progress

SLOW_PIPE = """
import asyncio
class Pipe:
    async def pipe(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Thinking", "done": False}})
        for word in ["Hello", " **big**", " world"]:
            await asyncio.sleep(0.01)
            yield word
        await __event_emitter__({"type": "status", "data": {"description": "Done", "done": True}})
"""


class FakeCell:
    """Stands in for a notebook output: what was shown and each update of it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, str]] = []

    def show(self, bundle: dict[str, str]) -> FakeCell:
        self.frames.append(bundle)
        return self

    def update(self, bundle: dict[str, str], raw: bool = False) -> None:
        assert raw
        self.frames.append(bundle)


def test_a_streaming_pipe_is_drawn_while_it_runs_then_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    cell = FakeCell()
    seen: list[str] = []
    monkeypatch.setattr(
        runtimes,
        "live_progress",
        lambda then: LiveProgress(cell.show, then=then, redraw_every=0.0),
    )
    sim = actionkit.simulate(
        actionkit.load(SLOW_PIPE, id="slow"),
        stream=True,
        store=Store(":memory:"),
        on_record=lambda kind, item: seen.append(kind),
    )
    assert sim.ok and sim.content == "Hello **big** world"
    html = [frame.get("text/html", "") for frame in cell.frames]
    assert any('<span class="ak-shimmer">Thinking</span>' in h and "<p>Hello</p>" in h for h in html)
    assert any("<p>Hello <strong>big</strong></p>" in h for h in html)
    assert cell.frames[-1] == {"text/plain": ""}  # cleared: the result is displayed once, when final
    assert seen.count("chunk") >= 3  # the caller's own observer still hears every record


def test_no_live_view_outside_an_interactive_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTIONKIT_RENDER", raising=False)
    assert live_progress() is None  # plain Python: no kernel to draw in


def test_no_live_view_under_static_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    class Kernelled(InteractiveShell):
        kernel: Any = object()

    shell = Kernelled.instance()
    try:
        monkeypatch.setenv("ACTIONKIT_RENDER", "static")
        assert live_progress() is None
        monkeypatch.setenv("ACTIONKIT_RENDER", "")
        assert isinstance(live_progress(), LiveProgress)
    finally:
        Kernelled.clear_instance()
    del shell


def test_in_a_real_kernel_the_cell_shows_the_run_then_the_result(tmp_path: Any) -> None:
    """A real ipykernel: display updates from the simulation thread reach the running cell."""
    import os

    from jupyter_client.manager import start_new_kernel

    env = {k: v for k, v in os.environ.items() if k != "ACTIONKIT_RENDER"}
    env["ACTIONKIT_STORE"] = str(tmp_path / "store.db")
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        code = (
            "import actionkit\n"
            f"fn = actionkit.load({SLOW_PIPE.replace('0.01', '0.15')!r}, id='slow')\n"
            "actionkit.simulate(fn, stream=True)"
        )
        msg_id = client.execute(code)
        kinds: list[tuple[str, str]] = []
        while True:
            msg = client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind in ("display_data", "update_display_data", "execute_result"):
                kinds.append(
                    (kind, content["data"].get("text/html", "") + content["data"].get("text/plain", ""))
                )
            assert kind != "error", content
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert kinds[0][0] == "display_data" and "actionkit-live" in kinds[0][1]
    assert any(kind == "update_display_data" and "actionkit-live" in text for kind, text in kinds)
    assert kinds[-2] == ("update_display_data", "")  # cleared
    assert kinds[-1][0] == "execute_result" and "pipe slow (stream): ok" in kinds[-1][1]
