from __future__ import annotations

import sys

import pytest

import actionkit
from actionkit import FunctionLoadError, Tool
from tests._tool_sources import SPECS, WEATHER


def test_a_tools_source_loads_as_a_tool_instead_of_failing_with_no_function_class() -> None:
    tool = actionkit.load(WEATHER, id="weather")
    assert isinstance(tool, Tool) and tool.type == "tool"
    assert tool.name == "Weather" and tool.version == "1.0"
    assert type(tool.instance).__name__ == "Tools"
    assert tool.methods == ["get_time", "get_weather"]


def test_the_module_is_named_and_registered_as_the_hosts_tools_cache_keeps_it() -> None:
    tool = actionkit.load(WEATHER, id="weather_mod")
    name = tool.module.__name__
    assert name.startswith("tool_weather_mod_") and len(name) == len("tool_weather_mod_") + 32
    assert sys.modules[name] is tool.module and sys.modules["tool_weather_mod"] is tool.module
    assert actionkit.load(WEATHER, id="weather_mod").module.__name__ == name  # reproducible


def test_kind_tool_loads_as_the_tools_workspace_and_refuses_a_function() -> None:
    with pytest.raises(FunctionLoadError, match="No Tools class found in the module") as info:
        actionkit.load("class Action:\n    pass\n", id="a", kind="tool")
    assert info.value.kind == "no_class" and "Tools" in (info.value.hint or "")
    both = "class Action:\n    async def action(self, body):\n        return body\n\nclass Tools:\n    pass\n"
    assert actionkit.load(both, id="both").type == "action"
    assert actionkit.load(both, id="both_tool", kind="tool").type == "tool"


def test_kind_function_refuses_a_tools_source_as_the_functions_workspace_does() -> None:
    with pytest.raises(FunctionLoadError, match="No Function class found in the module"):
        actionkit.load(WEATHER, id="weather_fn", kind="function")


def test_a_spec_that_cannot_be_built_fails_the_load_as_the_create_handler_does() -> None:
    source = (
        'class Tools:\n    def fetch(self, url: "Url") -> str:\n        """Fetch."""\n        return url\n'
    )
    with pytest.raises(FunctionLoadError, match=r"cannot create this tool.*NameError: name 'Url'") as info:
        actionkit.load(source, id="broken_spec")
    assert info.value.kind == "specs"


def test_the_stored_manifest_is_read_from_the_rewritten_source() -> None:
    source = '"""\ntitle: Rewrite\ndescription: from utils.misc import x\n"""\nclass Tools:\n    pass\n'
    tool = actionkit.load(source, id="rewrite")
    assert tool.manifest["description"] == "from open_webui.utils.misc import x"
    assert tool.content == source  # the store keeps what was written


def test_annotations_are_postponed_as_in_the_hosts_exec() -> None:
    tool = actionkit.load(SPECS, id="specs_annotations")
    assert tool.instance.plain.__annotations__["q"] == "str"
    fn = actionkit.load(
        "class Action:\n    async def action(self, body: dict):\n        return body\n", id="ann"
    )
    assert fn.instance.action.__annotations__["body"] == "dict"
