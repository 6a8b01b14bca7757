"""
title: Users Lookup
"""

from open_webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__: dict) -> dict:
        by_id = await Users.get_user_by_id(__user__["id"])
        by_email = await Users.get_user_by_email(__user__["email"])
        missing = await Users.get_user_by_id("nobody-has-this-id")
        return {
            "by_id": by_id.model_dump(),
            "same_by_email": by_email is not None and by_email.id == by_id.id,
            "missing": missing,
        }
