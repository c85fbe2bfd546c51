"""A real HTTP server on 127.0.0.1 (random port) for download tests.

Each path has a queue of :class:`Reply` objects: every request takes the next one, and the last one repeats.
``server.hits[path]`` counts the requests, so a test can check that a retry happened.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One canned response.

    ``delay``: seconds to wait before the status line (``stall_at`` None) or after the first ``stall_at``
    bytes of the body. ``content_length``: True sends the real length, False sends none (the body ends when
    the connection closes), an int announces that many bytes whatever is sent.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stall_at: int | None = None
    content_length: bool | int = True
    drip: float = 0.0  # > 0: send the body one byte at a time, this many seconds apart


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.0"  # one request per connection: the body may end at close

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        path = self.path.split("?", 1)[0]
        reply = self.server.next_reply(path)
        if reply.delay and reply.stall_at is None and self.server.release.wait(reply.delay):
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.content_length is True:
            self.send_header("Content-Length", str(len(reply.body)))
        elif reply.content_length is not False:
            self.send_header("Content-Length", str(reply.content_length))
        self.end_headers()
        try:
            if reply.drip:
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i:i + 1])
                    self.wfile.flush()
                    self.server.dripped[path] += 1
                    if self.server.release.wait(reply.drip):
                        return
            elif reply.stall_at is not None:
                self.wfile.write(reply.body[: reply.stall_at])
                self.wfile.flush()
                if self.server.release.wait(reply.delay):
                    return
                self.wfile.write(reply.body[reply.stall_at :])
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class FixtureServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with per-path reply queues and hit counts."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.dripped: Counter[str] = Counter()  # bytes a dripping reply has sent, per path
        self.release = threading.Event()  # set at shutdown: sleeping handlers stop waiting
        self._lock = threading.Lock()

    def route(self, path: str, *replies: Reply) -> str:
        """Serve ``replies`` in turn at ``path`` (the last one repeats); returns the full URL."""
        self.routes[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"

    def next_reply(self, path: str) -> Reply:
        with self._lock:
            self.hits[path] += 1
            queue = self.routes.get(path)
            if not queue:
                return Reply(404, b"not found")
            return queue.pop(0) if len(queue) > 1 else queue[0]


@contextlib.contextmanager
def serve() -> Iterator[FixtureServer]:
    """A running :class:`FixtureServer`; shut down (and sleeping handlers released) on exit."""
    server = FixtureServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
