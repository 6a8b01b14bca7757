"""actionkit against the real open-webui releases, case by case and field by field.

The expected side of every comparison is what the real release did in this session (the
``real_reports`` fixture runs the corpus through each release); the actual side is actionkit run
here on the same source and arguments. Only ids and timestamps are normalised (``_records.py``).
Against 0.12.4, the release actionkit follows, any other difference fails, unless
``differences.DELIBERATE`` or ``differences.KNOWN_GAPS`` lists it (and CONFORMANCE.md explains it);
a known gap that no longer differs fails too, so its entry goes. Against an older release, every
difference must be explained by a known host change (``actionkit.testing.compare``) and listed in
``differences.RELEASE_DIFFERENCES`` (and CONFORMANCE.md): an unexplained one fails, and so does a
listed one that no longer shows.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest

from actionkit.host import VERSION

from ._records import differences, field_diff, load_record, normalise, raised_record, simulation_record
from .cases import CASES, Case, case_by_name, sources
from .conftest import NEWEST, RELEASES, record_mismatch
from .differences import (
    FACT_DIFFERENCES,
    KNOWN_GAPS,
    RELEASE_DIFFERENCES,
    release_differences,
    release_fact_differences,
    skipped_fields,
)

pytestmark = pytest.mark.conformance

CORPUS = sources()
_HOST_FILENAME = re.compile(r" \(<string>, line \d+\)$")


def _compare(
    name: str, real: dict[str, Any], ours: dict[str, Any], skip: dict[str, str], release: str = VERSION
) -> None:
    problems = differences(name, real, ours, skip, release)
    if problems:
        for problem in problems:
            record_mismatch(problem)
        pytest.fail("\n\n".join(problems), pytrace=False)


# -- load facts -------------------------------------------------------------------------------


def actionkit_facts(source: str, function_id: str) -> dict[str, Any]:
    from actionkit import load
    from actionkit.errors import FunctionLoadError
    from actionkit.host import default_user
    from actionkit.view import jsonable
    from actionkit.widgets._fields import resolve_valves_schema_options

    try:
        fn = load(source, id=function_id, kind="function")
    except FunctionLoadError as exc:
        cause = exc.__cause__
        if cause is not None:
            error_type = type(cause).__name__
        elif exc.kind == "syntax":
            error_type = exc.message.split(":", 1)[0]
        else:
            error_type = "Exception"
        return {"load": load_record(False, error_type=error_type, message=str(exc), line=exc.line)}

    def schema(model: Any) -> Any:
        if model is None:
            return None
        return resolve_valves_schema_options(model, model.model_json_schema(), default_user())

    models = [{"id": m["id"], "name": m["name"]} for m in fn.pipes()] if fn.type == "pipe" else []
    return normalise(
        jsonable(
            {
                "load": load_record(True, fn.type, fn.manifest),
                "valves_schema": schema(fn.Valves),
                "user_valves_schema": schema(fn.UserValves),
                "models": models,
            }
        )
    )


def _comparable_load(real: dict[str, Any], ours: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Load outcomes compared on ok/type/manifest, or on error type, line and the host's message
    (which actionkit's message must contain; the host's ``(<string>, line N)`` suffix dropped)."""
    if real["ok"] and ours["ok"]:
        keys = ("ok", "type", "manifest")
        return {k: real[k] for k in keys}, {k: ours[k] for k in keys}
    if not real["ok"] and not ours["ok"]:
        host_message = _HOST_FILENAME.sub("", real.get("message") or "")
        contained = host_message in (ours.get("message") or "")
        real_view = {
            "ok": False,
            "error_type": real["error_type"],
            "line": real["line"],
            "message": host_message,
        }
        ours_view = {
            "ok": False,
            "error_type": ours["error_type"],
            "line": ours["line"],
            "message": host_message if contained else ours.get("message"),
        }
        return real_view, ours_view
    return real, ours


@pytest.mark.parametrize("function_id", sorted(CORPUS))
@pytest.mark.parametrize("release", RELEASES)
def test_load_facts_match_open_webui(release: str, function_id: str, real_reports: dict[str, Any]) -> None:
    real = real_reports[release]["facts"][function_id]
    assert "crashed" not in real, real.get("crashed")
    ours = actionkit_facts(CORPUS[function_id], function_id)
    real_load, ours_load = _comparable_load(real["load"], ours["load"])
    real_view = {**{k: v for k, v in real.items() if k != "models"}, "load": real_load}
    ours_view = {**{k: v for k, v in ours.items() if k != "models"}, "load": ours_load}
    real_view["models"] = [{"id": m["id"], "name": m["name"]} for m in real.get("models") or []]
    ours_view["models"] = ours.get("models") or []
    if not real["load"]["ok"]:
        real_view = {"load": real_load}
        ours_view = {"load": ours_load}
    if release != VERSION:
        _facts_explained_by_host_changes(release, function_id, real["load"], real_view, ours_view)
        return
    _compare(f"load {function_id}", real_view, ours_view, FACT_DIFFERENCES.get(function_id, {}), release)


def _facts_explained_by_host_changes(
    release: str,
    function_id: str,
    real_load: dict[str, Any],
    real_view: dict[str, Any],
    ours_view: dict[str, Any],
) -> None:
    """On an older release load facts may differ only where the release refuses a source with the
    sign of a known host change (Event functions before 0.10), and only as listed."""
    from actionkit.releases import CHANGES

    problems = differences(
        f"load {function_id}", real_view, ours_view, FACT_DIFFERENCES.get(function_id, {}), release
    )
    message = str(real_load.get("message") or "")
    found = sorted(
        change.id
        for change in CHANGES
        if problems
        and change.between(release, VERSION)
        and any(re.search(signal, message) for signal in change.signals)
    )
    if problems and not found:
        for problem in problems:
            record_mismatch(problem)
        pytest.fail("\n\n".join(["differences no known host change explains:", *problems]), pytrace=False)
    if release not in RELEASE_DIFFERENCES:
        return  # a release run on demand whose differences are not listed: explained is enough
    listed = sorted(release_fact_differences(release, function_id))
    assert found == listed, (
        f"open-webui {release} loads {function_id} differently by the host changes {found}; "
        f"RELEASE_FACT_DIFFERENCES (and CONFORMANCE.md) list {listed}"
    )


# -- calls ------------------------------------------------------------------------------------


@functools.cache
def _actionkit_record(name: str) -> dict[str, Any]:
    """actionkit's record of a case, made once for all releases."""
    return run_actionkit(case_by_name()[name])


def run_actionkit(case: Case) -> dict[str, Any]:
    from actionkit import load, simulate
    from actionkit.errors import ActionkitError

    try:
        fn = load(CORPUS[case.function], id=case.function_id)
        return simulation_record(simulate(fn, case.body, **case.arguments()))
    except ActionkitError as exc:
        return raised_record(exc)


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    if "simulation" in record:
        return dict(record["simulation"])
    raised = dict(record["raised"])
    raised.pop("message", None)  # the wording is actionkit's own; class, fields and line compared
    return {"raised": raised}


@pytest.mark.filterwarnings("ignore:coroutine '__event_emitter__' was never awaited:RuntimeWarning")
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("release", RELEASES)
def test_case_matches_open_webui(release: str, case: Case, real_reports: dict[str, Any]) -> None:
    real = real_reports[release]["cases"][case.name]
    assert "crashed" not in real, real.get("crashed")
    ours = _actionkit_record(case.name)
    real_view, ours_view = _comparable(real), _comparable(ours)
    if release != VERSION:
        _explained_by_host_changes(release, case, real, real_view, ours_view)
        return
    _compare(case.name, real_view, ours_view, skipped_fields(case.name))
    closed = [f for f in KNOWN_GAPS.get(case.name, {}) if real_view.get(f) == ours_view.get(f)]
    assert not closed, f"known gap closed: remove {case.name} {closed} from KNOWN_GAPS and CONFORMANCE.md"


def _explained_by_host_changes(
    release: str, case: Case, real: dict[str, Any], real_view: dict[str, Any], ours_view: dict[str, Any]
) -> None:
    """On an older release every difference is one a known host change explains, and is listed."""
    from actionkit import load
    from actionkit.testing import compare

    source = CORPUS[case.function]
    # The host writes its own version into what it makes (an Event's ``version`` and ``schema``);
    # actionkit writes the one it follows.
    real_view = json.loads(json.dumps(real_view).replace(release, VERSION))
    notes = list(real.get("notes") or [])
    if "raised" in real:
        notes.append(str(real["raised"].get("message") or ""))  # where a refusal's sign shows
    comparison = compare(
        {**real_view, "notes": notes},
        ours_view,
        release,
        VERSION,
        kind=load(source, id=case.function_id).type,
        source=source,
        files=case.kwargs.get("files"),
    )
    skip = skipped_fields(case.name)
    unexplained = [
        field_diff(case.name, field, real_view.get(field), ours_view.get(field), release)
        for field in comparison.unexplained
        if field not in skip
    ]
    for problem in unexplained:
        record_mismatch(problem)
    assert not unexplained, "\n\n".join(["differences no known host change explains:", *unexplained])
    if release not in RELEASE_DIFFERENCES:
        return  # a release run on demand whose differences are not listed: explained is enough
    found = sorted(e.change.id for e in comparison.explained)
    listed = sorted(release_differences(release, case.name))
    assert found == listed, (
        f"open-webui {release} differs from actionkit in {case.name} by the host changes {found}; "
        f"RELEASE_DIFFERENCES (and CONFORMANCE.md) list {listed}"
    )


# -- the real-runtime mode itself -------------------------------------------------------------


@pytest.mark.parametrize("release", RELEASES)
def test_real_runtime_keeps_one_instance_per_source_like_the_host(
    release: str, real_reports: dict[str, Any]
) -> None:
    runtime = real_reports[release]["runtime"]
    assert runtime["same_source_twice"] == [1, 2]
    assert runtime["changed_source"] == 10


@pytest.mark.parametrize("release", RELEASES)
def test_real_runtime_works_inside_a_running_event_loop(release: str, real_reports: dict[str, Any]) -> None:
    assert real_reports[release]["runtime"]["inside_a_running_loop"] == [1, 1]


@pytest.mark.parametrize("release", RELEASES)
def test_real_runtime_loads_a_source_importing_open_webui_on_the_first_call(
    release: str, real_reports: dict[str, Any]
) -> None:
    runtime = real_reports[release]["runtime"]
    assert runtime["first_call_module_level_import"] == {"result": {"name": "User", "role": "admin"}}


def test_the_installed_release_starts_before_the_first_source_is_loaded_in_process(
    real_reports: dict[str, Any],
) -> None:
    checks = real_reports["in-process"]
    assert checks["open_webui"] == NEWEST
    assert checks["first_call_host_started_before"] is False
    assert checks["first_call_module_level_import"] == {"result": {"name": "User", "role": "admin"}}


@pytest.mark.parametrize("release", RELEASES)
def test_real_runtime_answers_with_the_scripted_model_given_to_simulate_or_a_use_block(
    release: str, real_reports: dict[str, Any]
) -> None:
    runtime = real_reports[release]["runtime"]
    assert runtime["llm_through_simulate"] == "Via simulate. (3 tokens)"
    assert runtime["llm_through_simulate_requests"] == ["scripted_model"]
    assert runtime["llm_from_use_block"] == "From a use block. (5 tokens)"


@pytest.mark.parametrize("release", RELEASES)
def test_real_runtime_raises_actionkit_errors_for_what_the_host_rejects(
    release: str, real_reports: dict[str, Any]
) -> None:
    runtime = real_reports[release]["runtime"]
    assert runtime["syntax_error"] == {"raised": "FunctionLoadError", "line": 6, "fields": []}
    assert runtime["valves_without_class"]["raised"] == "ValvesError"


def test_the_event_names_are_the_catalog_of_open_webui(real_reports: dict[str, Any]) -> None:
    from actionkit.host import EVENT_NAMES

    assert real_reports["in-process"]["event_catalog"] == list(EVENT_NAMES)
