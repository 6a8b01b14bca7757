"""The playground's layout: the toolbar (Run, Stop, re-run, a tool's method / hook / action /
model, stream), the editors, a tool's arguments and the body on the left, dialogs and the
simulation view on the right."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..function import Tool
from ..host import FILTER_HOOKS

if TYPE_CHECKING:
    from ._playground import Playground

MAIN_ACTION = "(main action)"


def build_layout(pg: Playground, sub_id: str | None, stream: bool) -> None:
    pg.run_button = w.Button(description="Run", icon="play", button_style="success")
    pg.run_button.add_class("actionkit-run")
    pg.run_button.on_click(lambda _: pg.run())
    pg.stop_button = w.Button(description="Stop", icon="stop", disabled=True)
    pg.stop_button.on_click(lambda _: pg.stop())
    pg.auto = w.Checkbox(value=pg.rerun_on_change, description="re-run on valve change", indent=False)
    pg.status = w.HTML("")
    pg.status.add_class("actionkit-status")
    tools: list[Any] = [pg.run_button, pg.stop_button, pg.auto]
    pg.selector = None
    pg.stream_box = None
    if pg.arguments is not None:
        methods = pg.fn.methods if isinstance(pg.fn, Tool) else []
        current = pg.arguments.method
        pg.selector = w.Dropdown(
            options=methods if current in methods else [*methods, current],
            value=current,
            description="method",
        )
        pg.selector.observe(pg.arguments.picked, names="value")
    elif pg.fn.type == "filter":
        present = [h for h in FILTER_HOOKS if callable(getattr(pg.fn.instance, h, None))]
        options = present or [pg.hook]
        pg.selector = w.Dropdown(options=options, value=pg.hook, description="hook")
        pg.selector.observe(pg._hook_changed, names="value")
    elif pg.fn.type == "action" and pg.fn.sub_actions:
        ids = [str(a["id"]) for a in pg.fn.sub_actions]
        pg.selector = w.Dropdown(
            options=[MAIN_ACTION, *ids],
            value=sub_id if sub_id in ids else MAIN_ACTION,
            description="action",
        )
    elif pg.fn.type == "pipe":
        models = [m["id"].split(".", 1)[1] for m in pg.fn.pipes() if "." in m["id"]]
        if models:
            pg.selector = w.Dropdown(
                options=models, value=sub_id if sub_id in models else models[0], description="model"
            )
        pg.stream_box = w.Checkbox(value=stream, description="stream", indent=False)
    for extra in (pg.selector, pg.stream_box):
        if extra is not None:
            tools.append(extra)
    tools.append(pg.status)
    pg.dialogs = w.VBox([])
    pg.dialogs.add_class("actionkit-dialogs")
    pg.view = w.HTML("")
    pg.view.add_class("actionkit-view")
    pg.left = w.VBox(pg._left_column(), layout=w.Layout(min_width="360px", flex="1 1 50%"))
    pg.widget = w.VBox(
        [
            w.HTML(f"<b>Playground</b> <code>{html.escape(pg.fn.id)}</code> ({pg.fn.type})"),
            w.HBox(tools, layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox(
                [
                    pg.left,
                    w.VBox(
                        [pg.dialogs, pg.view],
                        layout=w.Layout(min_width="420px", flex="1 1 45%", padding="0 0 0 12px"),
                    ),
                ],
                layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
        ]
    )
    pg.widget.add_class("actionkit-playground")
