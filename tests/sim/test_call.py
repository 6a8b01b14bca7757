"""The options of a call: one frozen object whose signature is that of simulate and asimulate."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from actionkit.runtimes import asimulate, simulate
from actionkit.sim import Call


def test_call_takes_target_and_body_by_position_and_every_other_option_by_name() -> None:
    parameters = list(inspect.signature(Call).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in dataclasses.fields(Call)]
    assert [p.kind for p in parameters[:2]] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * 2
    assert {p.kind for p in parameters[2:]} == {inspect.Parameter.KEYWORD_ONLY}
    assert {p.name: p.default for p in parameters[1:]} == {
        f.name: f.default for f in dataclasses.fields(Call)[1:]
    }
    for entry in (simulate, asimulate):
        assert list(inspect.signature(entry).parameters.values()) == parameters


def test_a_call_holds_what_it_was_given_and_cannot_be_changed() -> None:
    call = Call("target", {"a": 1}, hook="inlet", timeout=2.0)
    assert (call.target, call.body, call.hook, call.timeout, call.stream) == (
        "target",
        {"a": 1},
        "inlet",
        2.0,
        False,
    )
    assert call == Call("target", {"a": 1}, hook="inlet", timeout=2.0)
    assert dataclasses.replace(call, hook="outlet").hook == "outlet"
    with pytest.raises(dataclasses.FrozenInstanceError):
        call.hook = "outlet"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing 1 required positional argument: 'target'"),
        (("t",), {"bogus": 1}, "got an unexpected keyword argument 'bogus'"),
        (("t", None, "inlet"), {}, "takes from 2 to 3 positional arguments but 4 were given"),
    ],
    ids=["no-target", "unknown-option", "option-by-position"],
)
def test_wrong_arguments_are_refused_as_python_refuses_them(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Call(*args, **kwargs)  # type: ignore[arg-type]
