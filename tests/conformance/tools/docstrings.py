"""
title: Docstrings
description: raw docstring text before the first :param/:return is the model-facing description
"""


class Tools:
    def indented(self, q: str) -> str:
        """
        First line.
            Indented more.

        Last line before params.
        :param q: the query
            continued on the next line

        :return: the query
        """
        return q

    def one_line(self, q: str) -> str:
        """One line docstring."""
        return q

    def no_docstring(self, q: str) -> str:
        return q

    def return_only(self, q: str) -> str:
        """Text then return.
        :returns: q
        """
        return q

    def google_style(self, q: str) -> str:
        """Google style.

        Args:
            q: the query
        """
        return q

    def inline_param_word(self, q: str) -> str:
        """Uses the word :parameter inline, which also splits. :param q: same line param"""
        return q

    def dunder_param_doc(self, q: str, __user__: dict = None) -> str:
        """Dunder param doc.
        :param __user__: must be ignored
        :param q: kept
        """
        return q

    def whitespace_docstring(self, q: str) -> str:
        """   """
        return q
