"""``actionkit push|pull|diff``: the Open WebUI round trips on the command line.

``add_parsers(subparsers)`` adds the three subcommands; each sets ``handler`` to a function that takes
the parsed arguments and returns the exit code:

- push: 0 pushed, 1 the server failed or refused, 3 refused because the function changed on the
  server since the last pull (``--force`` overwrites);
- pull: 0 pulled, 1 the server failed or refused, 3 refused because the function was edited in the
  store since the last pull (``--force`` replaces it); the store is unchanged after any failure;
- diff: 0 same, 1 different, 2 the server failed or refused;
- every command: 2 for unusable input (unknown stored id, invalid valves, missing ids).

The token comes from ``$OPENWEBUI_TOKEN``, else a password prompt when stdin is a terminal; it is
never accepted as an option, so it stays out of shell history and process listings.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable
from typing import Any

from ..client import CLI, TOKEN_ENV, URL_ENV
from ..errors import ActionkitError, ConflictError, ServerError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3


def add_parsers(subparsers: Any) -> None:
    """Add ``push``, ``pull`` and ``diff`` to an ``argparse`` subparsers object."""
    push = subparsers.add_parser(
        "push",
        help="push stored functions with valves and flags to an Open WebUI server",
        description="Create or update functions on an Open WebUI server, then their admin valves, "
        "active and global flags. Refuses to overwrite functions changed on the server since the "
        f"last pull unless --force. Token: ${TOKEN_ENV} or a prompt.",
    )
    push.add_argument("ids", nargs="*", help="stored function ids")
    push.add_argument("--all", dest="push_all", action="store_true", help="push every stored function")
    push.add_argument("--force", action="store_true", help="overwrite changes made on the server")
    push.add_argument("--no-valves", action="store_true", help="leave the server's admin valves alone")
    _common(push)
    push.set_defaults(handler=run_push)

    pull = subparsers.add_parser(
        "pull",
        help="pull functions with valves and flags from an Open WebUI server into the store",
        description="Export functions (all, or the ids given) with admin valves from an Open WebUI "
        "server into the local store, all or nothing. Refuses to replace functions edited in the store "
        "since the last pull or push unless --force (their content stays in the store's history).",
    )
    pull.add_argument("ids", nargs="*", help="function ids (default: all)")
    pull.add_argument("--force", action="store_true", help="replace functions edited in the store")
    _common(pull)
    pull.set_defaults(handler=run_pull)

    diff = subparsers.add_parser(
        "diff",
        help="compare a stored function with the server's",
        description="Show how a stored function differs from the one on the server (exit 0 same, "
        "1 different, 2 error).",
    )
    diff.add_argument("id", help="function id")
    _common(diff)
    diff.set_defaults(handler=run_diff)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help=f"Open WebUI address (default: ${URL_ENV})")
    parser.add_argument("--store", help="store file (default: $ACTIONKIT_STORE or .actionkit/store.db)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_push(args: argparse.Namespace) -> int:
    if not args.ids and not args.push_all:
        _fail(args, "push needs the ids to push (or --all)")
        return EXIT_USAGE
    ids = None if args.push_all else list(args.ids)
    return _run(args, lambda client: client.push(ids, force=args.force, valves=not args.no_valves))


def run_pull(args: argparse.Namespace) -> int:
    return _run(args, lambda client: client.pull(list(args.ids) or None, force=args.force))


def run_diff(args: argparse.Namespace) -> int:
    outcome: dict[str, bool] = {}

    def diff(client: Any) -> Any:
        result = client.diff(args.id)
        outcome["same"] = result.same
        return result

    code = _run(args, diff, error_code=2)
    return code if code else (0 if outcome.get("same") else 1)


def _run(args: argparse.Namespace, action: Callable[[Any], Any], *, error_code: int = EXIT_ERROR) -> int:
    from ..client import OpenWebUIClient

    try:
        with warnings.catch_warnings():
            # The version notes are part of every result's text and JSON.
            warnings.simplefilter("ignore")
            with OpenWebUIClient(
                args.url, store=args.store, timeout=args.timeout, prompt=sys.stdin.isatty(), words=CLI
            ) as client:
                result = action(client)
    except ConflictError as exc:
        _fail(args, str(exc))
        return EXIT_CONFLICT
    except ServerError as exc:
        _fail(args, str(exc))
        return error_code
    except ActionkitError as exc:
        _fail(args, str(exc))
        return EXIT_USAGE
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(result)
    return EXIT_OK


def _fail(args: argparse.Namespace, message: str) -> None:
    if getattr(args, "json", False):  # --json prints one JSON document, errors included
        print(json.dumps({"ok": False, "error": message}, indent=2, ensure_ascii=False))
    print(f"error: {message}", file=sys.stderr)
