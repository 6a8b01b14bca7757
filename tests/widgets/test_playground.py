from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from actionkit import load
from actionkit.function import Function
from actionkit.store import Store
from actionkit.widgets import Playground, playground
from actionkit.widgets._dialogs import TIMEOUT_REPLY

ASKER = """
from pydantic import BaseModel, Field, SecretStr

class Action:
    class Valves(BaseModel):
        count: int = Field(3, ge=1, le=10)
        api_key: SecretStr = SecretStr("")

    class UserValves(BaseModel):
        nickname: str = "friend"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __user__=None, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({"type": "status", "data": {"description": "asking", "done": False}})
        ok = await __event_call__(
            {"type": "confirmation", "data": {"title": "Go?", "message": f"count {self.valves.count}"}}
        )
        name = __user__["valves"].nickname
        await __event_emitter__(
            {"type": "message", "data": {"content": f" [{ok} {self.valves.count} {name}]"}}
        )
        return {"ok": ok, "count": self.valves.count}
"""

QUIET = """
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        count: int = Field(3, ge=1, le=10)

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "message", "data": {"content": f" n={self.valves.count}"}})
        return self.valves.count
"""


def until(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("condition not reached")


def stored(store: Store, source: str, fn_id: str) -> Function:
    fn = load(source, id=fn_id)
    store.save(fn)
    return fn


def test_confirmation_dialog_is_answered_by_clicking_and_the_run_continues(store: Store) -> None:
    pg = playground(stored(store, ASKER, "asker"), store=store, static=False)
    dialog = until(lambda: pg.dialog)
    assert dialog.type == "confirmation" and "count 3" in dialog.widget.children[0].value
    assert pg.dialogs.children == (dialog.widget,)
    assert "waiting for your answer" in pg.status.value
    dialog.buttons["confirm"].click()
    sim = pg.wait(10)
    assert sim is not None and sim.ok
    assert sim.event_calls[0]["reply"] is True and sim.result == {"ok": True, "count": 3}
    assert sim.content.endswith(" [True 3 friend]")
    assert pg.dialogs.children == () and "run 1: ✓ ok" in pg.status.value
    assert "[True 3 friend]" in pg.view.value


def test_cancel_answers_false_as_the_page_does(store: Store) -> None:
    pg = playground(stored(store, ASKER, "asker"), store=store, static=False)
    until(lambda: pg.dialog).buttons["cancel"].click()
    sim = pg.wait(10)
    assert sim is not None and sim.event_calls[0]["reply"] is False


def test_valve_change_reruns_with_unsaved_values(store: Store) -> None:
    fn = stored(store, QUIET, "quiet")
    pg = playground(fn, store=store, static=False, debounce=0, rerun_on_change=True)
    assert pg.wait(10) is not None
    pg.valves.control("count").slider.value = 7
    until(lambda: pg.runs == 2)
    sim = pg.wait(10)
    assert sim is not None and sim.result == 7 and sim.content.endswith(" n=7")
    assert store.valves("quiet") == {}  # tuning does not save
    assert "Valves: count=7" in pg.text()


def test_user_valve_change_reruns_with_the_new_user_values(store: Store) -> None:
    pg = playground(
        stored(store, ASKER, "asker"),
        store=store,
        static=False,
        debounce=0,
        replies=[True, True],
        rerun_on_change=True,
    )
    pg.wait(10)
    pg.user_valves.control("nickname").main.value = "Zed"
    until(lambda: pg.runs == 2)
    sim = pg.wait(10)
    assert sim is not None and sim.content.endswith("[True 3 Zed]")


def test_debounced_reruns_collapse_quick_changes_into_one_run(store: Store) -> None:
    pg = playground(
        stored(store, QUIET, "quiet"), store=store, static=False, debounce=0.2, rerun_on_change=True
    )
    pg.wait(10)
    for value in (4, 5, 6):
        pg.valves.control("count").slider.value = value
    until(lambda: pg.runs == 2)
    sim = pg.wait(10)
    time.sleep(0.3)  # let any extra (wrong) timer fire before counting runs
    assert pg.runs == 2 and sim is not None and sim.result == 6


def test_invalid_valves_do_not_run_and_say_why(store: Store) -> None:
    pg = playground(stored(store, QUIET, "quiet"), store=store, static=True)
    pg.valves.control("count").main.value = "99"
    pg.run()
    assert pg.error == "fix the Valves first (count)"
    assert "not run: fix the Valves first (count)" in pg.text()
    assert "✗ fix the Valves first" in pg.status.value


def test_malformed_body_does_not_run(store: Store) -> None:
    pg = playground(stored(store, QUIET, "quiet"), store=store, static=True)
    runs = pg.runs
    pg.body.json.value = "{not json"
    pg.run()
    assert pg.runs == runs and pg.error is not None and "fix the request body first" in pg.error


def test_static_mode_runs_at_once_with_given_replies_and_renders_deterministically(
    store: Store,
) -> None:
    fn = stored(store, ASKER, "asker")
    first = Playground(fn, store=store, static=True, replies=[True])
    second = Playground(fn, store=store, static=True, replies=[True])
    assert first.simulation is not None and first.simulation.event_calls[0]["reply"] is True
    assert first.text() == second.text()
    assert first.text().splitlines()[0] == "Playground asker (action)"
    assert "call confirmation" in first.text()
    bundle = first._repr_mimebundle_()
    assert bundle["text/plain"] == first.text()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_static_mode_without_replies_gets_the_no_browser_answer(store: Store) -> None:
    pg = Playground(stored(store, ASKER, "asker"), store=store, static=True)
    assert pg.simulation is not None
    assert pg.simulation.event_calls[0]["reply"] == {"error": "Client session disconnected."}


def test_static_valve_change_reruns_synchronously(store: Store) -> None:
    pg = Playground(stored(store, QUIET, "quiet"), store=store, static=True, rerun_on_change=True)
    pg.valves.set("count", 9)
    assert pg.simulation is not None and pg.simulation.result == 9 and pg.runs == 2


def test_an_action_is_not_rerun_on_every_valve_step_unless_asked(store: Store) -> None:
    """Actions usually do something each time (publish, send): a slider step must not run them."""
    pg = Playground(stored(store, QUIET, "quiet"), store=store, static=True)
    assert pg.auto.value is False
    pg.valves.set("count", 9)
    assert pg.runs == 1 and pg.simulation is not None and pg.simulation.result == 3
    pg.run()
    assert pg.simulation.result == 9
    filt = Playground(stored(store, FILTER, "filt"), store=store, static=True)
    assert filt.auto.value is True  # filters and pipes re-run as valves change


def test_playground_honours_valves_and_user_valves(store: Store) -> None:
    pg = Playground(
        stored(store, ASKER, "asker"),
        store=store,
        static=True,
        replies=[True],
        valves={"count": 7},
        user_valves={"nickname": "Ada"},
    )
    assert pg.simulation is not None and pg.simulation.result == {"ok": True, "count": 7}
    assert pg.simulation.content.endswith("[True 7 Ada]")
    assert store.valves("asker") == {}  # tuning, not saving
    assert "Valves: count=7" in pg.text()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"valves": {"cuont": 2}}, "has no field 'cuont'"),
        ({"valves": {"count": 99}}, "count: must be at most 10"),
        ({"user_valves": {"x": 1}, "fn": "quiet"}, "has no UserValves class"),
    ],
)
def test_playground_refuses_valves_it_cannot_apply(
    store: Store, options: dict[str, Any], message: str
) -> None:
    from actionkit import ValvesError

    source, fn_id = (QUIET, "quiet") if options.pop("fn", None) else (ASKER, "asker")
    with pytest.raises(ValvesError, match=message):
        Playground(stored(store, source, fn_id), store=store, static=True, **options)


def test_playground_follows_valves_saved_elsewhere_and_a_new_source(store: Store) -> None:
    from actionkit.widgets import valves_editor
    from actionkit.widgets._follow import changed

    fn = stored(store, QUIET, "quiet")
    pg = Playground(fn, store=store, static=True)
    other = valves_editor(fn, store=store)
    other.set("count", 5)
    other.save()
    assert pg.valves is not None and pg.valves.values == {"count": 5}  # redrawn from the store
    pg.run()
    assert pg.simulation is not None and pg.simulation.result == 5
    store.save(load(QUIET.replace("n={self.valves.count}", "v2 n={self.valves.count}"), id="quiet"))
    changed(store, "quiet", "source")  # what a re-run %%action cell says
    pg.run()
    assert pg.simulation is not None and pg.simulation.content.endswith(" v2 n=5")


def test_playground_run_uses_the_stored_source_even_without_notice(store: Store) -> None:
    pg = Playground(stored(store, QUIET, "quiet"), store=store, static=True)
    store.save(load(QUIET.replace("n={self.valves.count}", "v2 n={self.valves.count}"), id="quiet"))
    pg.run()
    assert pg.simulation is not None and pg.simulation.content.endswith(" v2 n=3")


def test_an_overtaken_run_does_not_claim_its_dialog_was_answered(store: Store) -> None:
    pg = playground(stored(store, ASKER, "asker"), store=store, static=False)
    until(lambda: pg.dialog)
    pg.run()  # overtakes the run waiting for the dialog
    second = until(lambda: pg.dialog is not None and pg.runs == 2 and pg.dialog)
    html = pg.live.message.html()
    assert html.count('class="ak-dialog"') == 1 and "waiting for an answer" in html
    assert "answer:" not in html
    assert 'class="ak-dialog"' not in pg.live.html()  # the widget dialog is the one to answer
    second.confirm()
    sim = pg.wait(10)
    assert sim is not None and len(sim.event_calls) == 1 and sim.event_calls[0]["reply"] is True


INPUTS = """
class Action:
    async def action(self, body, __event_call__=None, __event_emitter__=None):
        key = await __event_call__({"type": "input", "data": {"title": "Key", "type": "password"}})
        size = await __event_call__(
            {"type": "input", "data": {"title": "Size", "type": "select", "options": ["s", "m"]}}
        )
        out = await __event_call__({"type": "execute", "data": {"code": "return 6*7"}})
        await __event_emitter__({"type": "message", "data": {"content": f"{len(key)} {size} {out}"}})
        return {"key": key, "size": size, "out": out}
"""


def test_password_select_and_execute_dialogs_feed_the_run_and_secrets_stay_masked(
    store: Store,
) -> None:
    pg = playground(stored(store, INPUTS, "inputs"), store=store, static=False)
    key = until(lambda: pg.dialog)
    key.box.value = "hunter2-secret"
    key.buttons["confirm"].click()
    size = until(lambda: pg.dialog if pg.dialog is not key else None)
    size.box.value = 1
    size.buttons["confirm"].click()
    js = until(lambda: pg.dialog if pg.dialog not in (key, size) else None)
    assert "return 6*7" in js.widget.children[1].value
    js.box.value = "42"
    js.buttons["confirm"].click()
    sim = pg.wait(10)
    assert sim is not None and sim.result == {"key": "hunter2-secret", "size": "m", "out": 42}
    shown = [pg.text(), pg.view.value, json.dumps(pg._repr_mimebundle_(), default=str)]
    assert not any("hunter2-secret" in text for text in shown)


def test_event_call_timeout_answers_like_the_host(store: Store) -> None:
    pg = playground(stored(store, ASKER, "asker"), store=store, static=False, call_timeout=0.05)
    sim = pg.wait(10)
    assert sim is not None and sim.event_calls[0]["reply"] == TIMEOUT_REPLY


def test_stop_while_waiting_closes_the_dialog_and_ignores_the_run(store: Store) -> None:
    pg = playground(stored(store, ASKER, "asker"), store=store, static=False)
    dialog = until(lambda: pg.dialog)
    pg.stop()
    until(lambda: not pg.running)
    assert pg.state == "stopped" and pg.simulation is None
    assert dialog.future.cancelled() and pg.dialogs.children == ()
    assert pg.text().endswith("stopped")


FILTER = """
class Filter:
    def inlet(self, body):
        body["messages"][-1]["content"] += " (in)"
        return body

    def stream(self, event):
        return event

    def outlet(self, body):
        body["messages"][-1]["content"] += " (out)"
        return body
"""


def test_filter_hooks_are_chosen_with_their_own_bodies(store: Store) -> None:
    pg = Playground(stored(store, FILTER, "filt"), store=store, static=True)
    assert pg.selector.options == ("inlet", "stream", "outlet")
    assert pg.simulation is not None and pg.simulation.hook == "inlet"
    assert pg.simulation.result["messages"][-1]["content"] == "Hello! (in)"
    pg.selector.value = "outlet"
    pg.run()
    assert pg.simulation.hook == "outlet"
    assert pg.simulation.result["messages"][-1]["content"].endswith(" (out)")
    pg.selector.value = "stream"
    assert pg.body.tabs.titles == ("JSON",) and "choices" in pg.body.body
    pg.run()
    assert pg.simulation.hook == "stream" and pg.simulation.ok
    pg.selector.value = "inlet"
    assert pg.body.body["messages"][-1]["content"] == "Hello!"


PIPE = """
class Pipe:
    def pipes(self):
        return [{"id": "small", "name": "Small"}, {"id": "big", "name": "Big"}]

    def pipe(self, body):
        for word in ["one ", "two ", body["model"]]:
            yield word
"""


def test_pipe_streams_and_picks_the_manifold_model(store: Store) -> None:
    pg = Playground(stored(store, PIPE, "pip"), store=store, static=True, stream=True)
    assert pg.selector.options == ("small", "big")
    sim = pg.simulation
    assert sim is not None and sim.ok and sim.content == "one two pip.small"
    assert sim.chunks[-1] == "data: [DONE]"
    pg.selector.value = "big"
    pg.stream_box.value = False
    pg.run()
    assert pg.simulation.content == "one two pip.big" and not pg.simulation.stream


SUBS = """
class Action:
    actions = [{"id": "one", "name": "One"}, {"id": "two", "name": "Two"}]

    async def action(self, body, __id__=None):
        return __id__
"""


def test_sub_actions_are_offered(store: Store) -> None:
    pg = Playground(stored(store, SUBS, "subs"), store=store, static=True)
    assert pg.selector.options == ("(main action)", "one", "two")
    pg.selector.value = "two"
    pg.run()
    assert pg.simulation is not None and pg.simulation.result == "two"
    assert pg.text().startswith("Playground subs (action two)")


def test_kernel_loop_keeps_running_while_the_function_waits_for_a_dialog(store: Store) -> None:
    fn = stored(store, ASKER, "asker")

    async def notebook() -> Any:
        pg = playground(fn, store=store, static=False)  # created inside the "kernel" loop
        ticks = 0
        while pg.dialog is None:  # the loop keeps turning: widget messages would be handled
            ticks += 1
            await asyncio.sleep(0.01)
        pg.dialog.buttons["confirm"].click()  # a click handled on the kernel loop
        while pg.state != "done":
            ticks += 1
            await asyncio.sleep(0.01)
        return pg.simulation, ticks

    sim, ticks = asyncio.run(notebook())
    assert sim.event_calls[0]["reply"] is True and ticks > 0


def test_playground_accepts_a_stored_id(store: Store) -> None:
    stored(store, QUIET, "quiet")
    pg = playground("quiet", store=store, static=True)
    assert pg.fn.id == "quiet" and pg.simulation is not None and pg.simulation.result == 3


def test_a_body_the_simulator_rejects_is_reported_in_the_playground(store: Store) -> None:
    pg = Playground(stored(store, FILTER, "filt"), store=store, static=True)
    pg.body.json.value = '{"model": "m"}'
    pg.run()
    assert pg.state == "failed" and pg.error is not None
    assert "the body has no 'messages'" in pg.error
    assert "✗ the body has no &#x27;messages&#x27;" in pg.status.value
    assert pg.text().splitlines()[-1].startswith("failed: the body has no 'messages'")


def test_a_function_that_raises_shows_the_hosts_error(store: Store) -> None:
    src = "class Action:\n    async def action(self, body):\n        raise ValueError('boom')\n"
    pg = Playground(stored(store, src, "boom"), store=store, static=True)
    assert pg.simulation is not None and pg.simulation.error == "Error: boom"
    assert "run 1: ✗ error" in pg.status.value and "Error: boom" in pg.text()


def test_live_view_shows_status_and_streamed_text_as_records_arrive(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actionkit.widgets._runner as simulator

    real = simulator.asimulate

    async def observed(fn: Any, body: Any = None, *, on_record: Any = None, **options: Any) -> Any:
        on_record("event", {"type": "status", "data": {"description": "thinking", "done": False}})
        on_record("chunk", 'data: {"choices": [{"delta": {"content": "Hel"}}]}\n\n')
        on_record("chunk", 'data: {"choices": [{"delta": {"content": "lo"}}]}\n\n')
        on_record("event", {"type": "message", "data": {"content": "!"}})
        on_record("chunk", "data: [DONE]")
        return await real(fn, body, **options)

    monkeypatch.setattr(simulator, "asimulate", observed)
    pg = playground(stored(store, QUIET, "quiet"), store=store, static=False, auto_run=False)
    drawn: list[str] = []
    pg.view.observe(lambda change: drawn.append(change["new"]), names="value")
    pg.run()
    pg.wait(10)
    live = [html for html in drawn if "actionkit-live" in html]
    assert any("thinking" in html and "<p>Hello!</p>" in html for html in live)
    assert "n=3" in pg.view.value  # the final view is the simulation's own


def test_live_view_throttles_chunk_redraws_but_not_events() -> None:
    from actionkit.widgets._live import LiveView

    view = LiveView(redraw_every=3600.0)  # no chunk redraw within the hour after an event
    assert view.add("event", {"type": "status", "data": {"description": "a"}})
    redraws = [view.add("chunk", 'data: {"choices": [{"delta": {"content": "x"}}]}') for _ in range(50)]
    assert not any(redraws) and view.content == "x" * 50
    assert LiveView(redraw_every=0.0).add("chunk", "data: [DONE]")
    assert view.add("event", {"type": "replace", "data": {"content": "new"}}) and view.content == "new"
    assert not view.add("unknown", {}) and "running… 2 events" in view.html()


def test_prints_after_an_await_in_a_playground_run_are_kept_with_the_run(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
import asyncio
class Action:
    async def action(self, body):
        print("before the await")
        await asyncio.sleep(0.01)
        print("after the await")
"""
    pg = playground(stored(store, source, "printer"), store=store, static=False)
    sim = pg.wait(10)
    assert sim is not None
    assert [e["text"] for e in sim.logs] == ["before the await", "after the await"]
    assert "after the await" not in capsys.readouterr().out
    assert "Printed and logged: 2 lines (stdout 2)" in pg.view.value
