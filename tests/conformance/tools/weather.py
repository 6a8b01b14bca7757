"""
title: Weather
description: a small tool for whole chat turns
"""
from pydantic import BaseModel


class Tools:
    class Valves(BaseModel):
        unit: str = "C"

    class UserValves(BaseModel):
        city_prefix: str = ""

    def __init__(self):
        self.valves = self.Valves()

    async def get_weather(self, city: str, days: int = 1, __user__: dict = None, __event_emitter__=None) -> dict:
        """
        Get the weather for a city.

        :param city: the city name
        :param days: how many days
        """
        await __event_emitter__({"type": "status", "data": {"description": f"looking up {city}", "done": False}})
        return {
            "city": __user__["valves"].city_prefix + city,
            "days": days,
            "unit": self.valves.unit,
            "température": "21°",
        }

    def get_time(self, zone: str = "UTC") -> str:
        """
        The time in a zone.

        :param zone: the time zone
        """
        return f"12:00 {zone}"
