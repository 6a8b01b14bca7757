"""
title: Import Rewrite
description: from utils... is rewritten to from open_webui.utils...; __name__ and __file__ of the module
"""
from utils.misc import get_last_user_message

import os


class Tools:
    def last(self, __messages__: list) -> dict:
        """Last user message through the rewritten import."""
        return {
            "last": get_last_user_message(__messages__),
            "module_name_prefix": __name__.rsplit("_", 1)[0],
            "file_exists": os.path.exists(__file__),
        }
