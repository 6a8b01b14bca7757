"""Which model a pipe is called as: its own id, or one of a manifold's ``"<id>.<sub>"`` models."""

from __future__ import annotations

from ..errors import SimulationError
from ..function import manifold_models
from ._event_checks import did_you_mean
from ._plan import Plan


async def resolve_pipe_model(plan: Plan) -> None:
    """Set ``body["model"]`` (and the model dict) to the model the pipe is called as."""
    fn = plan.fn
    body = plan.body
    requested = str(body.get("model"))
    sub = plan.sub_id
    if not fn.is_manifold:
        if sub is not None:
            raise SimulationError(
                f"pipe {fn.id} is not a manifold (it has no `pipes`), so it has no sub-model {sub!r}",
                function_id=fn.id,
            )
        if requested != fn.id:
            plan.warnings.append(
                f"body model {requested!r} is not this pipe: Open WebUI routes a request to pipe {fn.id} "
                f"only for model {fn.id!r}, so the simulation uses that"
            )
            body["model"] = fn.id
        return
    models, why = await manifold_models(fn, plan.valves)
    ids = [m["id"] for m in models]
    if not ids:
        _unlisted_manifold(plan, why)
        return
    if sub is not None:
        target = sub if sub.startswith(f"{fn.id}.") else f"{fn.id}.{sub}"
    elif requested.startswith(f"{fn.id}."):
        target = requested
    else:
        if requested != fn.id:
            plan.warnings.append(
                f"body model {requested!r} is not one of this manifold's models; using {ids[0]!r}"
            )
        target = ids[0]
    if target not in ids:
        subs = [i.split(".", 1)[1] for i in ids]
        wanted = target.split(".", 1)[1] if "." in target else target
        raise SimulationError(
            f"manifold pipe {fn.id} has no model {target!r}{did_you_mean(wanted, subs)}; "
            f"it lists: {', '.join(ids)}",
            function_id=fn.id,
        )
    body["model"] = target
    if not plan.model_given:
        entry = models[ids.index(target)]
        plan.model["id"] = target
        plan.model["name"] = entry["name"]
    if isinstance(plan.metadata.get("task_body"), dict) and plan.task is not None:
        plan.metadata["task_body"].setdefault("model", target)


def _unlisted_manifold(plan: Plan, why: str | None) -> None:
    """A manifold listing no models: called directly, the host still runs the pipe, with the model
    id as requested (``<id>`` or ``<id>.<sub>``), as ``generate_function_chat_completion`` does."""
    fn = plan.fn
    body = plan.body
    requested = str(body.get("model"))
    if plan.sub_id is not None:
        sub = plan.sub_id
        target = sub if sub.startswith(f"{fn.id}.") else f"{fn.id}.{sub}"
    elif requested.startswith(f"{fn.id}."):
        target = requested
    else:
        target = fn.id
    body["model"] = target
    if not plan.model_given:
        plan.model["id"] = target
    reason = f" ({why})" if why else " (pipes is empty)"
    plan.warnings.append(
        f"manifold pipe {fn.id} lists no models{reason}: Open WebUI lists none of its models in the "
        f"model list, so no chat can select it (the chat answers 'Model not found'); called directly, "
        f"as here, the pipe runs with body model {target!r}"
    )
