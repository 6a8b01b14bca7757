from __future__ import annotations

import textwrap

from actionkit.lint import lint_source


def rules(source: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_source(textwrap.dedent(source).lstrip("\n"))]


def test_a_well_documented_tool_has_no_findings() -> None:
    source = '''
    class Tools:
        def search(self, q: str, limit: int = 3) -> list:
            """
            Search the catalogue.

            :param q: what to look for
            :param limit: how many hits
            """
            return [q] * limit
    '''
    assert rules(source) == []


def test_methods_whose_spec_will_be_poor_are_flagged() -> None:
    source = '''
    class Tools:
        def undocumented(self, q: str) -> str:
            return q

        def untyped(self, q) -> str:
            """Untyped.

            :param q: the query
            """
            return q

        def google(self, q: str) -> str:
            """Google style.

            Args:
                q: the query
            """
            return q

        def star(self, *args, **kwargs) -> str:
            """Stars."""
            return "x"

        def nothing(self, q: str):
            """Returns nothing.

            :param q: the query
            """
            print(q)

        def _helper(self, x):
            pass
    '''
    found = rules(source)
    assert ("AK023", 2) in found
    assert ("AK024", 5) in found
    assert ("AK025", 12) in found
    assert ("AK026", 20) in found and found.count(("AK026", 20)) == 2
    assert ("AK027", 24) in found
    assert all(line < 31 for _, line in found)  # private helpers are not specs
    google = next(
        f for f in lint_source(textwrap.dedent(source).lstrip("\n")) if f.rule == "AK025" and f.line == 12
    )
    assert "Google-style" in google.message


def test_a_tools_class_is_not_a_misnamed_function_class_and_gets_the_valves_rules() -> None:
    source = '''
    from pydantic import BaseModel


    class Tools:
        class Valves(BaseModel):
            prefix: str = ""

        def __init__(self):
            self.valves = self.Valves(prefix="lost")

        def ping(self) -> str:
            """Ping."""
            return "pong"
    '''
    assert rules(source) == [("AK001", 9)]
    assert [f.rule for f in lint_source("class Tool:\n    pass\n")] == ["AK009"]
