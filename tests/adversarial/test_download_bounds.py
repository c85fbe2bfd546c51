"""Network time is bounded and nothing secret is stored: a server's Retry-After is capped, a server that drips
bytes is cut off at the download's time cap, credentials in a URL never reach the manifest, and nonsense caps are
one-line errors. A real server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

import analysis.ingest
from analysis.ingest.download import MAX_RETRY_AFTER, CappedRetry, strip_credentials
from analysis.ingest.store import list_snapshots
from tests.adversarial.conftest import HEADER, ROWS, cli, one_error_line, temp_names, tree
from tests.http_fixtures import FixtureServer, Reply

BODY = ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("utf-8")


def test_retry_after_is_capped(server: FixtureServer):
    # the header as a real server sends it, read back through urllib3's own response object
    url = server.route("/busy", Reply(503, headers={"Retry-After": "86400"}))
    raw = requests.get(url, stream=True, timeout=5).raw
    assert CappedRetry().get_retry_after(raw) == MAX_RETRY_AFTER == 30.0
    assert CappedRetry().new().max_retry_after == MAX_RETRY_AFTER  # kept across the retries urllib3 makes


def test_a_short_retry_after_is_honoured_and_the_download_completes(project: Path, server: FixtureServer,
                                                                   fast_downloads: None, capsys):
    url = server.route("/export.csv", Reply(503, headers={"Retry-After": "1"}), Reply(body=BODY))
    code, out, err = cli(capsys, "ingest", "nre", "--from", url)
    assert code == 0, err
    assert server.hits["/export.csv"] == 2


def test_a_dripping_server_is_cut_off_at_the_time_cap(baseline: Path, server: FixtureServer, fast_downloads: None,
                                                      monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv(analysis.ingest.MAX_SECONDS_ENV, "1.5")
    monkeypatch.setitem(analysis.ingest.DOWNLOAD_SETTINGS, "timeout", (1.0, 1.0))  # each byte comes within it
    before = tree(baseline / "data")
    url = server.route("/drip.csv", Reply(body=BODY, drip=0.2))
    code, out, err = cli(capsys, "ingest", "nre", "--from", url)
    assert (code, out) == (1, "")
    assert re.fullmatch(r"the download took longer than 1\.5s; stopped reading http://127\.0\.0\.1:\d+/drip\.csv",
                        one_error_line(err)), err
    assert tree(baseline / "data") == before and temp_names(baseline / "data") == []
    # the reader stopped at the cap instead of waiting for the whole body (a byte every 0.2 s)
    assert server.dripped["/drip.csv"] < len(BODY) / 2, (server.dripped, len(BODY))


def test_credentials_never_reach_the_manifest(project: Path, server: FixtureServer, fast_downloads: None, capsys):
    url = server.route("/export.csv", Reply(body=BODY)).replace("http://", "http://analyst:s3cret@")
    assert cli(capsys, "ingest", "nre", "--from", url)[0] == 0
    [m] = list_snapshots("nre")
    manifest = (m.folder / "manifest.json").read_text()
    assert "s3cret" not in manifest and "analyst" not in manifest
    assert json.loads(manifest)["source_url_or_path"] == strip_credentials(url)
    assert strip_credentials("https://u:p@[::1]:8443/x?y=1") == "https://[::1]:8443/x?y=1"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "ten"])
@pytest.mark.parametrize("env", ["CONFESSIONS_MAX_DOWNLOAD_MB", "CONFESSIONS_MAX_DOWNLOAD_SECONDS"])
def test_nonsense_caps_are_one_line(project: Path, server: FixtureServer, monkeypatch, capsys, env, value):
    monkeypatch.setenv(env, value)
    code, out, err = cli(capsys, "ingest", "nre", "--from", server.route("/x.csv", Reply(body=BODY)))
    assert (code, out) == (1, "")
    assert one_error_line(err).startswith(f"{env} must be a")
