"""Deliberate differences between actionkit and open-webui 0.12.4, by case and field.

Every entry is explained in CONFORMANCE.md (a test checks that each one is listed there). Fields
listed here are left out of that case's comparison; everything else must match exactly.
"""

from __future__ import annotations

# case name -> {field: reason}
DELIBERATE: dict[str, dict[str, str]] = {}

# corpus function id -> {fact: reason}
FACT_DIFFERENCES: dict[str, dict[str, str]] = {}
