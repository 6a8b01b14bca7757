"""The playground: valve editors, a body editor, Run, dialogs for event calls and the simulation view.

Interactive use: each run is a background job (a worker thread awaiting ``asimulate``, which itself
runs on the simulator's loop thread), so the kernel keeps handling widget messages while the
function waits for a dialog; widget updates are posted back to the kernel's loop. A valve change
re-runs after ``debounce`` seconds. With ``ACTIONKIT_RENDER=static`` (tests, nbval) every run is
synchronous and only the final result is shown.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..function import Tool
from ..host import FILTER_HOOKS
from ..view import static_rendering
from ._body import BodyEditor, default_body
from ._dialogs import Dialog
from ._editor import ValvesEditor
from ._follow import follow
from ._group import resolve
from ._layout import MAIN_ACTION, build_layout
from ._live import LiveView
from ._runner import Job, kernel_loop
from ._tool_args import ArgumentsForm, arguments_form
from ._tuning import carry_edits, started_editors

if TYPE_CHECKING:
    from ..function import Function
    from ..sim import Simulation
    from ..store import Store


class Playground:
    """Tune ``fn`` interactively: ``playground(fn, body)``.

    ``hook`` picks a filter hook, ``sub_id`` a sub-action or manifold model, ``stream`` streams a
    pipe, ``method`` a Tool's method (``arguments`` fills the form built from its spec). ``valves`` /
    ``user_valves`` start the editors with these values (unsaved, as if typed; a field the function
    does not have is an error). ``replies`` (list or callable) answers event calls instead of dialogs
    (static runs use it; without it they get the host's no-browser answer). ``call_timeout`` is the
    host's ``WEBSOCKET_EVENT_CALLER_TIMEOUT`` for dialogs (``None``: wait, the 0.12.4 default);
    ``timeout`` bounds each run. ``rerun_on_change``: run again when a valve changes (default: not
    for actions, which usually do something each time they run). The playground follows the store:
    valves saved by another editor and a new version of the source (a re-run ``%%action`` cell) are
    picked up. Other keyword arguments go to ``simulate`` (``user``, ``model``, ``metadata``,
    ``files``, ``task``...).
    """

    # The widgets (made by _layout.build_layout).
    run_button: Any
    stop_button: Any
    auto: Any
    status: Any
    selector: Any
    stream_box: Any
    dialogs: Any
    view: Any
    left: Any
    widget: Any

    def __init__(
        self,
        fn: Function | str,
        body: dict[str, Any] | None = None,
        *,
        hook: str | None = None,
        sub_id: str | None = None,
        stream: bool = False,
        store: Store | None = None,
        user_id: str | None = None,
        replies: Any = None,
        call_timeout: float | None = None,
        timeout: float | None = None,
        debounce: float = 0.3,
        auto_run: bool = True,
        static: bool | None = None,
        valves: dict[str, Any] | None = None,
        user_valves: dict[str, Any] | None = None,
        rerun_on_change: bool | None = None,
        method: str | None = None,
        arguments: dict[str, Any] | None = None,
        **simulate_options: Any,
    ) -> None:

        self.fn, self.store = resolve(fn, store)
        self.static = static_rendering() if static is None else static
        self.replies = replies
        self.call_timeout = call_timeout
        self.timeout = timeout if timeout is not None else (60.0 if self.static else 3600.0)
        self.debounce = debounce
        self.options = simulate_options
        self.simulation: Simulation | None = None
        self.state = "not run yet"
        self.error: str | None = None
        self.runs = 0
        self._generation = 0
        self._job: Job | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        # Static runs finish before run() returns, so their updates are applied at once.
        self._loop, self._loop_thread = (None, None) if self.static else kernel_loop()
        self._secret_replies: set[str] = set()

        self.user_id = user_id
        self.rerun_on_change = self.fn.type != "action" if rerun_on_change is None else rerun_on_change
        self.valves, self.user_valves = self._editors(valves, user_valves)

        self.hook = self._initial_hook(hook)
        self._given_body = body
        self._bodies: dict[str, dict[str, Any]] = {}
        self.body = BodyEditor(self._body_for(self.hook), chat=self.hook != "stream")
        self.arguments = arguments_form(self.fn, method, arguments, self._arguments_changed)
        self._build(sub_id, stream)
        self.live = LiveView()
        follow(self.store.rows_of(self.fn), self.fn.id, self._store_changed)
        if auto_run:
            self.run()

    # -- public API ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._job is not None and not self._job.done.is_set()

    @property
    def dialog(self) -> Dialog | None:
        """The dialog waiting for an answer, if any."""
        return self._job.bridge.current if self._job is not None else None

    def run(self) -> None:
        """Run now (a run in progress is stopped first). Static mode runs to the end before returning."""
        self._cancel_timer()
        self.stop(quiet=True)
        self._follow_source()
        request, problem = self._request()
        if problem is not None:
            self.error = problem
            self.state = "not run"
            self._post(self._draw_status)
            return
        self.error = None
        self._generation += 1
        job = Job(self, self._generation, request)
        self._job = job
        self.runs += 1
        self.state = "running"
        self.live.reset()
        self._post(self._draw_running)
        job.start()
        if self.static:
            job.done.wait()

    def wait(self, timeout: float | None = None) -> Simulation | None:
        """Block until the current run ends (for scripts and tests; a cell that waits for a dialog
        answer would block the clicks it waits for)."""
        job = self._job
        if job is not None and not job.done.wait(timeout):
            raise TimeoutError("the playground run did not finish in time")
        return self.simulation

    def stop(self, *, quiet: bool = False) -> None:
        """Stop the current run (its dialogs close; nothing it did later is shown)."""
        job = self._job
        if job is None or job.done.is_set():
            return
        job.cancel()
        self._generation += 1
        self.state = "stopped"
        if not quiet:
            self._post(self._draw_status)

    def text(self) -> str:
        """Deterministic plain text: what the next run uses, and the last run's transcript."""
        lines = [f"Playground {self.fn.id} ({self._target_text()})"]
        lines += [editor.summary_line() for editor in (self.valves, self.user_valves) if editor is not None]
        if self.arguments is not None:
            lines.append(self.arguments.text())
        if self.error:
            lines.append(f"{'failed' if self.state == 'failed' else 'not run'}: {self.error}")
        elif self.simulation is not None and self.state == "done":
            lines.append(self.simulation.transcript())
        else:
            lines.append(self.state)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle

    # -- building -----------------------------------------------------------------------------------

    def _initial_hook(self, hook: str | None) -> str:
        if self.fn.type in ("action", "tool"):
            return self.fn.type
        if self.fn.type == "pipe":
            return "pipe"
        present = [h for h in FILTER_HOOKS if callable(getattr(self.fn.instance, h, None))]
        if hook is not None:
            return hook
        return "inlet" if "inlet" in present or not present else present[0]

    def _build(self, sub_id: str | None, stream: bool) -> None:
        build_layout(self, sub_id, stream)

    def _left_column(self) -> list[Any]:
        left = [e.widget for e in (self.valves, self.user_valves) if e is not None]
        if self.arguments is not None:
            left.append(self.arguments.widget)
        left.append(w.HTML("<b>Request body</b>"))
        left.append(self.body.widget)
        return left

    def _editors(
        self, valves: dict[str, Any] | None, user_valves: dict[str, Any] | None
    ) -> tuple[ValvesEditor | None, ValvesEditor | None]:
        return started_editors(
            self.fn, self.store, self.user_id, valves, user_valves, on_change=self._valves_changed
        )

    def _store_changed(self, what: str) -> None:
        if what == "source":
            self._post(self._follow_source)

    def _follow_source(self) -> None:
        """Pick up a newer stored source of the function (unsaved valve and argument edits are kept)."""
        rows = self.store.rows_of(self.fn)
        if self.fn.id not in rows:
            return
        if rows.get(self.fn.id).content == self.fn.content:
            return
        self.fn = rows.load(self.fn.id)
        old = (self.valves, self.user_valves)
        self.valves, self.user_valves = self._editors(None, None)
        carry_edits(old, (self.valves, self.user_valves))
        if isinstance(self.fn, Tool) and self.arguments is not None:
            self.arguments.follow(self.fn, self.selector)
        self.left.children = self._left_column()

    def _body_for(self, hook: str) -> dict[str, Any]:
        if hook not in self._bodies:
            given = self._given_body
            same_shape = given is not None and (hook == "stream") == (self.hook == "stream")
            self._bodies[hook] = (
                dict(given) if same_shape and given is not None else default_body(self.fn, hook)
            )
        return self._bodies[hook]

    def _arguments_changed(self, form: ArgumentsForm) -> None:
        if form.valid and self.auto.value and self.static:
            self.run()

    def _hook_changed(self, change: dict[str, Any]) -> None:
        self._bodies[self.hook] = self.body.body
        self.hook = str(change["new"])
        new = BodyEditor(self._body_for(self.hook), chat=self.hook != "stream")
        self.body.widget.children = new.widget.children
        self.body = new

    # -- running ------------------------------------------------------------------------------------

    def _request(self) -> tuple[dict[str, Any], str | None]:
        for editor in (self.valves, self.user_valves):
            if editor is not None and not editor.valid:
                fields = ", ".join(editor.errors)
                return {}, f"fix the {editor.what} first ({fields})"
        if not self.body.valid:
            return {}, f"fix the request body first ({self.body.error})"
        if self.arguments is not None and not self.arguments.valid:
            return {}, f"fix the arguments first ({', '.join(self.arguments.errors)})"
        options: dict[str, Any] = dict(self.options)
        options.update(
            body=self.body.body,
            valves=dict(self.valves.values) if self.valves is not None else None,
            user_valves=dict(self.user_valves.values) if self.user_valves is not None else None,
            timeout=self.timeout,
            store=self.store,
        )
        if self.arguments is not None:
            options["tool_call"] = self.arguments.call()
        elif self.fn.type == "filter":
            options["hook"] = self.hook
        elif self.selector is not None and self.selector.value != MAIN_ACTION:
            options["sub_id"] = self.selector.value
        if self.stream_box is not None:
            options["stream"] = bool(self.stream_box.value)
        return options, None

    def _valves_changed(self, editor: ValvesEditor) -> None:
        if not editor.valid or not self.auto.value:
            return
        if self.static or self.debounce <= 0:
            self.run()
            return
        self._cancel_timer()
        timer = threading.Timer(self.debounce, lambda: self._post(self.run))
        timer.daemon = True
        self._timer = timer
        timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _finished(self, generation: int, sim: Simulation | None, error: str | None) -> None:
        if generation != self._generation:
            return  # a stopped or superseded run
        if sim is not None:
            if self._secret_replies:
                sim.secret_values = frozenset(sim.secret_values | self._secret_replies)
            self.simulation = sim
            self.state = "done"
        else:
            self.state = "failed"
        self.error = error
        self._draw_result()

    def _dialog_answered(self, dialog: Dialog) -> None:
        if dialog.secret and dialog.future.done() and not dialog.future.cancelled():
            reply = dialog.future.result()
            if isinstance(reply, str) and reply:
                self._secret_replies.add(reply)
        if self.running:
            self._draw_running()

    def _show_dialog(self, dialog: Dialog | None) -> None:
        self.dialogs.children = [dialog.widget] if dialog is not None else []
        if dialog is not None:
            self._draw_running()

    def _record(self, generation: int, kind: str, item: Any) -> None:
        if generation != self._generation:
            return
        if self.live.add(kind, item):
            self._post(self._draw_running)

    # -- drawing (on the kernel's loop) ---------------------------------------------------------------

    def _draw_running(self) -> None:
        waiting = self.dialog is not None
        self.status.value = (
            '<span style="color:#5b7bd5">waiting for your answer…</span>'
            if waiting
            else '<span style="color:#666">running…</span>'
        )
        self.stop_button.disabled = self.static
        self.view.value = self.live.html()

    def _draw_status(self) -> None:
        self.stop_button.disabled = not self.running
        if self.error:
            self.status.value = f'<span style="color:#b00020">✗ {html.escape(self.error)}</span>'
        else:
            self.status.value = f'<span style="color:#666">{html.escape(self.state)}</span>'
        self.dialogs.children = []

    def _draw_result(self) -> None:
        self._draw_status()
        sim = self.simulation
        if self.state == "done" and sim is not None:
            outcome = "✓ ok" if sim.ok else "✗ error"
            count = f"run {self.runs}: {outcome}, {len(sim.events)} event(s), {len(sim.event_calls)} call(s)"
            self.status.value = f'<span style="color:#333">{html.escape(count)}</span>'
            self.view.value = sim._repr_mimebundle_()["text/html"]

    def _target_text(self) -> str:
        if self.arguments is not None:
            return f"tool {self.arguments.method}"
        if self.fn.type == "filter":
            return f"filter {self.hook}"
        if self.selector is not None and self.selector.value not in (MAIN_ACTION, None):
            return f"{self.fn.type} {self.selector.value}"
        if self.stream_box is not None and self.stream_box.value:
            return "pipe, streaming"
        return self.fn.type

    def _post(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` where widgets are updated: the kernel's loop when there is one."""
        loop = self._loop
        if (
            loop is None
            or loop.is_closed()
            or not loop.is_running()
            or threading.get_ident() == self._loop_thread
        ):
            fn()
            return
        loop.call_soon_threadsafe(fn)
