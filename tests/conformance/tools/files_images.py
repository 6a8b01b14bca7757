"""
title: Files And Images
description: data:image URIs in results become files; other data: URIs in lists
"""

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


class Tools:
    def image(self) -> str:
        """Return a bare data:image URI."""
        return PNG

    def image_in_dict(self) -> dict:
        """Return a dict holding a data:image URI."""
        return {"caption": "a pixel", "image": PNG}

    def data_in_list(self) -> list:
        """Return a list with a non-image data: URI and text."""
        return ["text item", "data:text/plain;base64,aGVsbG8=", PNG]
