"""
title: Frontmatter Full
author: actionkit
author_url: https://example.com/actionkit
funding_url: https://example.com/fund
version: 0.3.1
license: MIT
description: A description whose continuation line
  looks like: a key on the next line
Icon_URL: data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=
requirements: somepkg>=1.0, other-pkg
key2: digits are not allowed in keys
version: 0.3.2
not a key line
   spaced_key   :   spaced value
"""


class Action:
    async def action(self, body: dict):
        return {"ok": True}
