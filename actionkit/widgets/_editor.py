"""The valves editor: a form for a function's ``Valves`` or one user's ``UserValves``, bound to the store.

Every change is validated at once (per-field messages, a form-level state). Save writes the
explicitly set fields through the store with the host's semantics; Reset returns to what is stored;
a field switched to *default* is not stored. Nothing invalid is ever saved.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import StoreError, ValvesError
from ..host import DEFAULT_USER_ID
from ..secrets import MaskedValues
from ._controls import INVALID, FieldControl, GroupControl, make_control
from ._fields import FieldSpec, field_specs
from ._follow import changed, follow
from ._values import noted_bad_defaults, secret_paths, summary, validate

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store, ToolStore

_OK = "color:#1b7f3b"
_BAD = "color:#b00020"
_WARN = "color:#8a5a00"

Control = FieldControl | GroupControl


class ValvesEditor:
    """Edit ``fn.Valves`` (``user=False``) or ``fn.UserValves`` for ``user_id`` (``user=True``)."""

    def __init__(
        self,
        fn: Function,
        *,
        user: bool = False,
        store: Store | None = None,
        user_id: str | None = None,
    ) -> None:
        self.fn = fn
        self.user = user
        self.what = "UserValves" if user else "Valves"
        model = fn.UserValves if user else fn.Valves
        if model is None:
            raise ValvesError(
                f"{fn.id} has no {self.what} class, so there is nothing to edit",
                function_id=fn.id,
                hint=f"declare `class {self.what}(BaseModel): ...` inside the {fn.type.title()} class",
            )
        self.model = model
        self.store = store
        self.user_id = user_id or DEFAULT_USER_ID
        self.specs: list[FieldSpec] = field_specs(model, user=_user_dict(self.user_id))
        # Defaults that break their own field's rules: the function runs with them until set.
        self.bad_defaults = noted_bad_defaults(model, self.specs)
        self.secrets = frozenset(secret_paths(self.specs))
        self.stored: dict[str, Any] = {}
        self.values: MaskedValues = MaskedValues(secrets=self.secrets)
        self.errors: dict[str, str] = {}
        self.unknown: list[str] = []
        self.store_note = ""
        self._listeners: list[Callable[[ValvesEditor], None]] = []
        self._building = True
        self.controls: list[Control] = [make_control(s, self._changed) for s in self.specs]
        self._paths = _paths(self.controls)
        self._build_widgets()
        self._building = False
        self.reload()
        if store is not None:
            follow(store.rows_of(fn), fn.id, self._store_changed)

    # -- public API ---------------------------------------------------------------------------------

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def dirty(self) -> bool:
        """Unsaved edits: what the form holds differs from what is stored."""
        return bool(self.errors) or self.values != {
            k: v for k, v in self.stored.items() if k not in self.unknown
        }

    @property
    def bound(self) -> bool:
        """Whether Save can write: the function is in the store."""
        return self.store is not None and not self.store_note

    def on_change(self, callback: Callable[[ValvesEditor], None]) -> None:
        """Call ``callback(editor)`` after every edit (valid or not)."""
        self._listeners.append(callback)

    def control(self, name: str) -> Control:
        """The control of a field, by name or dotted path (``group.child``)."""
        try:
            return self._paths[name]
        except KeyError:
            raise ValvesError(
                f"{self.model.__name__} has no field {name!r}; fields: {', '.join(self._paths)}",
                function_id=self.fn.id,
            ) from None

    def set(self, name: str, value: Any) -> None:
        """Set a field as if typed in (the field becomes custom) and validate."""
        control = self.control(name)
        control.show(custom=True, value=value)
        self._changed(control)

    def clear(self, name: str) -> None:
        """Switch a field to *default*: it will not be stored."""
        control = self.control(name)
        control.show(custom=False, value=control.spec.default)
        self._changed(control)

    def save(self) -> MaskedValues:
        """Store the explicitly set fields (host semantics); returns what was stored (its text
        form masks secrets)."""
        if self.errors:
            raise ValvesError(
                f"not saved: {len(self.errors)} field(s) of {self.fn.id}.{self.what} need fixing: "
                + "; ".join(f"{k}: {v}" for k, v in self.errors.items()),
                function_id=self.fn.id,
                errors=dict(self.errors),
            )
        store = self._writable_store()
        if self.user:
            stored = store.set_user_valves(self.fn.id, self.user_id, dict(self.values))
        else:
            stored = store.set_valves(self.fn.id, dict(self.values))
        self.stored = dict(stored)
        self.unknown = []
        self._show(self.stored)
        self._update_status("saved")
        changed(store, self.fn.id, "user_valves" if self.user else "valves", source=self)
        return MaskedValues(stored, self.secrets)

    def reset(self) -> None:
        """Back to the stored values (unsaved edits are dropped)."""
        self.reload()

    def reload(self, *, keep_edits: bool = False) -> None:
        """Read the stored values again; with ``keep_edits`` unsaved edits stay in the form."""
        edits = dict(self.values) if keep_edits and self.dirty and not self.errors else None
        self.stored = self._read_store()
        names = {s.name for s in self.specs}
        self.unknown = sorted(k for k in self.stored if k not in names)
        self._show(edits if edits is not None else self.stored)
        self._update_status()

    def _store_changed(self, what: str) -> None:
        """Another view saved this function's valves, or its source was registered again."""
        if what == "source" or what == ("user_valves" if self.user else "valves"):
            self.reload(keep_edits=True)

    def set_user(self, user_id: str) -> None:
        """Edit another user's UserValves."""
        if not self.user:
            raise ValvesError("only a UserValves editor has a user", function_id=self.fn.id)
        self.user_id = user_id or DEFAULT_USER_ID
        if self.user_box.value != self.user_id:
            self.user_box.value = self.user_id
        self.reload()

    # -- display ------------------------------------------------------------------------------------

    def summary_line(self) -> str:
        """One line: the values the next run uses (secrets masked) and how many fields need fixing."""
        shown = {
            path: summary(control.spec, self.values[path])
            for path, control in self._paths.items()
            if path in self.values
        }
        who = f" of user {self.user_id!r}" if self.user else ""
        state = "" if self.valid else f" ({len(self.errors)} field(s) to fix)"
        values = ", ".join(f"{k}={v}" for k, v in shown.items()) or "defaults"
        return f"{self.what}{who}: {values}{state}"

    def text(self) -> str:
        """Deterministic plain-text rendering (secrets masked)."""
        who = f" for user {self.user_id!r}" if self.user else ""
        state = "valid" if self.valid else f"{len(self.errors)} problem(s)"
        saved = "unsaved changes" if self.dirty else "saved"
        if not self.bound:
            saved = "not in the store"
        lines = [f"{self.what} of {self.fn.id}{who}: {len(self.specs)} field(s), {state}, {saved}"]
        for path, control in self._paths.items():
            if isinstance(control, GroupControl):
                lines.append(f"  {path}: ({'custom' if control.custom else 'default'} group)")
                continue
            spec = control.spec
            value = self._current(path, control)
            mark = "*" if spec.required else ""
            line = f"  {path}{mark}: {summary(spec, value)} ({'custom' if control.custom else 'default'})"
            if path in self.errors:
                line += f" ✗ {self.errors[path]}"
            elif not control.custom and path in self.bad_defaults:
                line += f" ⚠ {self.bad_defaults[path]}"
            lines.append(line)
        if self.unknown:
            lines.append(f"  stored but no longer fields: {', '.join(self.unknown)} (dropped on save)")
        if self.store_note:
            lines.append(f"  {self.store_note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        self.reload(keep_edits=True)  # reflect changes made elsewhere
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle

    # -- internals ----------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.user_box = w.Combobox(
            value=self.user_id,
            options=self._known_users(),
            description="user id",
            ensure_option=False,
            continuous_update=False,
            layout=w.Layout(width="260px"),
        )
        self.user_box.observe(self._user_changed, names="value")
        self.title = w.HTML(f"<b>{html.escape(self.what)}</b> of <code>{html.escape(self.fn.id)}</code>")
        self.status = w.HTML("")
        self.notes = w.HTML("")
        self.save_button = w.Button(description="Save", icon="save", button_style="primary")
        self.reset_button = w.Button(description="Reset", icon="undo")
        self.save_button.on_click(lambda _: self._save_clicked())
        self.reset_button.on_click(lambda _: self.reset())
        header = [self.title, self.user_box] if self.user else [self.title]
        self.widget = w.VBox(
            [
                w.HBox(header, layout=w.Layout(align_items="center")),
                *[c.widget for c in self.controls],
                self.notes,
                w.HBox(
                    [self.save_button, self.reset_button, self.status], layout=w.Layout(align_items="center")
                ),
            ],
            layout=w.Layout(border="1px solid #ddd", padding="6px", margin="4px 0"),
        )
        self.widget.add_class("actionkit-valves")
        self.widget.add_class("actionkit-uservalves" if self.user else "actionkit-adminvalves")

    def _rows(self) -> Store | ToolStore | None:  # a Tool's valves are in the store's tools
        return self.store.rows_of(self.fn) if self.store is not None else None

    def _known_users(self) -> list[str]:
        users = {DEFAULT_USER_ID, self.user_id}
        rows = self._rows()
        if self.user and self.bound and rows is not None:
            with contextlib.suppress(StoreError):
                users.update(rows.user_ids(self.fn.id))
        return sorted(users)

    def _read_store(self) -> dict[str, Any]:
        self.store_note = ""
        rows = self._rows()
        if rows is None:
            self.store_note = "no store: Save is off"
            return {}
        if self.fn.id not in rows:
            self.store_note = (
                f"{self.fn.id} is not in the store yet: run its %%action cell or Store.save(fn) "
                "to save valves"
            )
            return {}
        if rows.get(self.fn.id).content != self.fn.content:
            self.store_note = (
                "this code differs from the stored version: Save validates against the stored code"
            )
        if self.user:
            return dict(rows.user_valves(self.fn.id, self.user_id))
        return dict(rows.valves(self.fn.id))

    def _writable_store(self) -> Store | ToolStore:
        rows = self._rows()
        if rows is None or self.fn.id not in rows:
            raise StoreError(
                f"{self.fn.id} is not in the store, so its {self.what} cannot be saved",
                function_id=self.fn.id,
                hint="run its %%action cell or Store.save(fn) first",
            )
        return rows

    def _show(self, values: dict[str, Any]) -> None:
        for control in self.controls:
            name = control.spec.name
            if name in values and values[name] is not None:
                control.show(custom=True, value=values[name])
            else:
                control.show(custom=False, value=control.spec.default)
        self._evaluate()

    def _current(self, path: str, control: FieldControl) -> Any:
        if not control.custom:
            return control.spec.default
        try:
            return control.read()
        except ValueError:
            return control.main.value if control.spec.kind != "password" else None

    def _evaluate(self) -> None:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for control in self.controls:
            if control.custom:
                value = control.collect(errors)
                if value is not INVALID:
                    values[control.spec.name] = value
        secret = frozenset(s.name for s in self.specs if s.secret)
        for path, message in validate(self.model, values, secret=secret).items():
            root = path.split(".")[0]
            if root in errors or any(p.startswith(root + ".") for p in errors):
                continue  # already explained by what was typed
            errors.setdefault(path, message)
        self.values, self.errors = MaskedValues(values, self.secrets), errors
        for path, control in self._paths.items():
            control.show_message(errors.get(path))
        form_level = errors.get("(form)")
        notes = []
        if form_level:
            notes.append(f'<span style="{_BAD}">✗ {html.escape(form_level)}</span>')
        if self.unknown:
            notes.append(
                "stored but no longer fields of the code: "
                f"<code>{html.escape(', '.join(self.unknown))}</code> (dropped on the next save)"
            )
        if self.store_note:
            notes.append(html.escape(self.store_note))
        self.notes.value = "<br>".join(notes)

    def _update_status(self, event: str | None = None) -> None:
        if self.errors:
            count = len(self.errors)
            text = (
                f'<span style="{_BAD}">✗ {count} field{"s" if count > 1 else ""} to fix: '
                + html.escape(", ".join(self.errors))
                + "</span>"
            )
        elif not self.bound:
            text = '<span style="color:#666">✓ valid · not saved anywhere</span>'
        elif self.dirty:
            text = '<span style="color:#8a5a00">✓ valid · unsaved changes</span>'
        else:
            text = f'<span style="{_OK}">✓ {"saved" if event == "saved" else "valid · saved"}</span>'
        broken = [name for name in self.bad_defaults if name not in self.values]
        if not self.errors and broken:
            text += (
                f' <span style="{_WARN}">· ⚠ the default of {html.escape(", ".join(broken))} '
                "breaks its own rule</span>"
            )
        self.status.value = text
        self.save_button.disabled = bool(self.errors) or not self.bound or not self.dirty
        self.reset_button.disabled = not self.dirty

    def _changed(self, control: Any) -> None:
        if self._building:
            return
        self._evaluate()
        self._update_status()
        for callback in list(self._listeners):
            callback(self)

    def _save_clicked(self) -> None:
        try:
            self.save()
        except (ValvesError, StoreError) as exc:
            self.status.value = f'<span style="{_BAD}">✗ not saved: {html.escape(str(exc))}</span>'

    def _user_changed(self, change: dict[str, Any]) -> None:
        new = str(change["new"] or "").strip()
        if new and new != self.user_id:
            self.set_user(new)


def _paths(controls: list[Control]) -> dict[str, Control]:
    paths: dict[str, Control] = {}
    for control in controls:
        if isinstance(control, GroupControl):
            paths.update(control.leaves())
        else:
            paths[control.spec.name] = control
    return paths


def _user_dict(user_id: str) -> dict[str, Any]:
    """The user handed to select-option methods (``__user__``/``user``), like the host's user dump."""
    return {"id": user_id, "name": user_id, "email": f"{user_id}@localhost", "role": "admin"}
