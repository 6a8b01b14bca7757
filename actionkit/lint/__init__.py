"""``actionkit lint``: the mistakes Open WebUI function authors make most, found in the source text."""

from __future__ import annotations

from ._lint import lint_file, lint_source
from ._rules import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule", "lint_file", "lint_source"]
