"""``actionkit hosts`` and ``actionkit compat``, and ``--runtime`` for ``run`` and ``test``.

    actionkit hosts [list]                     the releases actionkit runs, and which are installed
    actionkit hosts install VERSION...         install releases (``0.10`` is the last of its line)
    actionkit hosts remove VERSION...          delete installed releases
    actionkit compat FILE_OR_ID --runtime A,B  the same call on several releases, side by side

``compat`` exits 0 when every runtime did the same, 1 when one differs; ``hosts install`` exits 1
when a release cannot be installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..releases import RELEASES, release

if TYPE_CHECKING:
    from ..testing import CasesReport

OK, FAILED = 0, 1


def add_parsers(commands: Any, call_arguments: Any, compat_handler: Any) -> None:
    """Add ``hosts`` and ``compat`` (``call_arguments`` adds the options of one call, as ``run``
    has them; ``compat_handler`` runs the command)."""
    hosts = commands.add_parser(
        "hosts",
        help="list, install and remove the Open WebUI releases functions can run on",
        description="The Open WebUI releases actionkit runs (runtime='open-webui==<version>'), each "
        "installed on first use into a folder of its own ($ACTIONKIT_RELEASES, default "
        "~/.cache/actionkit/open-webui).",
    )
    hosts.add_argument("action", nargs="?", choices=["list", "install", "remove"], default="list")
    hosts.add_argument(
        "versions", nargs="*", metavar="VERSION", help="e.g. 0.10.2, or 0.10 for the last of its line"
    )
    hosts.add_argument("--json", action="store_true", help="print JSON instead of text")
    hosts.set_defaults(handler=run_hosts)

    compat = commands.add_parser(
        "compat",
        help="run the same call on several Open WebUI releases and compare",
        description="Run one call on each runtime and show one row per runtime (outcome, events, "
        "result), the differences from the newest one and the known host change behind each. "
        "Exit 0 when all did the same, 1 when one differs.",
    )
    call_arguments(compat)
    compat.add_argument(
        "--runtime",
        action="append",
        default=[],
        metavar="RUNTIMES",
        help="comma-separated runtimes (open-webui==0.8.12, actionkit ...); "
        "default: the last release of each line 0.8 to 0.12",
    )
    compat.add_argument(
        "--reference", metavar="RUNTIME", help="compare with this runtime (default: the newest)"
    )
    compat.add_argument("--store", help="store file (default: $ACTIONKIT_STORE or the project store)")
    compat.add_argument("--json", action="store_true", help="print JSON instead of text")
    compat.set_defaults(handler=compat_handler)


def runtimes(given: list[str]) -> list[str]:
    """``--runtime`` values, each possibly comma-separated."""
    return [part.strip() for item in given for part in item.split(",") if part.strip()]


def run_hosts(args: argparse.Namespace) -> int:
    from ..errors import ReleaseError
    from ..realhost import (
        install_release,
        installed_release,
        installed_releases,
        releases_dir,
        remove_release,
    )

    if args.action == "list":
        installed = {r.version: r for r in installed_releases()}
        versions = sorted(set(RELEASES) | set(installed), key=lambda v: [int(p) for p in v.split(".")])
        rows = []
        for version in versions:
            found = installed.get(version)
            rows.append(
                {
                    "version": version,
                    "tested": version in RELEASES,
                    "installed": found is not None,
                    **({"path": str(found.path), "torch": found.torch} if found else {}),
                }
            )
        if args.json:
            print(json.dumps({"folder": str(releases_dir()), "releases": rows}, indent=2))
            return OK
        print(f"Open WebUI releases in {releases_dir()}:")
        for row in rows:
            state = f"installed (torch {row['torch']})" if row["installed"] else "not installed"
            tested = "" if row["tested"] else "  (not one actionkit is tested on)"
            print(f"  {row['version']:<8} {state}{tested}")
        print("install one: actionkit hosts install 0.10.2   (or it installs on first use)")
        return OK
    if not args.versions:
        print(f"actionkit hosts {args.action}: name the versions, e.g. 0.10.2", file=sys.stderr)
        return 2
    wanted = [release(version) for version in args.versions]
    code = OK
    for version in wanted:
        if args.action == "install":
            if installed_release(version) is not None:
                print(f"open-webui {version} is already installed")
                continue
            try:
                install_release(version)
            except ReleaseError as exc:
                print(f"actionkit hosts install: {exc}", file=sys.stderr)
                code = FAILED
        else:
            removed = remove_release(version)
            print(f"removed open-webui {version}" if removed else f"open-webui {version} is not installed")
    return code


def run_compat(args: argparse.Namespace, target: Any, call: dict[str, Any]) -> int:
    from ..testing import compat

    table = compat(target, **call, runtimes=runtimes(args.runtime) or None, reference=args.reference)
    if args.json:
        print(json.dumps(table.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(table.text())
    return OK if table.same else FAILED


def test_on_runtimes(args: argparse.Namespace, store: str | None, record: str | None) -> int:
    """``actionkit test --runtime A,B``: the cases replayed on each runtime, reported per runtime."""
    from ..realhost import prepare_releases
    from ..runtimes import select_runtime
    from ..testing import record_runs, run_cases

    chosen = [select_runtime(runtime) for runtime in runtimes(args.runtime)]
    prepare_releases(chosen)
    reports: list[tuple[str, CasesReport]] = []
    for runtime in chosen:
        report = run_cases(args.paths, store=store, workers=args.workers, runtime=runtime)
        if record is not None:
            record_runs(report, runtime, record)
        reports.append((runtime, report))
    if args.json:
        out = [
            {"runtime": rt, "summary": r.summary(), "results": [x.to_dict() for x in r.results]}
            for rt, r in reports
        ]
        print(json.dumps({"runtimes": out}, ensure_ascii=False, indent=2))
    else:
        for runtime, report in reports:
            print(f"== {runtime}")
            for result in report.results:
                if not result.passed:
                    print(result.report())
                elif not args.quiet:
                    print(result.headline())
            print(report.summary())
    return OK if all(report.ok for _, report in reports) else FAILED
