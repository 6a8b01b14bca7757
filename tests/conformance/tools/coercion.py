"""
title: Coercion
description: the only coercions are str->int (int or Optional[int]) and int/float->str (str or Optional[str])
"""
from typing import Optional, Union


class Tools:
    def show(
        self,
        i: int = 0,
        oi: Optional[int] = None,
        ui: Union[int, str] = 0,
        f: float = 0.0,
        s: str = "",
        os_: Optional[str] = None,
        b: bool = False,
        li: list[int] = [],
    ) -> dict:
        """Show types."""
        return {k: [v, type(v).__name__] for k, v in dict(i=i, oi=oi, ui=ui, f=f, s=s, os_=os_, b=b, li=li).items()}
