"""The compat table: one row per runtime, differences from the reference highlighted, and the known
host change behind them. The releases are stood in for by the simulator with a release's known
behaviour applied (the real releases run in tests/conformance)."""

from __future__ import annotations

from typing import Any

import pytest

import actionkit
from actionkit import MockModel
from actionkit.errors import SimulationError, ValvesError
from actionkit.runtimes import simulate as real_simulate
from actionkit.testing import _compat

SOURCE = '''"""
title: Who Am I
"""
from open_webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "looking", "done": False}})
        user = await Users.get_user_by_id(__user__["id"])
        await __event_emitter__({"type": "message", "data": {"content": f"You are {user.name}"}})
        return {"name": user.name}
'''

AWAIT_ERROR = "Error: object UserModel can't be used in 'await' expression"


def _as_on_0_8(sim: Any) -> Any:
    """What 0.8.12 makes of SOURCE: its sync database cannot be awaited."""
    sim.ok, sim.error, sim.result = False, AWAIT_ERROR, None
    sim.events = sim.events[:1]
    sim.message = {**sim.message, "content": "", "error": {"content": AWAIT_ERROR}}
    return sim


@pytest.fixture
def releases(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Runs "on" 0.8.12 and 0.12.4 without installing them; the runtimes each call was made with."""
    seen: list[str] = []

    def simulate(target: Any, body: Any = None, *, runtime: str, **options: Any) -> Any:
        seen.append(runtime)
        if runtime == "open-webui==0.9.6":
            raise ValvesError("open-webui rejected the Valves", errors={"level": "bad"})
        sim = real_simulate(target, body, **options)
        return _as_on_0_8(sim) if runtime == "open-webui==0.8.12" else sim

    monkeypatch.setattr(_compat, "simulate", simulate)
    monkeypatch.setattr(_compat, "prepare_releases", lambda runtimes: None)
    return seen


def test_the_table_has_a_row_per_runtime_and_explains_the_older_releases_difference(
    releases: list[str],
) -> None:
    table = actionkit.compat(SOURCE, runtimes="open-webui==0.8.12,open-webui==0.12.4")
    assert releases == ["open-webui==0.8.12", "open-webui==0.12.4"]
    assert not table.same and table.explained
    old, new = table.rows
    assert table.rows[table.reference] is new and new.comparison is None
    assert old.comparison is not None
    assert old.comparison.fields == ("ok", "error", "result", "events", "message")
    assert [e.change.id for e in old.comparison.explained] == ["async-database"]
    lines = table.text().splitlines()
    assert lines[0] == "compat action who_am_i on 2 runtimes, compared with open-webui 0.12.4"
    assert lines[1].startswith("  open-webui 0.8.12  error: Error: object UserModel can't be used")
    assert lines[1].endswith("≠ ok, error, result, events, message")
    assert lines[2].startswith("      0.9 made the database layer async (`Users.get_user_by_id`")
    assert lines[3].startswith("  open-webui 0.12.4  ok") and lines[3].endswith("(reference)")
    assert "status, message" in lines[3] and '{"name": "User"}' in lines[3]
    assert lines[4] == "1 of 2 runtimes differ; known host changes explain every difference"


def test_the_html_highlights_the_cells_that_differ_and_puts_the_explanation_under_the_row(
    releases: list[str],
) -> None:
    table = actionkit.compat(SOURCE, runtimes=["open-webui==0.8.12", "open-webui==0.12.4"])
    page = table._repr_mimebundle_()["text/html"]
    old_row = page.split("<tr>")[2]
    assert old_row.count('class="ak-differs"') == 4  # outcome, events, result, "differs in"
    assert "can&#x27;t be used in &#x27;await&#x27; expression" in old_row
    assert 'class="ak-why">0.9 made the database layer async' in page
    new_row = page.split("<tr>")[4]
    assert "ak-differs" not in new_row and "reference" in new_row
    assert table._repr_mimebundle_()["text/plain"] == table.text()


def test_rows_that_did_the_same_say_so(releases: list[str]) -> None:
    table = actionkit.compat(SOURCE, runtimes=["actionkit", "open-webui==0.12.4"])
    assert table.same
    assert table.rows[table.reference].runtime == "open-webui==0.12.4"  # a real release over the simulator
    assert table.text().splitlines()[1].endswith("= same")
    assert table.text().splitlines()[-1] == "the same on all 2 runtimes"


def test_a_run_that_raises_is_a_row_too(releases: list[str]) -> None:
    table = actionkit.compat(SOURCE, runtimes=["open-webui==0.9.6", "open-webui==0.12.4"])
    row = table.rows[0]
    assert row.status == "raised ValvesError"
    assert row.comparison is not None and row.comparison.fields[0] == "ok"
    assert "raised ValvesError: open-webui rejected the Valves" in table.text()
    assert "not explained by a known host change" in table.text()


def test_the_reference_can_be_chosen(releases: list[str]) -> None:
    table = actionkit.compat(
        SOURCE, runtimes=["open-webui==0.8.12", "open-webui==0.12.4"], reference="open-webui==0.8.12"
    )
    assert table.reference == 0
    with pytest.raises(SimulationError, match="reference 'actionkit' is not one of the runtimes compared"):
        actionkit.compat(SOURCE, runtimes=["open-webui==0.8.12", "open-webui==0.12.4"], reference="actionkit")


def test_every_row_starts_the_scripted_models_replies_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_compat, "prepare_releases", lambda runtimes: None)
    answers: list[str] = []

    def simulate(target: Any, body: Any = None, *, runtime: str, **options: Any) -> Any:
        answers.append(
            options["llm"].complete({"messages": [{"role": "user", "content": "hi"}]})["choices"][0][
                "message"
            ]["content"]
        )
        return real_simulate(target, body, **{k: v for k, v in options.items() if k != "llm"})

    monkeypatch.setattr(_compat, "simulate", simulate)
    model = MockModel(["first", "second"])
    actionkit.compat(SOURCE, runtimes=["actionkit", "open-webui==0.12.4"], llm=model)
    assert answers == ["first", "first"]
    assert model.calls == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"runtimes": ["open-webui==0.12.4"]}, "compat\\(\\) compares two or more runtimes"),
        ({"runtimes": ["open-webui==0.12.4", "open-webui==0.12.4"]}, "two or more runtimes"),
        ({"runtime": "open-webui==0.12.4"}, "compat\\(\\) takes runtimes=\\[...\\], not runtime="),
        ({"runtimes": ["open-webui==0.7.0", "actionkit"]}, "actionkit does not run Open WebUI '0.7.0'"),
    ],
)
def test_what_compat_cannot_compare_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        actionkit.compat(SOURCE, **kwargs)


def test_the_table_as_data_names_the_reference_the_differences_and_the_changes(releases: list[str]) -> None:
    data = actionkit.compat(SOURCE, runtimes=["open-webui==0.8.12", "open-webui==0.12.4"]).to_dict()
    assert data["reference"] == "open-webui==0.12.4" and data["same"] is False
    old = data["rows"][0]
    assert old["differs"] == ["ok", "error", "result", "events", "message"]
    assert [e["change"] for e in old["explained"]] == ["async-database"]
    assert old["explained"][0]["since"] == "0.9.0"
    assert "notes" not in old["outcome"]
