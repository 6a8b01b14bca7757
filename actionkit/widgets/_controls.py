"""One ipywidgets row per valve field: label, default/custom switch, the control, its message.

A field is either *default* (not stored; the code's default applies, as Open WebUI's "Default"
toggle) or *custom* (stored). Editing the control makes it custom; the switch back to default
clears it. Secret values stay in the kernel: the password box never receives a stored value and is
emptied once what was typed has been taken.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..secrets import MASK
from ._fields import FieldSpec
from ._values import InputError, format_json, format_number, parse_json, parse_number

_ERROR_STYLE = "color:#b00020"
_NOTE_STYLE = "color:#8a5a00"
_NOT_AN_OPTION = -1
INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()


def _layout(**kwargs: Any) -> Any:
    return w.Layout(**kwargs)


_TIPS = {
    False: "Default: not stored, the code's default applies. Edit the value (or click) to set your own.",
    True: "Custom: this value is stored. Click to go back to the code's default.",
}


def mark(toggle: Any, custom: bool) -> None:
    """Show on a field's switch whether it holds a stored value (as Open WebUI's Default/Custom)."""
    toggle.value = custom
    toggle.description = "Custom" if custom else "Default"
    toggle.button_style = "info" if custom else ""
    toggle.tooltip = _TIPS[custom]


def _switch() -> Any:
    toggle = w.ToggleButton(value=False, layout=_layout(width="78px", flex="0 0 78px"))
    toggle.add_class("actionkit-switch")
    mark(toggle, False)
    return toggle


def _box(width: str) -> Any:
    """An input that is ``width`` wide where there is room and shrinks in narrow columns."""
    return w.Layout(width=width, flex=f"0 1 {width}", min_width="90px")


class FieldControl:
    """Edits one non-group field."""

    def __init__(self, spec: FieldSpec, on_change: Callable[[FieldControl], None]) -> None:
        self.spec = spec
        self.custom = False
        self.input_error: str | None = None
        self._on_change = on_change
        self._quiet = 0
        self._secret: Any = None  # kernel-side value of a password field
        self._stray: Any = None  # a value that is not one of the dropdown options
        self.toggle = _switch()
        self.toggle.observe(self._toggled, names="value")
        self.inputs = self._build()
        self.message = w.HTML("", layout=_layout(margin="0 0 0 8px", flex="1 1 160px", min_width="0"))
        self.label = w.HTML(_label_html(spec), layout=_layout(flex="0 1 200px", min_width="120px"))
        self.widget: Any = w.HBox(
            [self.label, self.toggle, *self.inputs, self.message],
            layout=_layout(align_items="center", flex_flow="row wrap", max_width="100%"),
        )
        self.widget.add_class("actionkit-field")
        self.widget.add_class(f"actionkit-field-{spec.name}")
        self.show(custom=False, value=spec.default)

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> list[Any]:
        spec, kind = self.spec, self.spec.kind
        if kind == "checkbox":
            self.main = w.Checkbox(value=False, indent=False, layout=_layout(width="auto"))
        elif kind == "slider":
            cls = w.IntSlider if spec.number == "int" else w.FloatSlider
            self.slider = cls(
                min=spec.minimum,
                max=spec.maximum,
                step=spec.step,
                readout=False,
                continuous_update=False,
                layout=_layout(width="220px", flex="1 1 120px", min_width="100px"),
            )
            self.slider.observe(self._slid, names="value")
            self.main = w.Text(continuous_update=False, layout=_layout(width="90px", flex="0 0 90px"))
            self.main.observe(self._edited, names="value")
            return [self.slider, self.main]
        elif kind == "dropdown":
            self.main = w.Dropdown(options=self._dropdown_options(), layout=_box("220px"))
        elif kind == "password":
            self.main = w.Password(continuous_update=False, layout=_box("310px"))
        elif kind == "tags":
            self.main = w.TagsInput(value=[], allow_duplicates=False, layout=_box("310px"))
        elif kind == "color":
            self.main = w.ColorPicker(concise=False, value="#000000", layout=_box("310px"))
        elif kind in ("textarea", "json"):
            rows = 4 if kind == "textarea" else 2
            self.main = w.Textarea(rows=rows, layout=_box("310px"))
        else:  # text, number
            width = "120px" if kind == "number" else "310px"
            self.main = w.Text(layout=_box(width))
        if kind == "number":
            fallback = "whole number" if spec.number == "int" else "number"
            self.main.placeholder = spec.bounds_text() or fallback
        self.main.observe(self._edited, names="value")
        return [self.main]

    def _dropdown_options(self) -> list[tuple[str, int]]:
        options = [(o.label, i) for i, o in enumerate(self.spec.options)]
        if self._stray is not None:
            options.append((f"⚠ {format_json(self._stray)} (not an option)", _NOT_AN_OPTION))
        return options

    # -- showing a value ------------------------------------------------------------------------

    def show(self, *, custom: bool, value: Any) -> None:
        """Put ``value`` in the control without triggering a change (a stored or default value)."""
        self._quiet += 1
        try:
            self.custom = custom
            self.input_error = None
            mark(self.toggle, custom)
            self._put(value)
        finally:
            self._quiet -= 1
        self.show_message(None)

    def _put(self, value: Any) -> None:
        spec, kind = self.spec, self.spec.kind
        if kind == "checkbox":
            self.main.value = bool(value)
        elif kind == "slider":
            self.main.value = format_number(value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                low, high = self.slider.min, self.slider.max
                self.slider.value = min(max(value, low), high)
            else:
                self.slider.value = self.slider.min
        elif kind == "dropdown":
            index = next((i for i, o in enumerate(spec.options) if o.value == value), None)
            stray = value if index is None and value is not None else None
            if stray != self._stray:
                self._stray = stray
                self.main.options = self._dropdown_options()
            self.main.value = _NOT_AN_OPTION if stray is not None else index
        elif kind == "password":
            self._secret = value
            self.main.value = ""
            self.main.placeholder = f"{MASK} (type to replace)" if value not in (None, "") else ""
        elif kind == "tags":
            self.main.value = [str(v) for v in value] if isinstance(value, list) else []
        elif kind == "color":
            self.main.value = value if isinstance(value, str) and value else "#000000"
        elif kind == "json":
            self.main.value = "" if value is None and not spec.has_default else format_json(value)
        elif kind == "number":
            self.main.value = format_number(value)
        else:
            self.main.value = "" if value is None else str(value)

    def show_message(self, message: str | None, *, note: bool = False) -> None:
        notes = [f'<span style="{_NOTE_STYLE}">{html.escape(n)}</span>' for n in self.spec.notes]
        parts = [*notes]
        if message:
            style = _NOTE_STYLE if note else _ERROR_STYLE
            parts.insert(0, f'<span style="{style}">✗ {html.escape(message)}</span>')
        text = "<br>".join(parts)
        if self.message.value != text:
            self.message.value = text

    # -- reading --------------------------------------------------------------------------------

    def read(self) -> Any:
        """The value the control holds now; :class:`InputError` when it cannot be one."""
        kind = self.spec.kind
        if kind in ("slider", "number"):
            return parse_number(self.spec, self.main.value)
        if kind == "json":
            return parse_json(self.main.value)
        if kind == "dropdown":
            if self.main.value == _NOT_AN_OPTION:
                raise InputError(
                    f"{format_json(self._stray)} is not one of the options: "
                    + ", ".join(o.label for o in self.spec.options)
                )
            if self.main.value is None:
                raise InputError("choose one of the options")
            return self.spec.options[self.main.value].value
        if kind == "password":
            return self._secret if self._secret is not None else ""
        if kind == "tags":
            return list(self.main.value)
        if kind == "checkbox":
            return bool(self.main.value)
        return self.main.value

    def collect(self, errors: dict[str, str], prefix: str = "") -> Any:
        """The value, or ``INVALID`` with the reason put in ``errors`` under the field's path."""
        try:
            return self.read()
        except InputError as exc:
            errors[prefix + self.spec.name] = str(exc)
            return INVALID

    # -- events ---------------------------------------------------------------------------------

    def _slid(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._quiet += 1
        try:
            self.main.value = format_number(change["new"])
        finally:
            self._quiet -= 1
        self._became_custom()

    def _edited(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        kind = self.spec.kind
        if kind == "password":
            typed = change["new"]
            if typed == "":
                return
            self._secret = typed
            self._quiet += 1
            try:  # keep the secret in the kernel only
                self.main.value = ""
                self.main.placeholder = f"{MASK} (type to replace)"
            finally:
                self._quiet -= 1
        elif kind == "slider":
            try:
                value = parse_number(self.spec, change["new"])
            except InputError:
                pass
            else:
                if self.slider.min <= value <= self.slider.max:
                    self._quiet += 1
                    try:
                        self.slider.value = value
                    finally:
                        self._quiet -= 1
        elif kind == "dropdown" and change["new"] != _NOT_AN_OPTION and self._stray is not None:
            self._stray = None
            self._quiet += 1
            try:
                self.main.options = self._dropdown_options()
                self.main.value = change["new"]
            finally:
                self._quiet -= 1
        self._became_custom()

    def _became_custom(self) -> None:
        if not self.custom:
            self.custom = True
            self._quiet += 1
            try:
                mark(self.toggle, True)
            finally:
                self._quiet -= 1
        self._on_change(self)

    def _toggled(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if change["new"]:
            self.custom = True
            mark(self.toggle, True)
        else:
            self.show(custom=False, value=self.spec.default)
        self._on_change(self)


class GroupControl:
    """A nested model: its fields in an indented block; custom when any of them is."""

    def __init__(self, spec: FieldSpec, on_change: Callable[[Any], None]) -> None:
        self.spec = spec
        self.input_error: str | None = None
        self._on_change = on_change
        self.children: list[FieldControl | GroupControl] = [
            make_control(child, self._child_changed) for child in spec.children
        ]
        self.toggle = _switch()
        self.toggle.observe(self._toggled, names="value")
        self.message = w.HTML("")
        self._quiet = 0
        header = w.HBox(
            [
                w.HTML(_label_html(spec), layout=_layout(flex="0 1 200px", min_width="120px")),
                self.toggle,
                self.message,
            ],
            layout=_layout(align_items="center"),
        )
        body = w.VBox(
            [c.widget for c in self.children],
            layout=_layout(margin="0 0 0 24px", border_left="2px solid #ddd", padding="0 0 0 8px"),
        )
        self.widget: Any = w.VBox([header, body])
        self.widget.add_class("actionkit-group")
        self.widget.add_class(f"actionkit-field-{spec.name}")
        self.show(custom=False, value=spec.default)

    @property
    def custom(self) -> bool:
        return any(c.custom for c in self.children)

    def show(self, *, custom: bool, value: Any) -> None:
        given = value if custom and isinstance(value, dict) else {}
        defaults = self.spec.default if isinstance(self.spec.default, dict) else {}
        for child in self.children:
            name = child.spec.name
            if name in given:
                child.show(custom=True, value=given[name])
            else:
                child.show(custom=False, value=defaults.get(name, child.spec.default))
        self._sync_toggle()
        self.show_message(None)

    def read(self) -> dict[str, Any]:
        return {c.spec.name: c.read() for c in self.children if c.custom}

    def collect(self, errors: dict[str, str], prefix: str = "") -> Any:
        path = f"{prefix}{self.spec.name}."
        values = {c.spec.name: c.collect(errors, path) for c in self.children if c.custom}
        return INVALID if any(v is INVALID for v in values.values()) else values

    def leaves(self, prefix: str = "") -> list[tuple[str, FieldControl | GroupControl]]:
        """Every control under this group with its dotted path (the group itself first)."""
        found: list[tuple[str, FieldControl | GroupControl]] = [(prefix + self.spec.name, self)]
        for child in self.children:
            if isinstance(child, GroupControl):
                found.extend(child.leaves(f"{prefix}{self.spec.name}."))
            else:
                found.append((f"{prefix}{self.spec.name}.{child.spec.name}", child))
        return found

    def show_message(self, message: str | None, *, note: bool = False) -> None:
        style = _NOTE_STYLE if note else _ERROR_STYLE
        text = f'<span style="{style}">✗ {html.escape(message)}</span>' if message else ""
        if self.message.value != text:
            self.message.value = text

    def _sync_toggle(self) -> None:
        self._quiet += 1
        try:
            mark(self.toggle, self.custom)
        finally:
            self._quiet -= 1

    def _child_changed(self, child: Any) -> None:
        self._sync_toggle()
        self._on_change(self)

    def _toggled(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if not change["new"]:
            self.show(custom=False, value=None)
        else:
            self._sync_toggle()  # a group becomes custom by editing one of its fields
        self._on_change(self)


def make_control(spec: FieldSpec, on_change: Callable[[Any], None]) -> FieldControl | GroupControl:
    if spec.kind == "group":
        return GroupControl(spec, on_change)
    return FieldControl(spec, on_change)


def _label_html(spec: FieldSpec) -> str:
    required = ' <span style="color:#b00020" title="required">*</span>' if spec.required else ""
    title = f'<b title="{html.escape(spec.name)}">{html.escape(spec.title)}</b>{required}'
    if spec.description:
        title += (
            '<br><span style="color:#666;font-size:85%;line-height:1.2">'
            f"{html.escape(spec.description)}</span>"
        )
    return f'<div style="line-height:1.3">{title}</div>'
