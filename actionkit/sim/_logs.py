"""What a function prints or logs during a simulation, kept with the simulation instead of the cell.

While a simulation runs (with the tasks it starts), a context variable names its log list; writes to
``sys.stdout``/``sys.stderr``, stdlib ``logging`` records and ``loguru`` records made in that
context land there, one entry per line or record, in order:

- ``{"stream": "stdout" | "stderr", "text": line}``
- ``{"stream": "logging" | "loguru", "level": "INFO", "logger": name, "text": message}``

Everything outside a simulation passes through untouched, so concurrent simulations (each its
own context) never mix, and the caller's own prints still reach the cell. The hooks are installed
while at least one simulation runs: stream proxies over ``sys.stdout``/``sys.stderr``; a handler on
the root logger, lowered to INFO (the level Open WebUI logs at), with every other logging handler
diverting records made inside a simulation to it (records made elsewhere are handled as before);
and, when loguru is imported, a sink, with loguru's other handlers skipping records made inside a
simulation.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import threading
import traceback
from typing import Any

LogEntry = dict[str, Any]

CURRENT_LOGS: contextvars.ContextVar[_Sink | None] = contextvars.ContextVar("actionkit_logs", default=None)


class _Sink:
    """The log list of one simulation; stream writes are split into lines."""

    def __init__(self, entries: list[LogEntry]) -> None:
        self.entries = entries
        self.partial: dict[str, str] = {}
        self.lock = threading.Lock()
        self.closed = False

    def write(self, stream: str, text: str) -> None:
        with self.lock:
            pending = self.partial.pop(stream, "") + text
            *lines, rest = pending.split("\n")
            self.entries.extend({"stream": stream, "text": line.rstrip("\r")} for line in lines)
            if rest:
                self.partial[stream] = rest

    def record(self, stream: str, level: str, logger: str | None, text: str) -> None:
        with self.lock:
            self.entries.append({"stream": stream, "level": level, "logger": logger, "text": text})

    def close(self) -> None:
        with self.lock:
            for stream, rest in self.partial.items():
                self.entries.append({"stream": stream, "text": rest})
            self.partial.clear()
            self.closed = True


def _current() -> _Sink | None:
    """The open log list of the simulation running here (tasks that outlive it print as usual)."""
    sink = CURRENT_LOGS.get()
    return None if sink is None or sink.closed else sink


class _Stream:
    """``sys.stdout``/``sys.stderr`` routed to the current simulation's logs (else untouched)."""

    def __init__(self, name: str, fallback: Any) -> None:
        self._name = name
        self._fallback = fallback

    def write(self, text: str) -> int:
        sink = _current()
        if sink is None:
            return int(self._fallback.write(text) or 0)
        sink.write(self._name, str(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if _current() is None:
            self._fallback.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fallback, name)


def _exception_text(exc_info: Any) -> str:
    if not exc_info or exc_info[0] is None:
        return ""
    return "\n" + "".join(traceback.format_exception(*exc_info)).rstrip()


def _keep(sink: _Sink, record: logging.LogRecord) -> None:
    """Put ``record`` in the simulation's logs (once, whichever handler sees it first)."""
    if getattr(record, "_actionkit_kept", False):
        return
    record._actionkit_kept = True
    try:
        text = record.getMessage() + _exception_text(record.exc_info)
    except Exception:  # a bad format string: keep what was given
        text = str(record.msg)
    sink.record("logging", record.levelname, record.name, text)


class _Handler(logging.Handler):
    """The root logger's handler: records made in a simulation go to its logs."""

    def __init__(self, hooks: _Hooks) -> None:
        super().__init__()
        self.hooks = hooks

    def emit(self, record: logging.LogRecord) -> None:
        sink = _current()
        if sink is not None:
            _keep(sink, record)
        elif self.hooks.outside_passes(record):
            _last_resort(record, self)


def _last_resort(record: logging.LogRecord, ours: logging.Handler) -> None:
    """Outside simulations, do what logging would do without this handler: a record no other
    handler takes goes to ``logging.lastResort`` (warnings and errors on stderr)."""
    last = logging.lastResort
    if last is None or record.levelno < last.level:
        return
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        if any(handler is not ours for handler in logger.handlers):
            return
        logger = logger.parent if logger.propagate else None
    last.handle(record)


class _Divert(logging.Filter):
    """On every other handler: a record made in a simulation goes to its logs instead; records
    made elsewhere pass as they did before the root logger was lowered to INFO."""

    def __init__(self, hooks: _Hooks) -> None:
        super().__init__()
        self.hooks = hooks

    def filter(self, record: logging.LogRecord) -> bool:
        sink = _current()
        if sink is not None:
            _keep(sink, record)
            return False
        return self.hooks.outside_passes(record)


class _Hooks:
    """The process-wide hooks. The stream proxies, the root handler and the lowered root level are
    in place while at least one simulation runs; the filters on other handlers and the loguru sink
    stay once added (they pass everything through while no simulation runs), so a simulation
    started from idle does not scan every logger again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.handler = _Handler(self)
        self.divert = _Divert(self)
        self.level: int | None = None
        self.scanned: tuple[int, int] = (-1, -1)
        self.loguru_sink: int | None = None

    def enter(self) -> None:
        with self.lock:
            self.active += 1
            if self.active == 1:
                self._install()
            else:
                self._streams()  # replaced meanwhile (a test's capture, a stuck simulation never left)
            self._install_loguru()

    def exit(self) -> None:
        with self.lock:
            self.active -= 1
            if self.active == 0:
                self._uninstall()

    def outside_passes(self, record: logging.LogRecord) -> bool:
        """Whether a record made outside simulations would have been handled without the lowered
        root level (loggers with their own level are unaffected)."""
        if self.level is None or record.levelno >= self.level:
            return True
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None and logger.parent is not None:
            if logger.level != logging.NOTSET:
                return True
            logger = logger.parent
        return False

    def _streams(self) -> None:
        for name in ("stdout", "stderr"):
            current = getattr(sys, name)
            if not isinstance(current, _Stream):
                setattr(sys, name, _Stream(name, current))
        root = logging.getLogger()
        if self.handler not in root.handlers:
            root.addHandler(self.handler)

    def _divert_handlers(self) -> None:
        """Put the divert filter on every handler (again only when loggers or handlers were added)."""
        root = logging.getLogger()
        loggers = logging.Logger.manager.loggerDict
        seen = (len(loggers), len(root.handlers))
        if seen == self.scanned:
            return
        for logger in [root, *(v for v in loggers.values() if isinstance(v, logging.Logger))]:
            for handler in logger.handlers:
                if handler is not self.handler and self.divert not in handler.filters:
                    handler.addFilter(self.divert)
        self.scanned = seen

    def _install(self) -> None:
        self._streams()
        self._divert_handlers()
        root = logging.getLogger()
        if root.level > logging.INFO:
            self.level = root.level
            root.setLevel(logging.INFO)  # as Open WebUI logs

    def _uninstall(self) -> None:
        for name in ("stdout", "stderr"):
            current = getattr(sys, name)
            if isinstance(current, _Stream):
                setattr(sys, name, current._fallback)
        root = logging.getLogger()
        root.removeHandler(self.handler)
        if self.level is not None and root.level == logging.INFO:
            root.setLevel(self.level)
        self.level = None

    def _install_loguru(self) -> None:
        """A sink for loguru records made in simulations, and loguru's other handlers skipping
        them (handlers added since, or a sink removed by ``logger.remove()``, are taken care of)."""
        module = sys.modules.get("loguru")
        logger = getattr(module, "logger", None) if module is not None else None
        handlers = getattr(getattr(logger, "_core", None), "handlers", None)
        if logger is None or not isinstance(handlers, dict):
            return
        ready = self.loguru_sink is not None and self.loguru_sink in handlers
        if ready and all(getattr(h, "_filter", None) in _WRAPPED for h in handlers.values()):
            return
        for handler_id, handler in list(handlers.items()):
            current = getattr(handler, "_filter", None)
            if handler_id != self.loguru_sink and hasattr(handler, "_filter") and current not in _WRAPPED:
                handler._filter = _skip_in_simulation(current)
        if self.loguru_sink not in handlers:
            self.loguru_sink = logger.add(_loguru_sink, level=0, format="{message}", filter=_in_simulation)
            sink = logger._core.handlers.get(self.loguru_sink)
            if sink is not None:
                _WRAPPED.add(sink._filter)


_WRAPPED: set[Any] = set()  # the loguru filters that already know about simulations


def _in_simulation(record: Any) -> bool:
    return _current() is not None


def _skip_in_simulation(original: Any) -> Any:
    def skip(record: Any) -> bool:
        if _current() is not None:
            return False
        return True if original is None else bool(original(record))

    _WRAPPED.add(skip)
    return skip


def _loguru_sink(message: Any) -> None:
    sink = _current()
    if sink is None:
        return
    record = message.record
    text = str(record["message"])
    exception = record.get("exception")
    if exception is not None and exception.type is not None:
        text += _exception_text((exception.type, exception.value, exception.traceback))
    sink.record("loguru", str(record["level"].name), record.get("name"), text)


_HOOKS = _Hooks()


def start_logs(entries: list[LogEntry]) -> contextvars.Token[_Sink | None]:
    """Send what is printed or logged from here on in this context (and the tasks it starts) to
    ``entries``, until :func:`stop_logs`."""
    _HOOKS.enter()
    return CURRENT_LOGS.set(_Sink(entries))


def stop_logs(token: contextvars.Token[_Sink | None]) -> None:
    sink = CURRENT_LOGS.get()
    CURRENT_LOGS.reset(token)
    if sink is not None:
        sink.close()
    _HOOKS.exit()
