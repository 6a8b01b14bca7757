"""A stand-in for an Open WebUI release's worker process, for tests that need no open-webui.

It speaks the worker protocol (``actionkit.realhost._worker.serve``) and runs each call with
actionkit's simulator. ``FAKE_OPEN_WEBUI`` is the release it says it has; ``FAKE_WORKER`` picks a
misbehaviour: ``silent`` never answers a call, ``broken-start`` fails to start its host.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import sys
import threading

from actionkit import sim
from actionkit._wire import Channel
from actionkit.realhost._worker import serve


def _start() -> None:
    if os.environ.get("FAKE_WORKER") == "broken-start":
        raise RuntimeError("the database could not be migrated")


def _run(call: sim.Call) -> sim.Simulation:
    if os.environ.get("FAKE_WORKER") == "silent":
        threading.Event().wait()
    return sim.run(dataclasses.replace(call, runtime="actionkit"))


def main() -> None:
    channel = Channel(socket.socket(fileno=int(sys.argv[1])))
    code = serve(channel, start_host=_start, run_call=_run, version=os.environ["FAKE_OPEN_WEBUI"])
    channel.close()
    os._exit(code)


if __name__ == "__main__":
    main()
