"""
title: Host Call Without Await
"""

from open_webui.models.users import Users


class Action:
    actions = [{"id": "probe", "name": "Probe"}, {"id": "attribute", "name": "Attribute"}]  # noqa: RUF012

    async def action(self, body: dict, __user__: dict, __id__: str = "") -> dict:
        pending = Users.get_user_by_id(__user__["id"])
        if __id__ == "attribute":
            return {"role": pending.role}
        out = {"truthy": bool(pending), "type": type(pending).__name__}
        for name, probe in (
            ("len", lambda: len(pending)),
            ("attribute", lambda: pending.name),
            ("subscript", lambda: pending["id"]),
        ):
            try:
                probe()
            except Exception as exc:
                out[name] = f"{type(exc).__name__}: {exc}"
        return out
