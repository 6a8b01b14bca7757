"""Run every benchmark script in turn (``make bench``); each prints its own table of ratios.

``bench_vs_owui.py`` needs the real open-webui venv (``make conformance`` creates it) and is run last.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_core.py",
    "bench_simulator.py",
    "bench_widgets.py",
    "bench_views.py",
    "bench_tools.py",
    "bench_regression.py",
    "bench_isolation.py",
    "bench_vs_owui.py",
]


def main() -> int:
    failed = []
    for name in ORDER:
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
