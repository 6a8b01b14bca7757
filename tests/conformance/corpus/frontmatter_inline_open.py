"""title: Inline Open
version: 1
"""


class Action:
    async def action(self, body: dict):
        return "no manifest"
