from __future__ import annotations

import enum
from typing import Literal, Optional

import pytest
from pydantic import BaseModel, Field, SecretStr, field_validator

from actionkit.widgets._fields import FieldSpec, Option, field_specs, resolve_valves_schema_options
from actionkit.widgets._values import InputError, parse_json, parse_number, summary, validate


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    depth: int = 1
    label: str = "x"


def _by_name(model: type[BaseModel], **kwargs: object) -> dict[str, FieldSpec]:
    return {s.name: s for s in field_specs(model, **kwargs)}  # type: ignore[arg-type]


class Valves(BaseModel):
    enabled: bool = True
    temperature: float = Field(0.7, ge=0, le=2, title="Temperature", description="How creative")
    retries: int = Field(3, ge=0)
    top_k: int = Field(5, gt=0, lt=11)
    ratio: float = Field(0.5, gt=0, lt=1)
    name: str = "short"
    prompt: str = "x" * 100
    mode: Literal["fast", "slow"] = "fast"
    color: Color = Color.RED
    api_key: SecretStr = SecretStr("")
    token: str = Field("", json_schema_extra={"input": {"type": "password"}})
    hidden: str = Field("", json_schema_extra={"writeOnly": True})
    size: str = Field("m", json_schema_extra={"input": {"type": "select", "options": ["s", "m"]}})
    labelled: str = Field(
        "a",
        json_schema_extra={
            "input": {"type": "select", "options": [{"value": "a", "label": "Alpha"}, {"value": "b"}]}
        },
    )
    tags: list[str] = []
    numbers: list[int] = []
    extra: dict[str, int] = {}
    maybe: Optional[int] = Field(None, ge=0, le=9)  # noqa: UP045 - the form authors use
    nested: Inner = Inner()
    needed: str
    tint: str = Field("#FF0000", json_schema_extra={"input": {"type": "color"}})


def test_each_python_type_maps_to_its_control() -> None:
    specs = _by_name(Valves)
    kinds = {name: spec.kind for name, spec in specs.items()}
    assert kinds == {
        "enabled": "checkbox",
        "temperature": "slider",
        "retries": "number",
        "top_k": "slider",
        "ratio": "slider",
        "name": "text",
        "prompt": "textarea",
        "mode": "dropdown",
        "color": "dropdown",
        "api_key": "password",
        "token": "password",
        "hidden": "password",
        "size": "dropdown",
        "labelled": "dropdown",
        "tags": "tags",
        "numbers": "json",
        "extra": "json",
        "maybe": "slider",
        "nested": "group",
        "needed": "text",
        "tint": "color",
    }


def test_title_description_and_required_come_from_the_schema() -> None:
    specs = _by_name(Valves)
    assert specs["temperature"].title == "Temperature"
    assert specs["temperature"].description == "How creative"
    assert specs["top_k"].title == "Top K"
    assert specs["needed"].required and specs["needed"].label == "Needed *"
    assert not specs["name"].required and not specs["needed"].has_default


def test_numeric_bounds_are_read_including_exclusive_ones() -> None:
    specs = _by_name(Valves)
    t = specs["temperature"]
    assert (t.minimum, t.maximum, t.number, t.step) == (0, 2, "float", 0.01)
    k = specs["top_k"]  # gt=0, lt=11 on an int is 1..10 inclusive
    assert (k.minimum, k.maximum, k.step, k.exclusive_minimum) == (1, 10, 1, False)
    r = specs["ratio"]
    assert (r.minimum, r.maximum, r.exclusive_minimum, r.exclusive_maximum) == (0, 1, True, True)
    assert r.bounds_text() == "0 < x < 1"
    assert specs["retries"].bounds_text() == "0 ≤ x"


def test_optional_field_keeps_its_inner_control_and_is_marked_optional() -> None:
    maybe = _by_name(Valves)["maybe"]
    assert maybe.optional and maybe.kind == "slider" and (maybe.minimum, maybe.maximum) == (0, 9)
    assert maybe.has_default and maybe.default is None


def test_dropdown_options_from_literal_enum_and_select_hints() -> None:
    specs = _by_name(Valves)
    assert specs["mode"].options == [Option("fast", "fast"), Option("slow", "slow")]
    assert specs["color"].options == [Option("red", "red"), Option("blue", "blue")]
    assert specs["color"].default == "red"
    assert specs["size"].options == [Option("s", "s"), Option("m", "m")]
    assert specs["labelled"].options == [Option("Alpha", "a"), Option("b", "b")]


def test_nested_model_becomes_a_group_of_its_fields() -> None:
    nested = _by_name(Valves)["nested"]
    assert nested.model is Inner
    assert [(c.name, c.kind) for c in nested.children] == [("depth", "number"), ("label", "text")]
    assert nested.default == {"depth": 1, "label": "x"}


def test_secret_defaults_are_unmasked_for_the_kernel_only() -> None:
    class V(BaseModel):
        key: SecretStr = SecretStr("abc")

    spec = _by_name(V)["key"]
    assert spec.secret and spec.default == "abc"
    assert summary(spec, spec.default) == "••••••"
    assert "abc" not in repr(summary(spec, "abc"))


class Dynamic(BaseModel):
    model: str = Field("", json_schema_extra={"input": {"type": "select", "options": "choices"}})
    personal: str = Field("", json_schema_extra={"input": {"type": "select", "options": "mine"}})
    broken: str = Field("", json_schema_extra={"input": {"type": "select", "options": "nope"}})
    not_list: str = Field("", json_schema_extra={"input": {"type": "select", "options": "tuple_"}})

    @classmethod
    def choices(cls) -> list[dict[str, str]]:
        return [{"value": "gpt", "label": "GPT"}]

    @classmethod
    def mine(cls, __user__: dict[str, str] | None = None) -> list[str]:
        return [f"for-{(__user__ or {}).get('id', 'nobody')}"]

    @classmethod
    def tuple_(cls) -> tuple[str, ...]:
        return ("a",)


def test_select_options_named_by_a_method_are_resolved_like_the_host() -> None:
    specs = _by_name(Dynamic, user={"id": "alice"})
    assert specs["model"].kind == "dropdown"
    assert specs["model"].options == [Option("GPT", "gpt")]
    assert specs["personal"].options == [Option("for-alice", "for-alice")]


def test_unresolvable_select_options_fall_back_to_text_with_a_note() -> None:
    specs = _by_name(Dynamic)
    for name in ("broken", "not_list"):
        assert specs[name].kind == "text"
        assert "did not resolve to a list" in specs[name].notes[0]


def test_host_option_resolution_matches_the_real_function_on_a_schema() -> None:
    schema = Dynamic.model_json_schema()
    resolved = resolve_valves_schema_options(Dynamic, schema, {"id": "bob"})
    assert resolved["properties"]["personal"]["input"] == {"type": "select", "options": ["for-bob"]}
    assert resolved["properties"]["broken"] == schema["properties"]["broken"]
    assert schema["properties"]["model"]["input"]["options"] == "choices"  # original untouched


def test_a_function_object_as_options_is_reported_since_the_host_cannot_serve_it() -> None:
    def options() -> list[str]:
        return ["a"]

    class V(BaseModel):
        pick: str = Field("", json_schema_extra={"input": {"type": "select", "options": options}})
        other: int = 1

    specs = _by_name(V)
    assert specs["other"].kind == "number"
    assert specs["pick"].kind == "text"
    assert any("not JSON" in note for note in specs["pick"].notes)


def test_number_parsing_explains_what_to_type() -> None:
    spec = _by_name(Valves)["retries"]
    assert parse_number(spec, " 4 ") == 4
    assert parse_number(spec, "4.0") == 4
    with pytest.raises(InputError, match="whole number, like 3"):
        parse_number(spec, "four")
    with pytest.raises(InputError, match="without decimals"):
        parse_number(spec, "4.5")
    temp = _by_name(Valves)["temperature"]
    assert parse_number(temp, "1.25") == 1.25
    with pytest.raises(InputError, match="finite"):
        parse_number(temp, "nan")


def test_json_parsing_reports_where_it_broke() -> None:
    assert parse_json('{"a": 1}') == {"a": 1}
    with pytest.raises(InputError, match=r"not valid JSON: .* line 1, column"):
        parse_json('{"a": 1')


def test_validation_messages_are_in_plain_words() -> None:
    errors = validate(
        Valves,
        {"temperature": 5, "mode": "medium", "needed": "x", "nested": {"depth": "deep"}},
    )
    assert errors == {
        "temperature": "must be at most 2 (got 5)",
        "mode": "choose one of: 'fast' or 'slow' (got 'medium')",
        "nested.depth": "enter a whole number, like 3 (got 'deep')",
    }
    assert validate(Valves, {})["needed"] == "required: enter a value"
    assert validate(Valves, {"needed": "x"}) == {}


def test_validation_never_echoes_a_secret_value() -> None:
    class V(BaseModel):
        key: SecretStr = Field(SecretStr(""), min_length=10)

    errors = validate(V, {"key": "hunter2"}, secret=frozenset({"key"}))
    assert errors == {"key": "must be at least 10 characters long"}

    class W(BaseModel):
        key: str = Field("", json_schema_extra={"input": {"type": "password"}}, max_length=3)
        count: int = 0

    errors = validate(W, {"key": "hunter2", "count": "hunter2"}, secret=frozenset({"key"}))
    assert errors == {
        "key": "must be at most 3 characters long",
        "count": "enter a whole number, like 3 (got 'hunter2')",
    }


def test_custom_validator_message_loses_the_pydantic_prefix() -> None:
    class V(BaseModel):
        url: str = "http://x"

        @field_validator("url")
        @classmethod
        def must_be_http(cls, value: str) -> str:
            if not value.startswith("http"):
                raise ValueError("must start with http")
            return value

    assert validate(V, {"url": "ftp://x"}) == {"url": "must start with http"}


def test_a_default_that_is_not_json_is_named_without_a_memory_address() -> None:
    from pydantic import ConfigDict

    class Thing:
        pass

    class V(BaseModel):
        model_config = ConfigDict(arbitrary_types_allowed=True)
        thing: Thing = Thing()

    spec = _by_name(V)["thing"]
    assert spec.kind == "json" and spec.default == "<Thing object>"


def test_valves_named_like_a_secret_get_a_password_input_and_a_masked_summary() -> None:
    class Keyed(BaseModel):
        OPENAI_API_KEY: str = ""
        api_keys: list[str] = []
        max_tokens: int = 10
        author: str = "me"

    specs = _by_name(Keyed)
    assert (specs["OPENAI_API_KEY"].kind, specs["OPENAI_API_KEY"].secret) == ("password", True)
    assert specs["api_keys"].secret and specs["api_keys"].kind != "password"
    assert not specs["max_tokens"].secret and not specs["author"].secret
    assert summary(specs["api_keys"], ["sk-list-0001"]) == "••••••"
