from __future__ import annotations

import json
import re

import pytest

from actionkit import load
from actionkit.errors import StoreError, ValvesError
from actionkit.function import Function
from actionkit.store import Store
from actionkit.widgets import Editors, ValvesEditor, editors_for, valves_editor

SOURCE = """
from typing import Literal, Optional
from pydantic import BaseModel, Field

class Inner(BaseModel):
    depth: int = 1
    label: str = "x"

class Action:
    class Valves(BaseModel):
        temperature: float = Field(0.7, ge=0, le=2, description="How creative")
        count: int = Field(3, ge=1, le=10)
        retries: int = Field(2, ge=0)
        mode: Literal["fast", "slow"] = "fast"
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})
        tags: list[str] = []
        extra: dict = {}
        note: Optional[str] = None
        inner: Inner = Inner()

    class UserValves(BaseModel):
        nickname: str = "friend"
        loud: bool = False

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return body
"""


@pytest.fixture
def fn(store: Store) -> Function:
    function = load(SOURCE, id="tuner")
    store.save(function)
    return function


def editor(fn: Function, store: Store, **kwargs: object) -> ValvesEditor:
    return ValvesEditor(fn, store=store, **kwargs)  # type: ignore[arg-type]


def test_editor_starts_from_stored_values_and_marks_them_custom(fn: Function, store: Store) -> None:
    store.set_valves("tuner", {"count": 4, "mode": "slow"})
    ed = editor(fn, store)
    assert ed.values == {"count": 4, "mode": "slow"}
    assert ed.control("count").custom and ed.control("count").main.value == "4"
    assert not ed.control("temperature").custom
    assert ed.control("temperature").slider.value == 0.7
    assert ed.valid and not ed.dirty


def test_moving_the_slider_updates_the_number_box_and_makes_the_field_custom(
    fn: Function, store: Store
) -> None:
    ed = editor(fn, store)
    ed.control("count").slider.value = 7
    assert ed.control("count").main.value == "7"
    assert ed.control("count").custom and ed.control("count").toggle.description == "Custom"
    assert ed.values == {"count": 7} and ed.dirty and not ed.save_button.disabled


def test_typing_in_the_number_box_moves_the_slider(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("temperature").main.value = "1.5"
    assert ed.control("temperature").slider.value == 1.5
    assert ed.values == {"temperature": 1.5}


def test_out_of_range_number_is_reported_next_to_the_field_and_not_saved(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("count").main.value = "12"
    assert ed.errors == {"count": "must be at most 10 (got 12)"}
    assert "must be at most 10" in ed.control("count").message.value
    assert not ed.valid and ed.save_button.disabled
    assert "1 field to fix: count" in ed.status.value
    with pytest.raises(ValvesError, match="count: must be at most 10") as info:
        ed.save()
    assert info.value.errors == {"count": "must be at most 10 (got 12)"}
    assert store.valves("tuner") == {}


def test_text_in_a_number_field_says_what_to_type(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("retries").main.value = "three"
    assert ed.errors == {"retries": "enter a whole number, like 3 (got 'three')"}
    ed.control("retries").main.value = "3"
    assert ed.valid and ed.values == {"retries": 3}
    assert ed.control("retries").message.value == ""


def test_malformed_json_is_reported_and_the_rest_still_validates(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("extra").main.value = '{"a": 1'
    ed.control("count").main.value = "0"
    assert set(ed.errors) == {"extra", "count"}
    assert ed.errors["extra"].startswith("not valid JSON")
    ed.control("extra").main.value = '{"a": 1}'
    ed.control("count").main.value = "2"
    assert ed.valid and ed.values == {"extra": {"a": 1}, "count": 2}


def test_save_stores_only_explicitly_set_fields(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("mode").main.value = 1  # "slow"
    ed.control("tags").main.value = ["a", "b"]
    stored = ed.save()
    assert stored == {"mode": "slow", "tags": ["a", "b"]}
    assert store.valves("tuner") == stored
    assert not ed.dirty and ed.save_button.disabled and "saved" in ed.status.value


def test_switching_a_field_to_default_clears_it_from_the_store(fn: Function, store: Store) -> None:
    store.set_valves("tuner", {"count": 4, "mode": "slow"})
    ed = editor(fn, store)
    ed.control("count").toggle.value = False
    assert ed.control("count").main.value == "3"  # shows the code's default again
    assert ed.values == {"mode": "slow"}
    ed.save()
    assert store.valves("tuner") == {"mode": "slow"}


def test_default_toggle_to_custom_stores_the_default_value_explicitly(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("retries").toggle.value = True
    assert ed.values == {"retries": 2}
    assert ed.save() == {"retries": 2}


def test_reset_returns_to_the_stored_values(fn: Function, store: Store) -> None:
    store.set_valves("tuner", {"count": 4})
    ed = editor(fn, store)
    ed.control("count").main.value = "99"
    ed.control("mode").main.value = 1
    ed.reset()
    assert ed.values == {"count": 4} and ed.valid and not ed.dirty
    assert ed.control("mode").main.value == 0 and not ed.control("mode").custom


def test_nested_model_saves_only_its_set_fields(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("inner.depth").main.value = "4"
    assert ed.control("inner").custom and ed.control("inner").toggle.value
    assert ed.save() == {"inner": {"depth": 4}}
    ed.control("inner.depth").main.value = "deep"
    assert ed.errors == {"inner.depth": "enter a whole number, like 3 (got 'deep')"}
    ed.control("inner").toggle.value = False  # the whole group back to default
    assert ed.valid and ed.values == {}
    assert ed.save() == {}


def test_optional_field_default_means_unset_and_custom_empty_text_is_stored(
    fn: Function, store: Store
) -> None:
    ed = editor(fn, store)
    assert not ed.control("note").custom and ed.control("note").main.value == ""
    ed.control("note").toggle.value = True
    assert ed.save() == {"note": ""}
    ed.control("note").main.value = "hello"
    assert ed.save() == {"note": "hello"}


def test_stored_value_that_is_not_an_option_is_shown_and_explained(store: Store) -> None:
    src = SOURCE.replace('Literal["fast", "slow"]', "str").replace(
        'mode: str = "fast"',
        'mode: str = Field("fast", json_schema_extra={"input": {"type": "select", '
        '"options": ["fast", "slow"]}})',
    )
    fn = load(src, id="picky")
    store.save(fn)
    store.set_valves("picky", {"mode": "turbo"})
    ed = editor(fn, store)
    mode = ed.control("mode")
    assert mode.main.options[-1] == ('⚠ "turbo" (not an option)', -1)
    assert ed.errors == {"mode": '"turbo" is not one of the options: fast, slow'}
    mode.main.value = 1
    assert ed.valid and ed.values == {"mode": "slow"}
    assert len(mode.main.options) == 2


def test_values_invalidated_by_a_code_change_are_kept_with_a_message(fn: Function, store: Store) -> None:
    store.set_valves("tuner", {"count": 8, "retries": 1})
    changed = load(SOURCE.replace("le=10", "le=5").replace("retries", "attempts"), id="tuner")
    ed = editor(changed, store)
    assert ed.errors == {"count": "must be at most 5 (got 8)"}
    assert ed.control("count").main.value == "8"  # nothing lost
    assert ed.unknown == ["retries"]
    assert "no longer fields" in ed.notes.value and "differs from the stored version" in ed.notes.value
    assert store.valves("tuner") == {"count": 8, "retries": 1}
    assert "stored but no longer fields: retries (dropped on save)" in ed.text()


def test_user_valves_are_edited_per_user(fn: Function, store: Store) -> None:
    alice = editor(fn, store, user=True, user_id="alice")
    alice.control("nickname").main.value = "Al"
    alice.save()
    bob = editor(fn, store, user=True, user_id="bob")
    assert bob.values == {} and bob.control("nickname").main.value == "friend"
    bob.set_user("alice")
    assert bob.values == {"nickname": "Al"} and bob.user_box.value == "alice"
    bob.user_box.value = "carol"
    assert bob.user_id == "carol" and bob.values == {}
    assert store.user_valves("tuner", "alice") == {"nickname": "Al"}
    assert store.valves("tuner") == {}
    assert "alice" in editor(fn, store, user=True).user_box.options


def test_editor_reflects_changes_made_elsewhere_when_redisplayed(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    store.set_valves("tuner", {"count": 9})
    bundle = ed._repr_mimebundle_()
    assert ed.values == {"count": 9} and ed.control("count").main.value == "9"
    assert "count: 9 (custom)" in bundle["text/plain"]


def test_unsaved_edits_survive_a_redisplay(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.control("mode").main.value = 1
    ed._repr_mimebundle_()
    assert ed.values == {"mode": "slow"} and ed.dirty


def test_password_value_never_reaches_widget_state_or_text(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    key = ed.control("api_key")
    key.main.value = "sk-hunter2"
    assert key.main.value == ""  # taken into the kernel, the box is emptied
    assert "type to replace" in key.main.placeholder
    assert ed.values["api_key"] == "sk-hunter2"
    ed.save()
    assert store.valves("tuner")["api_key"] == "sk-hunter2"
    again = editor(fn, store)
    outputs = [
        again.text(),
        repr(again),
        json.dumps(again._repr_mimebundle_(), default=str),
        repr(again.widget),
        json.dumps(again.control("api_key").main.get_state(), default=str),
        json.dumps({k: str(v) for k, v in again.widget.get_state().items()}),
    ]
    assert not any("hunter2" in text for text in outputs)
    assert "api_key: •••••• (custom)" in again.text()


def test_function_outside_the_store_edits_without_saving(store: Store) -> None:
    fn = load(SOURCE, id="loose")
    ed = editor(fn, store)
    ed.control("count").main.value = "5"
    assert ed.valid and ed.values == {"count": 5}
    assert ed.save_button.disabled and "not in the store" in ed.notes.value
    with pytest.raises(StoreError, match="loose is not in the store"):
        ed.save()


def test_on_change_listeners_see_every_edit(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    seen: list[tuple[dict[str, object], bool]] = []
    ed.on_change(lambda e: seen.append((dict(e.values), e.valid)))
    ed.control("count").main.value = "5"
    ed.control("count").main.value = "50"
    assert seen == [({"count": 5}, True), ({"count": 50}, False)]


def test_set_and_clear_edit_fields_from_code(fn: Function, store: Store) -> None:
    ed = editor(fn, store)
    ed.set("mode", "slow")
    ed.set("inner.label", "y")
    assert ed.values == {"mode": "slow", "inner": {"label": "y"}}
    ed.clear("mode")
    assert ed.values == {"inner": {"label": "y"}}
    with pytest.raises(ValvesError, match="no field 'nope'"):
        ed.set("nope", 1)


def test_text_rendering_is_deterministic_and_lists_every_field(fn: Function, store: Store) -> None:
    first, second = editor(fn, store).text(), editor(fn, store).text()
    assert first == second
    assert first.splitlines()[0] == "Valves of tuner: 9 field(s), valid, saved"
    assert "  temperature: 0.7 (default)" in first and "  inner.depth: 1 (default)" in first
    assert not re.search(r"0x[0-9a-f]{6,}|[0-9a-f]{32}", first)


def test_editors_for_shows_both_editors_or_none(fn: Function, store: Store) -> None:
    both = editors_for(fn, store, user_id="alice")
    assert isinstance(both, Editors)
    assert both.valves is not None and both.user_valves is not None
    assert both.user_valves.user_id == "alice"
    text = both._repr_mimebundle_()["text/plain"]
    assert text.startswith("Valves of tuner") and "UserValves of tuner for user 'alice'" in text
    plain = load("class Action:\n    def action(self, body):\n        return body\n", id="plain")
    assert editors_for(plain, store) is None


def test_valves_editor_accepts_a_stored_id_and_user_flag(fn: Function, store: Store) -> None:
    ed = valves_editor("tuner", user=True, store=store, user_id="zoe")
    assert ed.what == "UserValves" and ed.user_id == "zoe" and ed.fn.id == "tuner"


def test_editor_for_a_function_without_valves_says_what_to_declare(store: Store) -> None:
    plain = load("class Action:\n    def action(self, body):\n        return body\n", id="plain")
    with pytest.raises(ValvesError, match="plain has no Valves class") as info:
        ValvesEditor(plain, store=store)
    assert info.value.hint is not None and "class Valves(BaseModel)" in info.value.hint


def test_values_and_save_result_mask_secrets_in_their_text_form(fn: Function, store: Store) -> None:
    from IPython.lib.pretty import pretty

    ed = editor(fn, store)
    ed.set("api_key", "sk-hunter2")
    ed.set("count", 4)
    saved = ed.save()
    for shown in (repr(ed.values), str(ed.values), pretty(ed.values), repr(saved), pretty(saved)):
        assert "hunter2" not in shown and "'api_key': '••••••'" in shown and "'count': 4" in shown
    assert saved["api_key"] == "sk-hunter2" and ed.values["api_key"] == "sk-hunter2"
    assert dict(saved) == {"api_key": "sk-hunter2", "count": 4}


def test_nested_secret_fields_are_masked_by_path(store: Store) -> None:
    src = """
from pydantic import BaseModel, Field
class Auth(BaseModel):
    token: str = Field("", json_schema_extra={"input": {"type": "password"}})
    user: str = "me"
class Action:
    class Valves(BaseModel):
        auth: Auth = Auth()
    def action(self, body):
        return body
"""
    fn = load(src, id="nested_secret")
    store.save(fn)
    ed = editor(fn, store)
    ed.set("auth.token", "tok-hunter2")
    assert repr(ed.values) == "{'auth': {'token': '••••••'}}"
    assert "hunter2" not in ed.text() and "auth.token: •••••• (custom)" in ed.text()
    assert ed.save() == {"auth": {"token": "tok-hunter2"}}


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from actionkit.function import stored_valves  # noqa: E402

_PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_PROPERTY_SETTINGS
@given(text=st.one_of(st.text(max_size=12), st.integers(-50, 50).map(str), st.floats().map(str)))
def test_any_text_in_a_number_box_is_either_the_hosts_value_or_a_message(fn: Function, text: str) -> None:
    store = Store(":memory:")  # a fresh store per example
    store.save(fn)
    ed = editor(fn, store)
    unchanged = text == ed.control("count").main.value
    ed.control("count").main.value = text
    if unchanged:  # typing what the box already shows changes nothing: still the default
        assert ed.valid and ed.values == {} and not ed.control("count").custom
    elif ed.valid:
        value = ed.values["count"]
        assert stored_valves(fn.Valves, {"count": value}) == {"count": value}
        assert ed.save() == {"count": value}
    else:
        assert set(ed.errors) == {"count"} and ed.errors["count"]
        with pytest.raises(ValvesError):
            ed.save()


@_PROPERTY_SETTINGS
@given(
    text=st.one_of(st.text(max_size=20), st.dictionaries(st.text(max_size=3), st.integers()).map(json.dumps))
)
def test_any_text_in_a_json_box_is_stored_only_when_it_is_an_object(fn: Function, text: str) -> None:
    store = Store(":memory:")  # a fresh store per example
    store.save(fn)
    ed = editor(fn, store)
    unchanged = text == ed.control("extra").main.value
    ed.control("extra").main.value = text
    if unchanged:
        assert ed.valid and ed.values == {}
        return
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
        assert not ed.valid
    if isinstance(parsed, dict):
        assert ed.valid and ed.save() == {"extra": parsed}
    elif text.strip() == "null":  # the host drops None: the field stays unset
        assert ed.valid and ed.save() == {}
    else:
        assert set(ed.errors) == {"extra"} and store.valves("tuner") == {}


def test_a_set_secretstr_is_refused_because_the_host_cannot_store_it(store: Store) -> None:
    src = """
from pydantic import BaseModel, SecretStr
class Action:
    class Valves(BaseModel):
        key: SecretStr = SecretStr("")
        n: int = 1
    def action(self, body):
        return body
"""
    fn = load(src, id="secretstr")
    store.save(fn)
    ed = editor(fn, store)
    assert "cannot store a SecretStr value" in ed.control("key").message.value
    ed.set("n", 2)
    assert ed.valid and ed.save() == {"n": 2}
    ed.control("key").main.value = "sk-hunter2"
    assert ed.errors["key"].startswith("Open WebUI 0.12.4 cannot store a SecretStr")
    assert '{"input": {"type": "password"}}' in ed.errors["key"]
    assert "hunter2" not in ed.text() and store.valves("secretstr") == {"n": 2}


def test_a_default_that_breaks_its_own_bound_is_not_called_valid(store: Store) -> None:
    from actionkit import load
    from actionkit.widgets import ValvesEditor

    source = """
from pydantic import BaseModel, Field
class Action:
    class Valves(BaseModel):
        max_turns: int = Field(20, le=15)
        fine: int = Field(3, le=15)
    def __init__(self):
        self.valves = self.Valves()
    async def action(self, body):
        return self.valves.max_turns
"""
    fn = load(source, id="bounded")
    store.save(fn)
    editor = ValvesEditor(fn, store=store)
    assert editor.bad_defaults == {
        "max_turns": "the default 20 breaks this field's own rule (must be at most 15)"
    }
    assert "⚠ the default of max_turns breaks its own rule" in editor.status.value
    assert (
        "  max_turns: 20 (default) ⚠ the default 20 breaks this field's own rule (must be at most 15)"
        in editor.text()
    )
    assert "fine: 3 (default)\n" in editor.text() + "\n" and "⚠" not in editor.text().split("fine")[1]
    editor.set("max_turns", 10)
    assert "⚠" not in editor.status.value
