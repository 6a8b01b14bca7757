"""Deliberate differences between actionkit and open-webui 0.12.4, by case and field, and known gaps.

Every entry is explained in CONFORMANCE.md (a test checks that each one is listed there). Fields
listed here are left out of that case's comparison; everything else must match exactly. A known gap
is a difference actionkit should not have, left out of the comparison only until it is fixed.
"""

from __future__ import annotations

# case name -> {field: reason}
DELIBERATE: dict[str, dict[str, str]] = {}

# corpus function id -> {fact: reason}
FACT_DIFFERENCES: dict[str, dict[str, str]] = {}

# case name -> {field: what is wrong on the actionkit side}
KNOWN_GAPS: dict[str, dict[str, str]] = {}


def skipped_fields(case_name: str) -> dict[str, str]:
    """The fields left out of ``case_name``'s comparison (deliberate differences and known gaps)."""
    return {**DELIBERATE.get(case_name, {}), **KNOWN_GAPS.get(case_name, {})}


# tool id -> {fact: reason}; "load.line" leaves only the line of a load failure out.
TOOL_FACT_DIFFERENCES: dict[str, dict[str, str]] = {
    "unresolvable_annotation": {
        "load.line": "the host reports line 1 of the annotation text it evaluated; actionkit names no line"
    },
}

# turn case name -> {field: reason}
TOOL_TURN_DIFFERENCES: dict[str, dict[str, str]] = {}
