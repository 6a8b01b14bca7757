"""Deliberate differences between actionkit and open-webui 0.12.4, by case and field, known gaps,
and the differences of the older releases, by release and host change.

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


# release -> {host change id (actionkit.releases.CHANGES) -> the cases it makes differ from 0.12.4}
RELEASE_DIFFERENCES: dict[str, dict[str, tuple[str, ...]]] = {}


def release_differences(release: str, case_name: str) -> set[str]:
    """The host changes listed as making ``case_name`` differ on ``release``."""
    return {change for change, cases in RELEASE_DIFFERENCES.get(release, {}).items() if case_name in cases}


def skipped_fields(case_name: str) -> dict[str, str]:
    """The fields left out of ``case_name``'s comparison (deliberate differences and known gaps)."""
    return {**DELIBERATE.get(case_name, {}), **KNOWN_GAPS.get(case_name, {})}
