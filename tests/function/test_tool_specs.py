from __future__ import annotations

import pytest

import actionkit
from actionkit import FunctionLoadError
from actionkit.function import SelectedTool, tools_dict
from actionkit.host import default_user
from tests._tool_sources import SEARCH_A, SEARCH_B, SPECS


def _spec(tool, name):
    return next(entry["function"] for entry in tool.tool_specs if entry["function"]["name"] == name)


def test_the_model_is_given_every_public_method_in_dir_order_with_aliases_renamed() -> None:
    tool = actionkit.load(SPECS, id="specs")
    assert tool.methods == ["plain", "no_doc", "specs_plain", "with_kwargs"]
    assert [entry["type"] for entry in tool.tool_specs] == ["function"] * 4


def test_the_description_is_the_raw_docstring_before_the_first_param_line() -> None:
    tool = actionkit.load(SPECS, id="specs")
    assert _spec(tool, "plain")["description"] == (
        "\n        Search for things.\n            Indented on purpose.\n\n        "
    )
    assert tool.specs[0]["description"] == "Search for things.\nIndented on purpose."  # stored, stripped
    assert _spec(tool, "no_doc")["description"] == "no_doc"


def test_parameters_follow_the_hosts_schema_rules() -> None:
    tool = actionkit.load(SPECS, id="specs")
    parameters = _spec(tool, "plain")["parameters"]
    assert parameters == {
        "properties": {
            "q": {"description": "the query\nover two lines", "type": "string"},
            "limit": {"default": 3, "description": "how many", "type": "integer"},
            "maybe": {"type": "string"},
            "anything": {"type": "string"},
        },
        "required": ["q"],
        "type": "object",
    }
    kwargs = _spec(tool, "with_kwargs")["parameters"]
    assert kwargs["properties"]["kwargs"] == {"type": "string"} and kwargs["required"] == ["a", "kwargs"]


def test_names_clashing_across_tools_get_the_tool_id_prefixed() -> None:
    a, b = actionkit.load(SEARCH_A, id="search_a"), actionkit.load(SEARCH_B, id="search_b")
    extra = {"__user__": default_user()}
    assert list(tools_dict([SelectedTool(a), SelectedTool(b)], extra)) == ["search", "search_b_search"]
    assert list(tools_dict([SelectedTool(b), SelectedTool(a)], extra)) == ["search", "search_a_search"]


def test_a_helper_the_host_cannot_look_up_makes_the_specs_unusable_with_a_clear_error() -> None:
    source = 'class Tools:\n    helper = staticmethod(lambda t: t)\n\n    def up(self, t: str) -> str:\n        """Up."""\n        return t\n'
    tool = actionkit.load(source, id="lambda_helper")
    assert tool.methods == ["<lambda>", "up"]
    with pytest.raises(FunctionLoadError, match="cannot give it to a model.*'<lambda>'"):
        _ = tool.tool_specs
