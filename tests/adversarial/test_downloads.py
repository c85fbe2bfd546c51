"""Hostile download servers: each fault ends in exit 1, one ``error:`` line, and data/ exactly as it was."""

from __future__ import annotations

import re
import socket
import struct
import time
from pathlib import Path

import pytest

import analysis.ingest
from tests.adversarial.conftest import HEADER, ROWS, cli, one_error_line, temp_names, tree
from tests.http_fixtures import FixtureServer, Reply, _Handler

BODY = ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("utf-8")  # a valid export not stored yet
LOGIN = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Password</form></body></html>"


class _DropHandler(_Handler):
    """Serves ``/drop``: half the body, then a TCP reset (SO_LINGER 0) instead of the rest."""

    def do_GET(self) -> None:  # noqa: N802
        if not self.path.startswith("/drop"):
            super().do_GET()
            return
        self.server.hits[self.path] += 1
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY[: len(BODY) // 2])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


def _loop(server: FixtureServer) -> str:
    return server.route("/loop", Reply(302, headers={"Location": "/loop"}))


# case -> (set up the server and return the URL, cap in MB or None, expected message pattern)
CASES: dict[str, tuple] = {
    "hangs, no bytes": (lambda s: s.route("/hang.csv", Reply(body=BODY, delay=5.0)), None,
                        r"timed out after 0\.3s waiting for data"),
    "stalls mid-body": (lambda s: s.route("/stall.csv", Reply(body=BODY, delay=5.0, stall_at=100)), None,
                        r"timed out after 0\.3s waiting for data"),
    "drops the connection mid-body": (lambda s: s.url("/drop"), None,
                                      r"connection broke off|could not connect|failed"),
    "Content-Length too large": (lambda s: s.route("/long.csv", Reply(body=BODY, content_length=len(BODY) + 5000)),
                                 None, r"the connection broke off before the whole file arrived"),
    "redirect loop": (_loop, None, r"too many redirects for http://127\.0\.0\.1:\d+/loop"),
    "login page with status 200": (lambda s: s.route("/export.xlsx", Reply(body=LOGIN)), None,
                                   r"the server sent an HTML page \(probably a login or request form\)"),
    "far over the cap, announced": (lambda s: s.route("/big.csv", Reply(body=BODY * 2000)), "0.01",
                                    r"the server announced [\d,]+ bytes, more than the limit of 10,485 bytes"),
    "far over the cap, not announced": (
        lambda s: s.route("/big.csv", Reply(body=BODY * 2000, content_length=False)), "0.01",
        r"the download exceeded the limit of 10,485 bytes"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_download_fault(case: str, baseline: Path, server: FixtureServer, sys_tmp: Path, fast_downloads: None,
                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    setup, cap_mb, pattern = CASES[case]
    server.RequestHandlerClass = _DropHandler
    if cap_mb:
        monkeypatch.setenv(analysis.ingest.MAX_MB_ENV, cap_mb)
    before = tree(baseline / "data")
    started = time.monotonic()
    code, out, err = cli(capsys, "ingest", "nre", "--from", setup(server))
    assert time.monotonic() - started < 5
    assert (code, out) == (1, "")
    assert re.search(pattern, one_error_line(err)), err
    assert tree(baseline / "data") == before  # earlier snapshot and processed table byte for byte
    assert temp_names(baseline / "data") == []
    assert list(sys_tmp.iterdir()) == []
