from __future__ import annotations

import builtins
import inspect
import linecache
import sys
import traceback
from pathlib import Path

import pytest

import actionkit
from actionkit import FunctionLoadError

ACTION = '''"""
title: Greeter
description: says hello
version: 1.2
"""
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        greeting: str = "hi"
        """How to greet."""

    class UserValves(BaseModel):
        name: str = "you"

    actions = [{"id": "wave", "name": "Wave"}, {"name": "no id"}]

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return {"content": self.valves.greeting}
'''


def test_action_is_loaded_with_manifest_id_and_valves_classes() -> None:
    fn = actionkit.load(ACTION)
    assert (fn.id, fn.type, fn.name, fn.version) == ("greeter", "action", "Greeter", "1.2")
    assert fn.description == "says hello"
    assert fn.Valves is not None and fn.Valves.__name__ == "Valves"
    assert fn.UserValves is not None and fn.UserValves().name == "you"
    assert fn.sub_actions == [{"id": "wave", "name": "Wave"}]
    assert fn.instance.valves.greeting == "hi"


def test_module_is_registered_as_function_id_and_source_is_inspectable() -> None:
    fn = actionkit.load(ACTION, id="greeter_two")
    assert sys.modules["function_greeter_two"] is fn.module
    assert "class Valves" in inspect.getsource(fn.Valves)
    assert linecache.getline(fn.filename, 8) == "class Action:\n"


def test_attribute_docstrings_work_for_valves_using_them() -> None:
    src = ACTION.replace(
        "class Valves(BaseModel):",
        "class Valves(BaseModel):\n        model_config = {'use_attribute_docstrings': True}",
    )
    fn = actionkit.load(src)
    assert fn.Valves is not None
    assert fn.Valves.model_fields["greeting"].description == "How to greet."


def test_class_precedence_is_pipe_then_filter_then_action_then_event() -> None:
    body = "\n    def __init__(self): pass\n"
    assert actionkit.load(f"class Action:{body}class Pipe:{body}", id="a").type == "pipe"
    assert actionkit.load(f"class Action:{body}class Filter:{body}", id="b").type == "filter"
    assert actionkit.load(f"class Event:{body}class Action:{body}", id="c").type == "action"
    assert actionkit.load(f"class Event:{body}", id="d").type == "event"


def test_explicit_id_wins_over_title_and_name_defaults_to_title() -> None:
    fn = actionkit.load(ACTION, id="Custom_ID")
    assert fn.id == "custom_id"
    assert fn.name == "Greeter"
    assert actionkit.load(ACTION, name="Other").name == "Other"


def test_function_without_id_or_title_is_refused_with_a_fix() -> None:
    with pytest.raises(FunctionLoadError, match="no id") as info:
        actionkit.load("class Action:\n    pass\n")
    assert info.value.hint and "title" in info.value.hint


def test_legacy_imports_are_rewritten_before_execution() -> None:
    fn = actionkit.load("from utils.misc import get_last_user_message\nclass Action: pass\n", id="x")
    assert fn.module.get_last_user_message([{"role": "user", "content": "hi"}]) == "hi"
    with pytest.raises(FunctionLoadError, match="No module named 'open_webui.utils.not_a_module'"):
        actionkit.load("from utils.not_a_module import x\nclass Action: pass\n", id="x")


def test_open_webui_modules_without_a_stand_in_name_what_is_supported() -> None:
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load(
            "from open_webui.retrieval.utils import get_sources_from_items\nclass Action: pass\n", id="x"
        )
    assert info.value.kind == "import" and info.value.line == 1
    assert "open_webui.models.users" in str(info.value)


def test_syntax_error_names_the_cell_line_and_shows_it() -> None:
    src = "class Action:\n    def action(self, body)\n        return body\n"
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load(src, id="broken", line_offset=1)
    err = info.value
    assert err.kind == "syntax" and err.line == 3
    assert err.source_line == "    def action(self, body)"
    assert "line 3" in str(err)


def test_missing_class_gives_hosts_message_and_hint_for_misnamed_class() -> None:
    with pytest.raises(FunctionLoadError, match="No Function class found in the module") as info:
        actionkit.load("class Pipeline:\n    pass\n", id="p")
    assert info.value.hint and "Pipeline" in info.value.hint and "Pipe" in info.value.hint
    with pytest.raises(FunctionLoadError, match="No Function class found in the module") as info:
        actionkit.load("class Tools:\n    pass\n", id="t", kind="function")
    assert info.value.hint and "Tools" in info.value.hint


def test_exception_in_init_points_at_the_raising_line() -> None:
    src = "class Filter:\n    def __init__(self):\n        x = 1\n        raise KeyError('nope')\n"
    with pytest.raises(FunctionLoadError, match="KeyError in Filter.__init__") as info:
        actionkit.load(src, id="f")
    assert info.value.line == 4 and info.value.kind == "init"


def test_missing_import_says_whether_requirements_list_it() -> None:
    src = '"""\ntitle: Needs\nrequirements: not-a-real-pkg==1.0\n"""\nimport not_a_real_pkg\nclass Action: pass\n'
    with pytest.raises(FunctionLoadError, match="No module named 'not_a_real_pkg'") as info:
        actionkit.load(src)
    assert info.value.line == 5
    assert info.value.hint and "--install" in info.value.hint and "not-a-real-pkg==1.0" in info.value.hint
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load("import also_not_real\nclass Action: pass\n", id="x")
    assert info.value.hint and "requirements" in info.value.hint


def test_removed_open_webui_apps_import_explains_the_new_path() -> None:
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load("from apps.webui.models.users import Users\nclass Action: pass\n", id="x")
    assert info.value.hint and "0.5" in info.value.hint


def test_valves_that_are_not_pydantic_models_are_refused() -> None:
    src = "class Pipe:\n    class Valves:\n        x = 1\n    def pipe(self, body): return ''\n"
    with pytest.raises(FunctionLoadError, match="pydantic BaseModel") as info:
        actionkit.load(src, id="v")
    assert info.value.kind == "valves"


def test_failed_load_leaves_previous_module_registered() -> None:
    good = actionkit.load("class Action:\n    pass\n", id="keepme")
    with pytest.raises(FunctionLoadError):
        actionkit.load("class Action:\n    def __init__(self): 1/0\n", id="keepme")
    assert sys.modules["function_keepme"] is good.module


def test_traceback_of_function_code_shows_source_lines() -> None:
    fn = actionkit.load("class Action:\n    def action(self, body):\n        return 1/0\n", id="tb")
    try:
        fn.instance.action({})
    except ZeroDivisionError as exc:
        text = "".join(traceback.format_exception(exc))
    assert "return 1/0" in text and fn.filename in text


def test_source_must_be_text() -> None:
    with pytest.raises(FunctionLoadError, match="must be text"):
        actionkit.load(b"class Action: pass", id="x")  # type: ignore[arg-type]


def test_module_level_system_exit_is_a_load_error() -> None:
    with pytest.raises(FunctionLoadError, match="SystemExit"):
        actionkit.load("raise SystemExit(3)\n", id="x")


def test_manifold_pipes_resolve_list_function_and_coroutine() -> None:
    base = "class Pipe:\n    def __init__(self):\n        self.name = 'M/'\n{pipes}\n    def pipe(self, body): return ''\n"
    as_list = "        self.pipes = [{'id': 'a', 'name': 'A'}]"
    as_func = "    def pipes(self):\n        return [{'id': 'b', 'name': 'B'}]"
    as_coro = "    async def pipes(self):\n        return [{'id': 'c', 'name': 'C'}]"
    assert actionkit.load(base.format(pipes=as_list), id="m1").pipes() == [{"id": "m1.a", "name": "M/A"}]
    assert actionkit.load(base.format(pipes=as_func), id="m2").pipes() == [{"id": "m2.b", "name": "M/B"}]
    assert actionkit.load(base.format(pipes=as_coro), id="m3").pipes() == [{"id": "m3.c", "name": "M/C"}]


def test_single_pipe_offers_one_model_named_after_the_function() -> None:
    fn = actionkit.load("class Pipe:\n    def pipe(self, body): return 'x'\n", id="solo", name="Solo")
    assert fn.pipes() == [{"id": "solo", "name": "Solo"}]


def test_failing_pipes_listing_gives_no_models_like_the_host() -> None:
    src = "class Pipe:\n    def pipes(self):\n        raise RuntimeError('down')\n    def pipe(self, body): return ''\n"
    assert actionkit.load(src, id="down").pipes() == []


def test_load_file_uses_title_or_file_name(tmp_path: Path) -> None:
    titled = tmp_path / "whatever.py"
    titled.write_text(ACTION, encoding="utf-8")
    assert actionkit.load_file(titled).id == "greeter"
    plain = tmp_path / "my-filter.py"
    plain.write_text("class Filter:\n    pass\n", encoding="utf-8")
    assert actionkit.load_file(plain).id == "my_filter"


def test_load_file_reports_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(FunctionLoadError, match="cannot read"):
        actionkit.load_file(tmp_path / "missing.py")
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"class Action: pass\n\xff\xfe")
    with pytest.raises(FunctionLoadError, match="not UTF-8"):
        actionkit.load_file(bad)


def test_load_error_renders_as_one_message_in_ipython() -> None:
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load("x = (\n", id="cell", line_offset=1)
    lines = info.value._render_traceback_()
    assert lines[0].startswith("FunctionLoadError (cell): line 2: SyntaxError")
    assert all("Traceback" not in line for line in lines)


def test_missing_host_library_names_the_host_extra_or_pin() -> None:
    with pytest.raises(FunctionLoadError, match="No module named 'pydub'") as info:
        actionkit.load("import pydub\nclass Action: pass\n", id="x")
    assert info.value.hint and "pydub==0.25.1" in info.value.hint


def test_indentation_and_tab_errors_keep_their_own_names() -> None:
    with pytest.raises(FunctionLoadError, match="IndentationError: expected an indented block") as info:
        actionkit.load("class Action:\npass\n", id="x")
    assert info.value.line == 2
    with pytest.raises(FunctionLoadError, match="TabError"):
        actionkit.load("class Action:\n    if True:\n\tpass\n        pass\n", id="x")


def test_loading_the_same_source_again_runs_it_afresh_without_compiling_it_again() -> None:
    src = "COUNT = []\nCOUNT.append(1)\nclass Action:\n    def __init__(self):\n        self.items = []\n"
    first = actionkit.load(src, id="again")
    first.instance.items.append("kept by the first instance only")
    calls: list[object] = []
    real_compile = builtins.compile

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[1])
        return real_compile(*args, **kwargs)  # type: ignore[call-overload]

    builtins.compile = counting  # type: ignore[assignment]
    try:
        second = actionkit.load(src, id="again")
        changed = actionkit.load(src + "\n# edited\n", id="again")
    finally:
        builtins.compile = real_compile
    assert calls == [changed.filename]
    assert second.module is not first.module and second.instance is not first.instance
    assert second.module.COUNT == [1] and second.instance.items == []
    assert sys.modules["function_again"] is changed.module
