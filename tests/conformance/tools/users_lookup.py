"""
title: Users Lookup
description: a tool that reads the host's users table (async since 0.9)
"""
from open_webui.models.users import Users


class Tools:
    async def whoami(self, __user__: dict) -> dict:
        """Look the calling user up in the users table."""
        user = await Users.get_user_by_id(__user__["id"])
        return {"name": user.name, "role": user.role, "email": user.email}
