from __future__ import annotations

import json

from actionkit.widgets._body import BodyEditor

BODY = {"model": "m", "messages": [{"role": "user", "content": "Hi"}]}


def test_chat_rows_and_json_show_the_same_body() -> None:
    ed = BodyEditor(BODY)
    assert len(ed.rows.children) == 1
    assert json.loads(ed.json.value) == BODY
    ed.rows.children[0].children[1].value = "Hello there"
    assert ed.body["messages"] == [{"role": "user", "content": "Hello there"}]
    assert json.loads(ed.json.value)["messages"][0]["content"] == "Hello there"


def test_adding_and_removing_messages_updates_the_body() -> None:
    seen: list[int] = []
    ed = BodyEditor(BODY, on_change=lambda e: seen.append(len(e.body["messages"])))
    ed.add_assistant.click()
    ed.rows.children[1].children[1].value = "Sure"
    ed.rows.children[1].children[0].value = "system"
    assert ed.body["messages"][1] == {"role": "system", "content": "Sure"}
    ed.rows.children[0].children[2].click()
    assert ed.body["messages"] == [{"role": "system", "content": "Sure"}]
    assert seen == [2, 2, 2, 1]


def test_editing_json_rebuilds_the_chat_rows() -> None:
    ed = BodyEditor(BODY)
    new = {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]}
    ed.json.value = json.dumps(new)
    assert ed.body == new and len(ed.rows.children) == 2 and ed.valid


def test_malformed_json_is_reported_and_the_last_good_body_kept() -> None:
    ed = BodyEditor(BODY)
    ed.json.value = '{"messages": ['
    assert not ed.valid and ed.body == BODY
    assert "body not updated: not valid JSON" in ed.message.value
    ed.json.value = "[1, 2]"
    assert "must be a JSON object" in ed.message.value and ed.body == BODY
    ed.json.value = json.dumps(BODY)
    assert ed.valid and ed.message.value == ""


def test_structured_content_points_to_the_json_view() -> None:
    body = {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}
    ed = BodyEditor(body)
    assert "edit it in the JSON tab" in ed.rows.children[0].children[1].value


def test_json_only_editor_for_stream_events() -> None:
    ed = BodyEditor({"choices": []}, chat=False)
    assert ed.tabs.titles == ("JSON",)


def test_a_long_message_gets_a_box_tall_enough_to_read_it() -> None:
    from actionkit.widgets._body import BodyEditor, text_rows

    long = "word " * 60  # one line, ~300 characters
    editor = BodyEditor({"messages": [{"role": "user", "content": long}, {"role": "user", "content": "hi"}]})
    boxes = [row.children[1] for row in editor.rows.children]
    assert boxes[0].rows == text_rows(long) >= 5
    assert boxes[1].rows == 2
    assert text_rows("a\n" * 40) == 12  # capped; the box scrolls past that
