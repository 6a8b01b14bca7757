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
        tab.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            yield tab
        finally:
            tab.screenshot(path=str(ARTIFACTS / "browser-final.png"), full_page=True)
            browser.close()


def _stored_valves(store: Path, function_id: str) -> dict[str, Any]:
    from actionkit.store import Store

    with Store(store) as s:
        return s.valves(function_id) if function_id in s else {}


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
