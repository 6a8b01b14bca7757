from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any

import pytest

from actionkit.widgets._dialogs import TIMEOUT_REPLY, Dialog, DialogBridge, input_kind, parse_return_value


def dialog(call: dict[str, Any]) -> tuple[Dialog, concurrent.futures.Future[Any]]:
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    return Dialog(call, future), future


def test_confirmation_confirm_is_true_and_cancel_is_false() -> None:
    d, f = dialog({"type": "confirmation", "data": {"title": "Sure?", "message": "Really **do** it"}})
    assert "Sure?" in d.widget.children[0].value and "Really **do** it" in d.widget.children[0].value
    d.buttons["confirm"].click()
    assert f.result() is True and d.answer_text == "confirmed"
    d2, f2 = dialog({"type": "confirmation", "data": {}})
    d2.buttons["cancel"].click()
    assert f2.result() is False


def test_input_returns_the_entered_string_or_false_on_cancel() -> None:
    d, f = dialog({"type": "input", "data": {"title": "Name", "placeholder": "you", "value": "pre"}})
    assert d.box.value == "pre" and d.box.placeholder == "you"
    d.box.value = ""
    d.buttons["confirm"].click()
    assert f.result() == ""
    d2, f2 = dialog({"type": "input", "data": {"title": "Name"}})
    d2.buttons["cancel"].click()
    assert f2.result() is False


def test_password_input_is_masked_and_its_answer_never_described() -> None:
    d, f = dialog({"type": "input", "data": {"title": "Key", "type": "password"}})
    assert type(d.box).__name__ == "Password" and d.secret
    d.box.value = "hunter2"
    d.buttons["confirm"].click()
    assert f.result() == "hunter2"
    assert "hunter2" not in d.answer_text


def test_select_input_offers_the_options_and_returns_the_value() -> None:
    options = ["a", {"value": "b", "label": "Bee"}]
    d, f = dialog({"type": "input", "data": {"type": "select", "options": options, "value": "b"}})
    assert d.box.options == (("a", 0), ("Bee", 1)) and d.box.value == 1
    d.buttons["confirm"].click()
    assert f.result() == "b"
    nested = {"type": "input", "data": {"input": {"type": "select", "options": ["x"]}}}
    assert input_kind(nested["data"]) == "select"
    assert input_kind({"type": "select"}) == "text"  # select without options is a text box


def test_execute_shows_the_code_and_returns_the_typed_value_as_json() -> None:
    d, f = dialog({"type": "execute", "data": {"code": "return <b>1</b>"}})
    assert "return &lt;b&gt;1&lt;/b&gt;" in d.widget.children[1].value
    d.box.value = '{"ok": true}'
    d.buttons["confirm"].click()
    assert f.result() == {"ok": True}
    assert parse_return_value("plain words") == "plain words"
    assert parse_return_value("  ") is None


def test_execute_throw_sends_no_answer() -> None:
    d, f = dialog({"type": "execute", "data": {"code": "throw 1"}})
    d.buttons["throw"].click()
    assert not f.done() and d.buttons["confirm"].disabled
    assert "waits until the event-call timeout" in d.status.value


def test_unknown_call_types_get_no_buttons_and_no_answer() -> None:
    d, f = dialog({"type": "mystery", "data": {}})
    assert d.buttons == {} and not f.done()
    assert "does not answer mystery calls" in d.status.value


def _run_in_thread(coro: Any) -> concurrent.futures.Future[Any]:
    result: concurrent.futures.Future[Any] = concurrent.futures.Future()

    def target() -> None:
        try:
            result.set_result(asyncio.run(coro))
        except BaseException as exc:
            result.set_exception(exc)

    threading.Thread(target=target, daemon=True).start()
    return result


def test_bridge_waits_in_another_thread_until_the_dialog_is_answered() -> None:
    shown: list[Any] = []
    opened = threading.Event()

    def show(d: Dialog | None) -> None:
        shown.append(d)
        if d is not None:
            opened.set()

    bridge = DialogBridge(show)
    reply = _run_in_thread(bridge({"type": "confirmation", "data": {"title": "Go?"}}))
    assert opened.wait(5)
    assert bridge.current is not None and not reply.done()
    bridge.current.buttons["confirm"].click()
    assert reply.result(5) is True
    assert shown[-1] is None and bridge.current is None


def test_bridge_times_out_with_the_hosts_error_reply() -> None:
    answered: list[Dialog] = []
    bridge = DialogBridge(lambda d: None, timeout=0.05, answered=answered.append)
    reply = _run_in_thread(bridge({"type": "input", "data": {}}))
    assert reply.result(5) == TIMEOUT_REPLY
    assert answered[0].answer_text == "timed out"
    assert TIMEOUT_REPLY == {"error": "Event call timed out. The browser tab may be inactive or closed."}


def test_bridge_reports_a_dialog_that_cannot_be_built() -> None:
    def broken(d: Dialog | None) -> None:
        raise RuntimeError("no screen")

    bridge = DialogBridge(broken)
    with pytest.raises(RuntimeError, match="no screen"):
        _run_in_thread(bridge({"type": "confirmation", "data": {}})).result(5)
