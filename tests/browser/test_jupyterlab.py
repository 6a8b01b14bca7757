"""The widgets in a real JupyterLab, driven in headless Chromium by Playwright.

Needs ``jupyterlab`` and ``playwright`` (PyPI) and Debian's ``chromium`` at /usr/bin/chromium (no
``playwright install``). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 90_000

TUNER = """%%action tuner
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        count: int = Field(3, ge=1, le=10, description="How many times")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return {"count": self.valves.count}
"""

ASKER = """%%action asker --no-editors
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        level: int = Field(2, ge=0, le=5)

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({"type": "status", "data": {"description": "asking", "done": False}})
        ok = await __event_call__(
            {"type": "confirmation", "data": {"title": "Publish?", "message": "Level is ready"}}
        )
        text = "published by the user" if ok is True else f"not published: {ok!r}"
        await __event_emitter__({"type": "message", "data": {"content": text}})
        await __event_emitter__({"type": "status", "data": {"description": "finished", "done": True}})
        return {"ok": ok}
"""


PUBLISHER = r'''%%action publisher --no-editors
"""
title: Publisher
"""
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Preparing", "done": False}})
        await __event_emitter__({"type": "status", "data": {"description": "🔍 Checking links", "done": False}})
        print("checked 1 link")
        text = "\n\n**Published:** [the post](https://example.com/p) [1]\n\n- reviewed\n- scheduled"
        await __event_emitter__({"type": "message", "data": {"content": text}})
        await __event_emitter__({"type": "citation", "data": {
            "document": ["The post"], "metadata": [{"source": "https://www.example.com/p"}],
            "source": {"name": "The post"}}})
        await __event_emitter__({"type": "notification", "data": {"type": "success", "content": "Post published"}})
        await __event_emitter__({"type": "chat:message:follow_ups", "data": {
            "follow_ups": ["Share it?", "Schedule the next one?"]}})
        await __event_emitter__({"type": "status", "data": {"description": "Published", "done": True}})
        return {"published": True}
'''

STREAMER = r"""%%action streamer --no-editors
import asyncio, os
class Pipe:
    async def pipe(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Writing the answer", "done": False}})
        while not os.path.exists("go-stream"):  # the test says when it watches
            await asyncio.sleep(0.2)
        for piece in ["**Streaming** ", "one ", "word ", "at ", "a ", "time", "\n\n", "- done"]:
            await asyncio.sleep(0.6)
            yield piece
        await __event_emitter__({"type": "status", "data": {"description": "Answered", "done": True}})
"""

BRIEF = r"""%%action brief --no-editors
class Filter:
    def inlet(self, body):
        body["messages"][-1]["content"] += " (answer briefly)"
        return body
"""

TURN = r"""chat = actionkit.Chat(
    filters=["brief"], actions=["publisher"],
    llm=actionkit.MockModel("Here is **the plan**:\n\n1. write\n2. publish"),
)
turn = chat.send("What is the plan?")
turn"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("%load_ext actionkit"),
        nbformat.v4.new_code_cell(TUNER),
        nbformat.v4.new_code_cell(ASKER),
        nbformat.v4.new_code_cell('import actionkit\npg = actionkit.playground("asker")\npg'),
        nbformat.v4.new_code_cell(PUBLISHER),
        nbformat.v4.new_code_cell('actionkit.simulate("publisher")'),
        nbformat.v4.new_code_cell(BRIEF),
        nbformat.v4.new_code_cell(TURN),
        nbformat.v4.new_code_cell('turn.click("publisher")'),
        nbformat.v4.new_code_cell(STREAMER),
        nbformat.v4.new_code_cell('actionkit.simulate("streamer", stream=True, timeout=600)'),
    ]
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    for module in ("playwright", "jupyterlab"):
        pytest.importorskip(module)
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    root = tmp_path_factory.mktemp("lab")
    (root / "work").mkdir()
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    notebook_settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    # Every cell in the page (JupyterLab otherwise leaves cells out of view unrendered).
    (notebook_settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    _notebook(root / "work" / "valves.ipynb")
    store = root / "store.db"
    env = {k: v for k, v in os.environ.items() if k != "ACTIONKIT_RENDER"}  # interactive widgets
    env.update(
        ACTIONKIT_STORE=str(store),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        JUPYTER_CONFIG_DIR=str(root / "config"),
    )
    port = _free_port()
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    command = [
        jupyter,
        "lab",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
        "--allow-root",
        "--LabApp.expose_app_in_browser=True",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root / 'work'}",
        f"--LabApp.user_settings_dir={root / 'settings'}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = open(root / "lab.log", "w")  # noqa: SIM115 - closed in teardown
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log_text = (root / "lab.log").read_text()
                    raise RuntimeError(f"JupyterLab did not start:\n{log_text}") from None
                time.sleep(0.3)
        yield {"url": f"http://127.0.0.1:{port}", "store": store, "root": root}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()


@pytest.fixture(scope="module")
def page(lab: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1500, "height": 1300})
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{lab['url']}/lab/tree/valves.ipynb")
        tab.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }"
        )
        # Not awaited: the streaming cell runs until its test lets it go.
        tab.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        try:
            yield tab
        finally:
            tab.screenshot(path=str(ARTIFACTS / "browser-final.png"), full_page=True)
            browser.close()


def _stored_valves(store: Path, function_id: str) -> dict[str, Any]:
    from actionkit.store import Store

    with Store(store) as s:
        return s.valves(function_id) if function_id in s else {}


def test_a_streaming_pipe_shows_its_progress_then_its_answer(lab: dict[str, Any], page: Any) -> None:
    """First: the streaming cell (the last one) keeps the kernel busy until this test lets it go."""
    live = page.locator(".actionkit-live").filter(has_text="Writing the answer").first
    live.wait_for()
    assert live.locator(".ak-shimmer", has_text="Writing the answer").is_visible()
    (lab["root"] / "work" / "go-stream").write_text("go")
    page.locator(".actionkit-live .ak-content strong", has_text="Streaming").first.wait_for()
    assert live.locator(".ak-content strong", has_text="Streaming").is_visible()
    live.screenshot(path=str(ARTIFACTS / "browser-streaming-live.png"))
    final = page.locator(".actionkit-sim").filter(has_text="streamer").first
    final.wait_for()
    # Cleared: the result shows once (the playground's own live view waits for its dialog).
    assert page.locator(".actionkit-live").filter(has_text="Streaming").count() == 0
    text = final.locator(".ak-content").inner_text()
    assert "Streaming one word at a time" in text
    _no_raw_markup(text)
    final.screenshot(path=str(ARTIFACTS / "browser-streaming-final.png"))


def test_action_cell_shows_the_valve_editor_and_a_slider_move_is_saved(
    lab: dict[str, Any], page: Any
) -> None:
    editor = page.locator(".actionkit-adminvalves").filter(has=page.locator(".actionkit-field-count"))
    handle = editor.locator(".actionkit-field-count .noUi-handle").first
    handle.wait_for()
    assert editor.locator(".actionkit-field-count input[type=text]").first.input_value() == "3"
    handle.focus()
    page.keyboard.press("ArrowRight")
    number_box = editor.locator(".actionkit-field-count input[type=text]").first
    page.wait_for_function("(el) => el.value === '4'", arg=number_box.element_handle())
    save = editor.locator("button", has_text="Save").first
    page.wait_for_function("(el) => !el.disabled", arg=save.element_handle())
    editor.screenshot(path=str(ARTIFACTS / "browser-valves-editor.png"))
    save.click()
    deadline = time.monotonic() + 30
    while _stored_valves(lab["store"], "tuner") != {"count": 4}:
        assert time.monotonic() < deadline, _stored_valves(lab["store"], "tuner")
        time.sleep(0.2)
    editor.locator(".actionkit-field-count", has_text="custom").first.wait_for()
    assert "saved" in editor.inner_text()


def test_playground_confirmation_is_answered_by_clicking(lab: dict[str, Any], page: Any) -> None:
    dialog = page.locator(".actionkit-dialog-confirmation")
    dialog.wait_for()
    assert "Publish?" in dialog.inner_text() and "Level is ready" in dialog.inner_text()
    page.locator(".actionkit-playground").screenshot(path=str(ARTIFACTS / "browser-dialog.png"))
    dialog.locator(".actionkit-confirm").click()
    view = page.locator(".actionkit-playground .actionkit-view")
    view.get_by_text("published by the user").first.wait_for()
    dialog.wait_for(state="detached")
    text = view.inner_text()
    assert "finished" in text
    status = page.locator(".actionkit-playground .actionkit-status").inner_text()
    assert "run 1: ✓ ok" in status
    page.locator(".actionkit-playground").screenshot(path=str(ARTIFACTS / "browser-playground.png"))


def _no_raw_markup(text: str) -> None:
    assert "\\n" not in text and "**" not in text, text


def test_the_card_and_its_editor_fit_the_cell(page: Any) -> None:
    card = page.locator(".actionkit-card").filter(has_text="tuner").first
    card.wait_for()
    assert "saved as version 1" in card.inner_text()
    assert "count" not in card.inner_text()  # the editor right under it shows the values
    card.screenshot(path=str(ARTIFACTS / "browser-card.png"))
    editor = page.locator(".actionkit-adminvalves").first
    outer = editor.bounding_box()
    for row in editor.locator(".actionkit-field").all():
        box = row.bounding_box()
        assert outer is not None and box is not None
        assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 1  # no row overflows


def test_a_simulation_reads_like_the_open_webui_message(page: Any) -> None:
    sim = page.locator(".actionkit-sim").filter(has_text="Post published").first
    sim.wait_for()
    content = sim.locator(".ak-content").first
    assert content.locator("strong", has_text="Published:").is_visible()  # rendered, not **Published:**
    _no_raw_markup(content.inner_text())
    status = sim.locator("details.ak-status")
    assert status.get_attribute("open") is None
    assert status.locator("summary").inner_text().startswith("Published")
    assert not sim.locator(".ak-history").is_visible()  # the history is folded under the latest status
    chip = content.locator(".cite")
    assert chip.is_visible() and chip.inner_text() == "example.com"
    assert sim.locator(".ak-toast.success").inner_text() == "Post published"
    assert sim.locator(".ak-followups").is_visible()
    assert not sim.locator(".ak-log").is_visible()
    assert "1 line (stdout 1)" in sim.locator(".ak-logs summary").inner_text()
    sim.screenshot(path=str(ARTIFACTS / "browser-simulation.png"))
    status.locator("summary").click()
    assert sim.locator(".ak-history").is_visible()
    sim.locator(".ak-logs summary").click()
    assert "checked 1 link" in sim.locator(".ak-log").inner_text()
    sim.screenshot(path=str(ARTIFACTS / "browser-simulation-unfolded.png"))


def test_a_chat_turn_shows_the_filters_change_and_the_answer(page: Any) -> None:
    turn = page.locator(".actionkit-turn").first
    turn.wait_for()
    assert turn.locator(".ak-user").inner_text() == "What is the plan?"
    assert "(answer briefly)" in turn.locator(".ak-diff .chg").first.inner_text()
    answer = turn.locator(".ak-content").first
    assert answer.locator("strong", has_text="the plan").is_visible()
    _no_raw_markup(answer.inner_text())
    assert turn.locator(".ak-button", has_text="Publisher").is_visible()
    turn.screenshot(path=str(ARTIFACTS / "browser-chat-turn.png"))
    step = page.locator(".actionkit-step").first
    step.wait_for()
    assert step.locator(".ak-content strong", has_text="Published:").is_visible()
    assert step.locator(".ak-button.clicked").is_visible()
    step.screenshot(path=str(ARTIFACTS / "browser-step.png"))
