"""Malformed configuration and hostile JSON are one-line errors, never tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from tests.adversarial.conftest import cli, one_error_line


def _ingest_ip(tmp_path: Path, capsys, data: bytes):  # noqa: ANN202
    path = tmp_path / "roster.json"
    path.write_bytes(data)
    return cli(capsys, "ingest", "ip", "--from", str(path))


def test_json_nested_far_too_deep(project: Path, tmp_path: Path, capsys):
    code, out, err = _ingest_ip(tmp_path, capsys, b"[" * 100_000 + b"]" * 100_000)
    assert (code, out) == (1, "") and "nested far deeper" in one_error_line(err)


def test_json_with_a_5000_digit_number(project: Path, tmp_path: Path, capsys):
    data = json.dumps([{"name": "A", "slug": "a", "state": "Texas"}]).encode()[:-2] + b', "n": ' + b"9" * 5000 + b"}]"
    code, out, err = _ingest_ip(tmp_path, capsys, data)
    assert (code, out) == (1, "") and "Python refuses to read" in one_error_line(err)


def test_a_malformed_ipv6_link_is_not_a_case(project: Path, tmp_path: Path, capsys):
    html = ('<div><a href="http://[::1/cases/bad/">x</a><h3>Bad</h3></div>'
            '<div><a href="/cases/good-one/">y</a><h3>Good One</h3></div>')
    code, out, err = _ingest_ip(tmp_path, capsys, json.dumps({"msg": html, "count": "1"}).encode())
    assert "Traceback" not in err and "internal error" not in err


def test_malformed_config_is_one_line(project: Path, capsys):
    (project / "confessions.toml").write_text("[sources.nre\nurl = ", encoding="utf-8")
    code, out, err = cli(capsys, "ingest", "nre")
    assert (code, out) == (1, "") and one_error_line(err).startswith("confessions.toml is not valid TOML")
    (project / "confessions.toml").write_text("[sources.nre]\nurl = 5\n", encoding="utf-8")
    code, out, err = cli(capsys, "ingest", "nre")
    assert code == 1 and "url must be a string, not int" in one_error_line(err)
