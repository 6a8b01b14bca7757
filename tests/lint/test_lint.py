from __future__ import annotations

import textwrap

import pytest

from actionkit.errors import ActionkitError
from actionkit.lint import RULES, Finding, lint_file, lint_source


def rules(source: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_source(textwrap.dedent(source).lstrip("\n"))]


CLEAN_FILTER = '''
"""
title: Clean
requirements: httpx==0.27.0
"""
import os
from pydantic import BaseModel, Field


class Filter:
    class Valves(BaseModel):
        priority: int = 0
        api_key: str = Field(
            default_factory=lambda: os.getenv("KEY", ""), json_schema_extra={"input": {"type": "password"}}
        )

    class UserValves(BaseModel):
        lang: str = "en"

    def __init__(self):
        self.valves = self.Valves()

    async def inlet(self, body, __user__=None, __event_emitter__=None):
        lang = __user__["valves"].lang
        await __event_emitter__({"type": "status", "data": {"description": lang, "done": True}})
        return body

    async def outlet(self, body, __event_emitter__=None):
        if __event_emitter__:
            await __event_emitter__({"type": "message", "data": {"content": "x"}})
        return body

    def stream(self, event):
        return event
'''


def test_a_well_written_filter_has_no_findings() -> None:
    assert rules(CLEAN_FILTER) == []


def test_every_rule_has_a_name_severity_and_summary() -> None:
    assert sorted(RULES) == [f"AK{n:03d}" for n in range(28)]
    for rule in RULES.values():
        assert rule.severity in ("error", "warning") and rule.name and rule.summary


def test_syntax_error_is_a_finding_with_its_line() -> None:
    assert rules("x = 1\ndef broken(:\n") == [("AK000", 2)]


def test_valves_built_from_env_in_init_are_flagged() -> None:
    source = """
    import os
    from pydantic import BaseModel
    class Action:
        class Valves(BaseModel):
            prefix: str = ""
        def __init__(self):
            self.valves = self.Valves(prefix=os.getenv("PREFIX", ""))
    """
    assert rules(source) == [("AK001", 7)]


def test_valve_attribute_assigned_in_init_is_flagged_with_a_default_fix() -> None:
    source = """
    from pydantic import BaseModel
    class Action:
        class Valves(BaseModel):
            prefix: str = ""
        def __init__(self):
            self.valves = self.Valves()
            self.valves.prefix = "Count:"
            setattr(self.valves, "prefix", "x")
    """
    findings = lint_source(textwrap.dedent(source))
    assert [(f.rule, f.line) for f in findings] == [("AK001", 8), ("AK001", 9)]
    assert "default" in findings[0].fix


def test_setting_valves_in_a_handler_is_not_flagged() -> None:
    source = """
    from pydantic import BaseModel
    class Action:
        class Valves(BaseModel):
            prefix: str = ""
        def __init__(self):
            self.valves = self.Valves()
        def action(self, body):
            self.valves.prefix = "for this call"
    """
    assert rules(source) == []


def test_user_valves_indexed_or_got_like_a_dict_are_flagged_also_through_an_alias() -> None:
    source = """
    class Action:
        def action(self, body, __user__=None):
            a = __user__["valves"]["lang"]
            uv = __user__.get("valves", {})
            b = uv.get("lang")
            c = "lang" in __user__["valves"]
            d = __user__["valves"].lang
    """
    assert rules(source) == [("AK002", 3), ("AK002", 5), ("AK002", 6)]


def test_reading_a_field_from_the_user_valves_class_is_flagged() -> None:
    source = """
    from pydantic import BaseModel
    class Action:
        class UserValves(BaseModel):
            lang: str = "en"
        def action(self, body):
            schema = self.UserValves.model_json_schema()
            return self.UserValves.lang
    """
    findings = lint_source(textwrap.dedent(source))
    assert [(f.rule, f.line) for f in findings] == [("AK003", 8)]
    assert '__user__["valves"].lang' in findings[0].fix


def test_valves_class_without_self_valves_is_flagged_at_the_class() -> None:
    source = """
    from pydantic import BaseModel
    class Pipe:
        class Valves(BaseModel):
            model: str = "x"
        def pipe(self, body):
            return "hi"
    """
    findings = lint_source(textwrap.dedent(source))
    assert [(f.rule, f.line) for f in findings] == [("AK004", 4)]
    assert "self.valves = self.Valves()" in findings[0].fix


def test_class_level_valves_attribute_counts_as_set() -> None:
    source = """
    from pydantic import BaseModel
    class Action:
        class Valves(BaseModel):
            x: int = 1
        valves = Valves()
    """
    assert rules(source) == []


def test_filter_hooks_that_can_end_without_return_are_flagged() -> None:
    source = """
    class Filter:
        def inlet(self, body):
            if body.get("x"):
                return body
        def outlet(self, body):
            body["y"] = 1
            return
        def stream(self, event):
            try:
                return event
            except KeyError:
                return event
    """
    assert rules(source) == [("AK005", 2), ("AK005", 7)]


def test_filter_hook_returning_on_every_branch_is_clean() -> None:
    source = """
    class Filter:
        def inlet(self, body):
            if body:
                return body
            else:
                raise ValueError("empty")
        def outlet(self, body):
            while True:
                return body
    """
    assert rules(source) == []


def test_missing_return_in_an_action_is_not_a_finding() -> None:
    assert rules("class Action:\n    async def action(self, body):\n        pass\n") == []


def test_unguarded_emitter_in_a_pipe_is_flagged_and_guards_are_understood() -> None:
    source = """
    class Pipe:
        async def pipe(self, body, __event_emitter__=None, __event_call__=None):
            await __event_emitter__({"type": "status", "data": {"description": "a"}})
            if __event_emitter__:
                await __event_emitter__({"type": "status", "data": {"description": "b"}})
            __event_emitter__ and await __event_emitter__({"type": "status", "data": {"description": "c"}})
            x = await __event_call__({"type": "input", "data": {"title": "t"}}) if __event_call__ else None
            if __event_call__ is None:
                return "no browser"
            await __event_call__({"type": "confirmation", "data": {"title": "t", "message": "m"}})

            async def helper():
                await __event_emitter__({"type": "status", "data": {"description": "d"}})
            return "ok"
    """
    assert rules(source) == [("AK006", 3), ("AK006", 13)]


def test_emitter_in_an_action_or_a_filter_inlet_is_not_flagged() -> None:
    source = """
    class Filter:
        async def inlet(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "status", "data": {"description": "a"}})
            return body
        async def outlet(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "status", "data": {"description": "a"}})
            return body
    """
    assert rules(source) == [("AK006", 6)]
    action = """
    class Action:
        async def action(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "status", "data": {"description": "a"}})
    """
    assert rules(action) == []


def test_unknown_event_type_suggests_the_close_known_one() -> None:
    source = """
    class Action:
        async def action(self, body, __event_emitter__=None, __event_call__=None):
            await __event_emitter__({"type": "stauts", "data": {"description": "a"}})
            await __event_call__({"type": "confirm", "data": {"title": "t", "message": "m"}})
            await __event_emitter__({"type": "terminal:run_command", "data": {}})
    """
    findings = lint_source(textwrap.dedent(source))
    assert [(f.rule, f.line) for f in findings] == [("AK007", 4), ("AK007", 5)]
    assert findings[0].fix == "did you mean 'status'?"
    assert findings[1].fix == "did you mean 'confirmation'?"
    assert "never comes" in findings[1].message


def test_event_data_without_the_keys_the_page_reads_is_flagged() -> None:
    source = """
    class Action:
        async def action(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "message", "data": {"text": "hi"}})
            await __event_emitter__({"type": "chat:title", "data": {"title": "x"}})
            await __event_emitter__({"type": "chat:title", "data": "x"})
            await __event_emitter__({"type": "message", "data": {**body}})
    """
    assert rules(source) == [("AK008", 3), ("AK008", 4)]


def test_misnamed_class_is_flagged_only_when_no_function_class_exists() -> None:
    findings = lint_source("class Actions:\n    pass\n")
    assert [(f.rule, f.line) for f in findings] == [("AK009", 1)]
    assert findings[0].fix.startswith("rename the class to Action")
    assert rules("class Pipeline:\n    pass\nclass Pipe:\n    pass\n") == []


def test_unpinned_requirements_are_flagged_on_the_requirements_line() -> None:
    source = '"""\ntitle: X\nrequirements: requests, httpx==0.27.0, bs4>=4, pkg~=1.2\n"""\nclass Action:\n    pass\n'
    findings = lint_source(source)
    assert [(f.rule, f.line) for f in findings] == [("AK010", 3), ("AK010", 3)]
    assert [f.message.split("'")[1] for f in findings] == ["requests", "bs4>=4"]
    assert findings[1].fix.startswith("pin it, e.g. bs4==")


def test_legacy_open_webui_apps_imports_are_flagged_with_the_new_path() -> None:
    source = """
    from open_webui.apps.webui.models.users import Users
    from apps.webui.models.files import Files
    import open_webui.apps.retrieval
    from open_webui.models.users import Users
    """
    findings = lint_source(textwrap.dedent(source).lstrip())
    assert [(f.rule, f.line) for f in findings] == [("AK011", 1), ("AK011", 2), ("AK011", 3)]
    assert findings[0].fix == "import from open_webui.models.users instead"
    assert findings[1].fix == "import from open_webui.models.files instead"


def test_frontmatter_not_on_the_first_line_is_flagged() -> None:
    assert rules('"""title: X\nversion: 1\n"""\nclass Action:\n    pass\n') == [("AK012", 1)]
    assert [f.rule for f in lint_source('\n"""\ntitle: X\n"""\nclass Action:\n    pass\n')] == ["AK012"]
    assert rules('"""\ntitle: X\n"""\nclass Action:\n    pass\n') == []


def test_reserved_arguments_read_from_kwargs_are_flagged() -> None:
    source = """
    class Action:
        async def action(self, body, **kwargs):
            user = kwargs.get("__user__")
            emit = kwargs["__event_emitter__"]
            other = kwargs.get("mode")
    """
    findings = lint_source(textwrap.dedent(source))
    assert [(f.rule, f.line) for f in findings] == [("AK013", 4), ("AK013", 5)]
    assert findings[0].fix == "add __user__=None to the signature of action"


def test_noqa_comments_silence_all_or_named_rules() -> None:
    source = """
    class Pipe:
        async def pipe(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "x", "data": {}})  # noqa: AK006
            await __event_emitter__({"type": "y", "data": {}})  # noqa
            return "ok"
    """
    assert rules(source) == [("AK007", 3)]


def test_select_and_ignore_filter_rules_and_unknown_ids_are_rejected() -> None:
    source = "class Actions:\n    pass\n"
    assert lint_source(source, ignore={"AK009"}) == []
    assert [f.rule for f in lint_source(source, select={"AK009"})] == ["AK009"]
    with pytest.raises(ActionkitError, match="unknown lint rule 'AK999'"):
        lint_source(source, select={"AK999"})


def test_finding_formats_as_path_line_rule_and_fix_and_as_json() -> None:
    finding = Finding("AK009", 3, 0, "class Actions: ...", "rename the class to Action")
    assert (
        finding.format("f.py")
        == "f.py:3:0: AK009 [misnamed-class] class Actions: ...\n    fix: rename the class to Action"
    )
    assert finding.to_dict() == {
        "rule": "AK009",
        "line": 3,
        "column": 0,
        "message": "class Actions: ...",
        "fix": "rename the class to Action",
        "name": "misnamed-class",
        "severity": "error",
    }


def test_lint_file_reads_the_file_and_reports_unreadable_paths(tmp_path) -> None:
    path = tmp_path / "f.py"
    path.write_text("class Actions:\n    pass\n", encoding="utf-8")
    assert [f.rule for f in lint_file(path)] == ["AK009"]
    with pytest.raises(ActionkitError, match="cannot read"):
        lint_file(tmp_path / "missing.py")


def test_dicts_passed_to_unrelated_callbacks_are_not_checked_as_events() -> None:
    source = """
    class Action:
        async def action(self, body, __event_call__=None):
            self.callback({"type": "whatever", "data": {}})
            await self.event_caller({"type": "confirm", "data": {"title": "t", "message": "m"}})
    """
    assert rules(source) == [("AK007", 4)]


def test_valve_types_open_webui_cannot_store_are_flagged() -> None:
    source = (
        "from pydantic import BaseModel, SecretStr, HttpUrl\n"
        "class Action:\n"
        "    class Valves(BaseModel):\n"
        "        token: SecretStr = SecretStr('')\n"
        "        url: HttpUrl | None = None\n"
        "        name: str = 'ok'\n"
        "    class UserValves(BaseModel):\n"
        "        tags: set[str] = set()\n"
        "    def __init__(self):\n"
        "        self.valves = self.Valves()\n"
    )
    findings = [f for f in lint_source(source) if f.rule == "AK014"]
    assert [(f.line, f.message.split(":")[0]) for f in findings] == [
        (4, "Valves.token is typed SecretStr"),
        (5, "Valves.url is typed HttpUrl"),
        (8, "UserValves.tags is typed set"),
    ]
    assert "password" in findings[0].fix


UNAWAITED = '''
"""
title: Unawaited
"""
import asyncio
import open_webui.models.files
from open_webui.models.users import Users
from open_webui.models.chats import Chats as C
from open_webui.utils.chat import generate_chat_completion
from open_webui.utils.misc import get_last_user_message


class Action:
    async def action(self, body, __user__, __request__=None):
        name = Users.get_user_by_id(__user__["id"]).name
        if Users.has_users():
            pass
        Users.update_last_active_by_id(__user__["id"])
        chat = C.get_chat_by_id(body["chat_id"])
        print(chat.title, len(open_webui.models.files.Files.get_files()))
        reply = generate_chat_completion(__request__, {}, None)["choices"]
        get_last_user_message(body["messages"])
        ok = await Users.get_user_by_id(__user__["id"])
        later = Users.get_num_users()
        tasks = [Users.get_user_by_id(i) for i in ("a", "b")]
        await asyncio.gather(*tasks, Chats_get(), later)
        asyncio.create_task(Users.get_num_users())
        pending = []
        pending.append(Users.get_num_users())
        return Users.get_user_by_email("a@b.c")


def Chats_get():
    return C.get_chats()
'''


def test_async_host_calls_without_await_are_flagged_where_they_are_used() -> None:
    findings = [f for f in lint_source(textwrap.dedent(UNAWAITED).lstrip("\n")) if f.rule == "AK015"]
    assert [(f.line, f.message.split("(", 1)[0]) for f in findings] == [
        (14, "Users.get_user_by_id"),
        (15, "Users.has_users"),
        (17, "Users.update_last_active_by_id"),
        (18, "C.get_chat_by_id"),
        (19, "open_webui.models.files.Files.get_files"),
        (20, "generate_chat_completion"),
    ]
    first = findings[0]
    assert first.severity == "error" and first.name == "unawaited-host-call"
    assert (
        "async in Open WebUI 0.12.4" in first.message
        and "'coroutine' object has no attribute" in first.message
    )
    assert first.fix == "write `await Users.get_user_by_id(...)` (inside an `async def`)"


def test_sync_host_helpers_and_functions_without_host_imports_are_not_flagged() -> None:
    source = """
    class Users:
        @staticmethod
        def get_user_by_id(user_id):
            return user_id


    class Action:
        async def action(self, body):
            return Users.get_user_by_id("x")
    """
    assert [rule for rule, _ in rules(source) if rule == "AK015"] == []


SECRET_NAMED_VALVES = """
from typing import Optional
from pydantic import BaseModel, Field


class Pipe:
    class Valves(BaseModel):
        OPENAI_API_KEY: str = ""
        apiKey: Optional[str] = None
        auth_header: str = Field("", description="sent as Authorization")
        bot_token: str = Field("", json_schema_extra={"input": {"type": "password"}})
        max_tokens: int = 256
        author: str = "me"
        monkey: str = "ook"
        keyboard_layout: str = "us"
        key_costs: dict[str, float] = {}

    class UserValves(BaseModel):
        password: str = ""

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body):
        return "ok"
"""


def test_secret_named_valves_without_a_password_input_get_the_password_input_fix() -> None:
    findings = [f for f in lint_source(SECRET_NAMED_VALVES) if f.rule == "AK016"]
    assert [(f.line, f.message.split(" looks")[0]) for f in findings] == [
        (8, "Valves.OPENAI_API_KEY"),
        (9, "Valves.apiKey"),
        (10, "Valves.auth_header"),
        (19, "UserValves.password"),
    ]
    assert findings[0].severity == "warning" and findings[0].name == "secret-valve-shown"
    assert findings[0].fix == (
        'declare it as OPENAI_API_KEY: str = Field(\'\', json_schema_extra={"input": {"type": "password"}})'
    )
    assert findings[1].fix.startswith("declare it as apiKey: Optional[str] = Field(None, ")
    assert findings[2].fix == 'add json_schema_extra={"input": {"type": "password"}} to its Field(...)'
