"""A loopback JSON HTTP server that the fakes of cloud APIs build on.

A fake declares routes (``"GET", "/v3/projects/{project}"``) with handlers; the server
matches each request, counts it by route template, optionally sleeps ``delay``
seconds (a stand-in for network latency in benchmarks) and writes the handler's JSON
answer. Standard library only.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Request:
    """One request as a handler sees it."""

    method: str
    path: str
    query: dict[str, str]
    params: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    multi: dict[str, list[str]] = field(default_factory=dict)  # every value of each query key


@dataclass
class Response:
    """A handler's answer: a status, a JSON body (or None) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


class LoopbackServer:
    """Routes, request counts and a threaded HTTP server on a free loopback port.

    Subclasses register routes with :meth:`route` and may override :meth:`before` to
    answer a request before its handler runs (authentication, injected failures).
    """

    server_name = "Fake/1.0"

    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self.unrouted: list[str] = []
        self._lock = threading.Lock()
        self._routes: list[tuple[str, str, re.Pattern[str], Handler]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- routes
    def route(self, method: str, template: str, handler: Handler) -> None:
        """Serve ``method template``; ``{name}`` matches one path segment, ``{name+}`` many."""
        pattern = ""
        for part in re.split(r"(\{\w+\+?\})", template):
            m = re.fullmatch(r"\{(\w+)(\+?)\}", part)
            if m:
                pattern += f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]+'})"
            else:
                pattern += re.escape(part)
        self._routes.append((method, template, re.compile(f"^{pattern}$"), handler))

    def before(self, template: str, request: Request) -> Response | None:
        """Answer ``request`` instead of its handler (return None to go on)."""
        return None

    def dispatch(
        self, method: str, raw_path: str, headers: dict[str, str], body: Any = None
    ) -> Response:
        """Answer one request."""
        if self.delay:
            time.sleep(self.delay)
        split = urlsplit(raw_path)
        path = unquote(split.path)
        multi = parse_qs(split.query)
        query = {k: v[-1] for k, v in multi.items()}
        for m, template, regex, handler in self._routes:
            match = regex.match(path)
            if match and m == method:
                with self._lock:
                    self.requests[f"{method} {template}"] += 1
                request = Request(method, path, query, match.groupdict(), headers, body, multi)
                early = self.before(template, request)
                if early is not None:
                    return early
                return handler(request)
        with self._lock:
            self.requests[f"{method} (unrouted)"] += 1
            self.unrouted.append(f"{method} {raw_path}")
        return self.not_found(path)

    def not_found(self, path: str) -> Response:
        """The answer to a path no route serves."""
        return Response(404, {"error": {"code": 404, "message": f"no route for {path}"}})

    def reset_counts(self) -> None:
        """Forget the request counts."""
        with self._lock:
            self.requests.clear()

    @property
    def total_requests(self) -> int:
        """Requests served since the last :meth:`reset_counts`."""
        with self._lock:
            return sum(self.requests.values())

    # -------------------------------------------------------------- lifecycle
    def start(self) -> LoopbackServer:
        """Start serving on a free loopback port; returns ``self``."""
        if self._server is not None:
            return self
        owner = self

        class _H(_JsonHandler):
            fake = owner
            server_version = owner.server_name

        server = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        server.daemon_threads = True
        server.request_queue_size = 256
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, the endpoint to hand a client."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"


class _JsonHandler(BaseHTTPRequestHandler):
    fake: LoopbackServer
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add ~40 ms to every response
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        resp = self.fake.dispatch(self.command, self.path, headers, body)
        payload = b"" if resp.body is None else json.dumps(resp.body).encode()
        self.send_response(resp.status)
        if resp.body is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = _answer
    do_POST = _answer
