"""The arguments form of a Tool method in the playground: what the model sends, built from the spec.

One field per parameter the model is given, from the same pydantic model Open WebUI 0.12.4 builds the
spec from (its types, defaults and ``:param`` descriptions); a field is sent only when it is set to
*custom* (required parameters start custom), as the model sends only the arguments it chose. The raw
text box below sends any text instead (malformed JSON included), to see what the host does with it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..function import Tool, tool_function_model
from ._controls import INVALID, make_control
from ._fields import field_specs


class ArgumentsForm:
    """Edit the arguments of one tool call; ``arguments`` is what the model sends."""

    def __init__(
        self,
        tool: Tool,
        method: str,
        arguments: dict[str, Any] | None = None,
        *,
        on_change: Callable[[ArgumentsForm], None] | None = None,
    ) -> None:
        self.tool = tool
        self._on_change = on_change
        self._following = False  # the method picker is being updated for a new source
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.raw = w.Textarea(
            placeholder="or the model's raw argument text (sent as it is when not empty)",
            rows=2,
            layout=w.Layout(width="98%"),
        )
        self.raw.observe(lambda _: self._changed(None), names="value")
        self.fields = w.VBox([])
        self.title = w.HTML("")
        self.widget = w.VBox([self.title, self.fields, self.raw])
        self.widget.add_class("actionkit-tool-arguments")
        self.set_method(method, arguments)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def arguments(self) -> Any:
        """The argument text typed in the raw box, else the dict of the fields set to custom."""
        text = self.raw.value.strip()
        return text if text else dict(self.values)

    def set_method(self, method: str, arguments: dict[str, Any] | None = None) -> None:
        """Show the fields of ``method`` (a name the model calls), filled from ``arguments``."""
        self.method = method
        function = self.tool.method_of(method)
        specs = field_specs(tool_function_model(function)) if function is not None else []
        self.controls = [make_control(spec, self._changed) for spec in specs]
        given = arguments or {}
        for control in self.controls:
            name = control.spec.name
            if name in given:
                control.show(custom=True, value=given[name])
            else:
                control.show(custom=control.spec.required, value=control.spec.default)
        self.fields.children = [control.widget for control in self.controls]
        described = "no parameters" if not self.controls else f"{len(self.controls)} parameter(s)"
        self.title.value = f"<b>Arguments</b> of <code>{html.escape(method)}</code> ({described})"
        self._evaluate()

    def picked(self, change: dict[str, Any]) -> None:
        """The method picker's observer: show the picked method's fields."""
        if not self._following:
            self.set_method(str(change["new"]))

    def follow(self, tool: Tool, picker: Any) -> None:
        """A new version of the tool: its method's fields (the values kept while the method is
        still there, else its first method), and the picker's methods."""
        methods = tool.methods
        method = self.method if self.method in methods else (methods or [""])[0]
        self.tool = tool
        self.set_method(method, dict(self.values) if method == self.method else None)
        if picker is not None:
            self._following = True
            try:
                picker.options = methods if method in methods else [*methods, method]
                picker.value = method
            finally:
                self._following = False

    def call(self) -> dict[str, Any]:
        """The tool call a run makes: ``{"name", "arguments"}``."""
        return {"name": self.method, "arguments": self.arguments}

    def set(self, name: str, value: Any) -> None:
        """Send ``name`` with ``value`` (as if typed in)."""
        control = self._control(name)
        control.show(custom=True, value=value)
        self._changed(control)

    def clear(self, name: str) -> None:
        """Do not send ``name`` (the method's default applies)."""
        control = self._control(name)
        control.show(custom=False, value=control.spec.default)
        self._changed(control)

    def text(self) -> str:
        if self.raw.value.strip():
            return f"arguments of {self.method}: raw text {self.raw.value.strip()!r}"
        shown = json.dumps(self.values, ensure_ascii=False, sort_keys=True, default=str)
        state = "" if self.valid else f" ({len(self.errors)} field(s) to fix)"
        return f"arguments of {self.method}: {shown}{state}"

    def _control(self, name: str) -> Any:
        for control in self.controls:
            if control.spec.name == name:
                return control
        names = ", ".join(c.spec.name for c in self.controls) or "none"
        raise KeyError(f"{self.method} has no parameter {name!r}; its parameters: {names}")

    def _evaluate(self) -> None:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for control in self.controls:
            if control.custom:
                value = control.collect(errors)
                if value is not INVALID:
                    values[control.spec.name] = value
        for control in self.controls:
            control.show_message(errors.get(control.spec.name))
        self.values, self.errors = values, errors

    def _changed(self, control: Any) -> None:
        self._evaluate()
        if self._on_change is not None:
            self._on_change(self)


def arguments_form(
    fn: Any, method: str | None, arguments: dict[str, Any] | None, on_change: Callable[[ArgumentsForm], None]
) -> ArgumentsForm | None:
    """The arguments form of a Tool's playground (``method`` or its first), ``None`` for a function."""
    if not isinstance(fn, Tool):
        return None
    chosen = method if method is not None else (fn.methods[0] if fn.methods else "")
    return ArgumentsForm(fn, chosen, arguments, on_change=on_change)
