"""Names with newlines, ANSI escapes and bidi controls never reach the terminal raw: errors stay one line, the
snapshot table one line a snapshot, and nothing can clear the screen or reverse the text after it."""

from __future__ import annotations

from pathlib import Path

from analysis.inert import display, terminal
from tests.adversarial.conftest import HEADER, ROWS, cli, one_error_line

EVIL = "evil\x1b[2J\x1b[31m\nforged line\u202eabc"


def test_terminal_escapes_every_control_and_format_character():
    assert terminal(EVIL) == "evil\\x1b[2J\\x1b[31m\\x0aforged line\\u202eabc"
    assert terminal("Peña\tO'Brien") == "Peña\tO'Brien"  # ordinary text untouched
    assert display("Ann\u202eA\u200bB\nC") == "AnnAB C"


def test_an_error_naming_a_hostile_path_is_one_line(project: Path, capsys):
    code, out, err = cli(capsys, "ingest", "nre", "--from", f"/nonexistent/{EVIL}.csv")
    assert (code, out) == (1, "")
    message = one_error_line(err)
    assert "\x1b" not in message and "\u202e" not in message and "\\x1b[2J" in message


def test_snapshot_listing_keeps_one_line_per_snapshot(project: Path, tmp_path: Path, capsys):
    path = tmp_path / "plain.csv"
    path.write_bytes(("\r\n".join([HEADER, *ROWS[:2]]) + "\r\n").encode("utf-8"))
    hostile = tmp_path / "x[bold]y[red]\x1b[2J.csv"
    hostile.write_bytes(path.read_bytes())
    assert cli(capsys, "ingest", "nre", "--from", str(hostile))[0] == 0
    code, out, err = cli(capsys, "snapshots")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2, out
    assert "\x1b" not in out and "[bold]y[red]" in lines[1]  # shown as written, not as rich markup
    code, out, _ = cli(capsys, "snapshots", "show", lines[1].split()[1])
    assert "\x1b" not in out and all(line.split(":")[0] for line in out.splitlines())
