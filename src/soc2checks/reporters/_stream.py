"""The streaming seam of the reporter API: formats that write findings as they are made.

A whole-text reporter is a function ``render(result, config=None, **options) -> str``
called once the run is over. A *streaming* reporter is also such a callable (so every
caller that only knows whole-text reporters keeps working), and in addition has::

    start(out, config=None, **options) -> FindingStream

which the command line calls before the run with the open output; the stream's
``write(finding)`` is then called as each finding is made (from worker threads,
serialised by the caller) and ``finish(result)`` once at the end. A stream keeps no
finding after ``write`` returns, so a run of a million findings never sits in the
reporter's memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TextIO, runtime_checkable

import pluggy

from soc2checks._errors import Soc2ChecksError

if TYPE_CHECKING:
    from soc2checks._config import Config
    from soc2checks._model import Finding, RunResult


class FindingStream(Protocol):
    """What :meth:`StreamingReporter.start` returns."""

    def write(self, finding: Finding) -> None:
        """Write one finding to the output now."""

    def finish(self, result: RunResult) -> None:
        """The run is over: write any trailer and flush."""


@runtime_checkable
class Streaming(Protocol):
    """A reporter that can write while the run goes (see the module docstring)."""

    def __call__(self, result: RunResult, config: Config | None = None, **options: Any) -> str:
        """The whole text at once, from a finished result."""

    def start(self, out: TextIO, config: Config | None = None, **options: Any) -> FindingStream:
        """Begin writing to ``out``; returns the stream findings go to."""


class StreamingReporter:
    """Builds a streaming reporter from a ``render`` function and a stream class.

    ``stream_factory(out, config, **options)`` makes the :class:`FindingStream`.
    """

    def __init__(
        self,
        render: Callable[..., str],
        stream_factory: Callable[..., FindingStream],
    ) -> None:
        self._render = render
        self._factory = stream_factory
        self.__doc__ = render.__doc__

    def __call__(self, result: RunResult, config: Config | None = None, **options: Any) -> str:
        return self._render(result, config, **options)

    def start(self, out: TextIO, config: Config | None = None, **options: Any) -> FindingStream:
        return self._factory(out, config, **options)


class StreamWriteError(Soc2ChecksError):
    """The output of a streaming format could not be written."""


class GuardedStream:
    """Serialises ``write`` from worker threads and keeps the first I/O error.

    A full disk must not turn into a traceback in a worker thread, nor into a
    silently short file: the first error stops writing and is raised, as a one-line
    :class:`StreamWriteError`, from :meth:`finish`.
    """

    def __init__(self, inner: FindingStream, name: str) -> None:
        self._inner = inner
        self._name = name
        self._lock = threading.Lock()
        self._error: OSError | None = None

    def write(self, finding: Finding) -> None:
        with self._lock:
            if self._error is not None:
                return
            try:
                self._inner.write(finding)
            except OSError as exc:
                self._error = exc

    def finish(self, result: RunResult) -> None:
        with self._lock:
            if self._error is None:
                try:
                    self._inner.finish(result)
                except OSError as exc:
                    self._error = exc
            error = self._error
            if error is not None:
                raise StreamWriteError(
                    f"cannot write the {self._name} output: {error.strerror or error}"
                )


class StreamSet:
    """The streaming outputs of one command-line run, fed by the ``soc2checks_finding`` hook.

    :func:`start_streams` opens every output and registers this object with the run's
    plugin manager, so the engine hands it each finding as it is made; nothing else in
    the engine knows about streaming.
    """

    def __init__(self, remap: Callable[[Finding], Finding] | None = None) -> None:
        self._remap = remap
        self._streams: list[GuardedStream] = []
        self._files: list[TextIO] = []
        self._pm: Any = None

    @pluggy.HookimplMarker("soc2checks")
    def soc2checks_finding(self, finding: Finding) -> None:
        if self._remap is not None:
            finding = self._remap(finding)
        for s in self._streams:
            s.write(finding)

    def finish(self, result: RunResult) -> None:
        """Let every stream write its trailer; raises the first write error."""
        try:
            for s in self._streams:
                s.finish(result)
        finally:
            self.close()

    def close(self) -> None:
        if self._pm is not None and self._pm.is_registered(self):
            self._pm.unregister(self)
        for fh in self._files:
            fh.close()
        self._files = []


def start_streams(
    pm: Any,
    targets: list[tuple[str, Streaming, str | None]],
    config: Config | None = None,
    remap: Callable[[Finding], Finding] | None = None,
) -> StreamSet:
    """Open each ``(name, reporter, path)`` (``None``: standard output) and start it.

    ``remap``, when given, turns each finding into the one written (``--framework``
    replaces its criteria with another framework's requirement IDs); the engine's own
    finding is never changed.
    """
    import sys
    from pathlib import Path

    streams = StreamSet(remap)
    try:
        for name, reporter, path in targets:
            out: TextIO
            if path is None:
                out = sys.stdout
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                # Line-buffered: whoever tails the file sees each finding as it is made.
                out = open(path, "w", encoding="utf-8", newline="", buffering=1)  # noqa: SIM115
                streams._files.append(out)
            streams._streams.append(GuardedStream(reporter.start(out, config), name))
    except OSError as exc:
        streams.close()
        raise StreamWriteError(f"cannot open the {name} output: {exc}") from None
    if streams._streams:
        pm.register(streams, name="soc2checks-streaming-outputs")
        streams._pm = pm
    return streams
