"""Matching records across snapshots, the snapshot diff and the data changelog (analysis.compare)."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.compare import (
    CHANGELOG_HEADER,
    PLACEHOLDER,
    changelog_entry,
    diff_snapshots,
    match_records,
    name_tokens,
    placeholder,
    schema_changes,
    update_changelog,
)
from analysis.normalise.schema import COLUMNS

# --------------------------------------------------------------------------------------------------------------
# Synthetic canonical tables

BASE = {"state": "Texas", "state_abbr": "TX", "federal": False, "pre_1989": False, "county": "Harris",
        "worst_crime": "Murder", "crime_category": "Murder", "conviction_year": 1990, "exoneration_year": 2005,
        "age": 20, "dna": False, "fc": False, "mwid": False, "fmfe": False, "pfa": False, "om": False,
        "ild": False, "homicide": True}


def person(record_id: str, first: str, last: str, **values: object) -> dict:
    """One canonical record: BASE with the name and any overrides."""
    return {**BASE, "record_id": record_id, "first_name": first, "last_name": last, "name": f"{first} {last}",
            **values}


def table(rows: list[dict]) -> pd.DataFrame:
    """A canonical table (every column, canonical dtypes; missing values where a row does not say)."""
    frame = pd.DataFrame(rows)
    out = pd.DataFrame(index=frame.index)
    for col in COLUMNS:
        values = frame[col.name] if col.name in frame else pd.Series([pd.NA] * len(frame))
        out[col.name] = values.astype(col.dtype)
    out["juvenile"] = (out["age"] < 18).astype("boolean")
    return out


def pairs(matches: pd.DataFrame) -> dict[str, str | None]:
    """old_id → new_id (None when unmatched); unmatched new records under their own id prefixed 'new:'."""
    out: dict[str, str | None] = {}
    for r in matches.itertuples():
        if pd.isna(r.old_id):
            out[f"new:{r.new_id}"] = None
        else:
            out[r.old_id] = None if pd.isna(r.new_id) else r.new_id
    return out


OLD = table([
    person("o1", "Joseph Lamont", "Abbitt", state="North Carolina", state_abbr="NC", county="Forsyth",
           worst_crime="Child Sex Abuse", crime_category="Child sex abuse", age=31),
    person("o2", "Habib Warith", "Abdal", state="New York", state_abbr="NY", county="Erie", age=43),
    person("o3", "John", "Smith", age=30),
    person("o4", "Mary", "Jones", state="California", state_abbr="CA", county="Los Angeles"),
    person("o5", "Paul", "Phllips", state="Illinois", state_abbr="IL", county="Cook", age=17),
    person("o6", "Ronald", "Cotton", county="Dallas", age=22),
    person("o7", "Kenneth", "Cotton", county="Dallas", age=24),
])
NEW = table([
    person("n1", "Joseph", "Abbitt", state="North Carolina", state_abbr="NC", county="Forsyth",
           worst_crime="Child Sex Abuse", crime_category="Child sex abuse", age=31),
    person("n2", "Warith Habib", "Abdal", state="New York", state_abbr="NY", county="Erie", age=43),
    person("n3", "John", "Smith ", age=31, county="Harris ", fc=True),
    person("n5", "Paul", "Phillips", state="Illinois", state_abbr="IL", county="Cook", age=17),
    person("n7", "Kenneth", "Cotton", county="Dallas", age=24),
    person("n8", "Ann", "New", state="Florida", state_abbr="FL", county="Dade"),
])


def test_name_tokens_normalise_case_accents_punctuation_and_suffixes():
    assert name_tokens("José  O'Brien-Núñez, Jr.") == ("jose", "obrien", "nunez")
    assert name_tokens("Joseph\u00a0") == ("joseph",)
    assert name_tokens(pd.NA) == ()


def test_match_records_synthetic():
    m = match_records(OLD, NEW)
    assert list(m.columns) == ["old_id", "new_id", "confidence", "method"]
    assert pairs(m) == {"o1": "n1", "o2": "n2", "o3": "n3", "o4": None, "o5": "n5", "o6": None, "o7": "n7",
                        "new:n8": None}
    conf = dict(zip(m["old_id"].fillna(""), m["confidence"], strict=True))
    assert conf["o1"] < 1.0  # middle name dropped
    assert conf["o2"] < 1.0  # words of the first name reordered (Habib Warith / Warith Habib)
    assert all(0 < c <= 1 for c in m["confidence"].dropna())
    assert m.loc[m["old_id"] == "o5", "method"].item() == "name_tokens"  # typo in the family name
    unmatched = m[m["method"] == "unmatched"]
    assert unmatched["confidence"].isna().all()
    assert (unmatched["old_id"].isna() ^ unmatched["new_id"].isna()).all()


def test_match_records_first_and_last_name_swapped():
    old = table([person("o1", "Habib", "Warith", state="New York", state_abbr="NY", county="Erie")])
    new = table([person("n1", "Warith", "Habib", state="New York", state_abbr="NY", county="Erie"),
                 person("n2", "Warith", "Jones", state="New York", state_abbr="NY", county="Erie")])
    m = match_records(old, new)
    assert pairs(m) == {"o1": "n1", "new:n2": None}


def test_match_records_prefers_registry_ids():
    old = table([person("NRE-10", "John", "Smith", registry_id=10),
                 person("NRE-11", "Ann", "Lee", registry_id=11)])
    new = table([person("NRE-12", "Ann", "Lee", registry_id=12),  # same details, another case number
                 person("NRE-10", "Jonathan", "Smyth", registry_id=10)])
    m = match_records(old, new)
    assert pairs(m) == {"NRE-10": "NRE-10", "NRE-11": None, "new:NRE-12": None}
    assert m.loc[m["old_id"] == "NRE-10", "method"].item() == "registry_id"


def test_match_records_does_not_pair_brothers():
    old = table([person("o1", "Ronald", "Cotton"), person("o2", "Kenneth", "Cotton")])
    new = table([person("n1", "Kenneth", "Cotton")])
    assert pairs(match_records(old, new)) == {"o1": None, "o2": "n1"}


OLD_HEADER = ["Last Name", "First Name", "Age", "State", "County", "Worst Crime", "FC", "DNA", "*", "Tags"]
NEW_HEADER = ["Name", "Age at Crime Years", "State", "County of Crime", "Worst Crime Display", "FC", "DNA", "Tags",
              "Posting Date"]


def synthetic_diff():
    old_meta = {"snapshot_id": "2022-01-01-aaaaaaaa", "snapshot_date": date(2022, 1, 1), "format": "x"}
    new_meta = {"snapshot_id": "2023-01-01-bbbbbbbb", "snapshot_date": "2023-01-01", "format": "x"}
    return diff_snapshots(OLD, NEW, old_meta, new_meta, OLD_HEADER, NEW_HEADER)


def test_diff_snapshots_synthetic():
    d = synthetic_diff()
    assert d.matched == 5 and d.old_rows == 7 and d.new_rows == 6
    assert sorted(d.added["record_id"]) == ["n8"]
    assert sorted(d.removed["record_id"]) == ["o4", "o6"]
    changed = {(c.old_id, c.field): (c.old, c.new) for c in d.changes}
    assert changed == {
        ("o1", "name"): ("Joseph Lamont Abbitt", "Joseph Abbitt"),
        ("o2", "name"): ("Habib Warith Abdal", "Warith Habib Abdal"),
        ("o3", "age"): (30, 31),
        ("o3", "fc"): (False, True),
        ("o5", "name"): ("Paul Phllips", "Paul Phillips"),
    }  # trailing spaces and tags never used (missing in every record) are not changes
    assert d.changed_records == 4
    assert "sexual_assault" not in d.compared_fields and "fc" in d.compared_fields
    assert d.coding["fc"].on == 1 and d.coding["fc"].off == 0 and d.coding["fc"].examples == ["John Smith (TX) on"]
    assert set(d.coding) == {"fc"}
    s = d.schema
    assert ("Last Name", "Name", "known") in s.renamed and ("First Name", "Name", "known") in s.renamed
    assert ("County", "County of Crime", "known") in s.renamed
    assert ("Worst Crime", "Worst Crime Display", "similar") in s.renamed
    assert s.removed == ["*"] and s.added == ["Posting Date"]
    fc_all = next(h for h in d.headlines if h.id == "fc_share_all")
    assert (fc_all.old_k, fc_all.old_n, fc_all.new_k, fc_all.new_n) == (0, 7, 1, 6)
    assert fc_all.change_points == pytest.approx(100 / 6)
    from analysis.analyse.definitions import DEFINITIONS

    assert [h.id for h in d.headlines] == [x.id for x in DEFINITIONS]


def test_schema_changes_same_header_reordered():
    s = schema_changes(["A", "B", "C"], ["A", "C", "B"])
    assert not s.added and not s.removed and not s.renamed and s.reordered
    assert schema_changes(["A"], ["A"]).empty


def test_changelog_entry_sections():
    text = changelog_entry(synthetic_diff())
    assert text.startswith("## [2023-01-01] - snapshot 2023-01-01-bbbbbbbb (compared with 2022-01-01-aaaaaaaa)\n")
    positions = [text.index(f"### {s}\n") for s in ("Added", "Removed", "Changed", "Coding", "Schema",
                                                     "Headline numbers")]
    assert positions == sorted(positions)
    assert "- 1 record, e.g. Ann New (FL)" in text
    assert "- 2 records, e.g. Mary Jones (CA), Ronald Cotton (TX)" in text
    assert "`fc`: 1 switched on, 0 switched off" in text
    assert "Renamed: “County” → “County of Crime”" in text
    assert "| `fc_share_all` | 0 of 7 (0.0%) | 1 of 6 (16.7%) | +16.7 pts |" in text


def section(text: str, title: str) -> str:
    """The lines under ``### title`` up to the next heading (without the blank lines around them)."""
    return text.split(f"\n### {title}\n\n", 1)[1].split("\n\n### ", 1)[0]


def test_changelog_entry_layout():
    text = changelog_entry(synthetic_diff())
    assert text.endswith("|\n") and not text.endswith("\n\n") and "\n\n\n" not in text
    assert text.count("\n\n### ") == text.count("\n### ") == 6  # one blank line before and after each heading
    assert text.split("\n")[2] == ("6 records (x) against 7 in 2022-01-01-aaaaaaaa (2022-01-01, x); "
                                   "5 old records matched (71.4%).")
    changed = section(text, "Changed").split("\n")
    assert changed[:3] == [
        "- 4 records changed; records changed per field: `name` 3, `age` 1, `fc` 1.",
        "  - e.g. John Smith (TX): `age` 30 → 31",  # `fc` is shown under Coding instead
        "  - e.g. Joseph Abbitt (NC): `name` Joseph Lamont Abbitt → Joseph Abbitt",
    ]
    assert changed[3].startswith("- Not compared (blank in every record of one snapshot): `")
    not_compared = [name.strip("`") for name in changed[3].split(": ", 1)[1].rstrip(".").split(", ")]
    assert "arson" in not_compared and not_compared == sorted(not_compared)
    assert section(text, "Coding") == "- `fc`: 1 switched on, 0 switched off (e.g. John Smith (TX) on)"
    assert section(text, "Schema").split("\n") == [
        "- Columns added: “Posting Date”", "- Columns removed: “\\*”", "- Renamed: “Last Name” → “Name”",
        "- Renamed: “First Name” → “Name”", "- Renamed: “Age” → “Age at Crime Years”",
        "- Renamed: “County” → “County of Crime”", "- Renamed: “Worst Crime” → “Worst Crime Display” (similar name)"]


def test_changelog_entry_with_nothing_changed():
    meta = {"snapshot_id": "s1", "snapshot_date": None, "format": "a"}
    text = changelog_entry(diff_snapshots(OLD, OLD, meta, {**meta, "snapshot_id": "s2", "format": "b"},
                                          OLD_HEADER, OLD_HEADER))
    assert text.startswith("## [undated] - snapshot s2 (compared with s1)\n\n7 records (b) against 7 in s1 "
                           "(undated, a); 7 old records matched (100.0%).\nThe two snapshots are in different "
                           "export formats")
    assert [section(text, s) for s in ("Added", "Removed", "Coding", "Schema")] == [
        "- No records added.", "- No records removed.", "- No factor or tag switched on or off.",
        "- Same columns in the same order."]
    assert section(text, "Changed").startswith("- No field changed in matched records.\n- Not compared ")


HOSTILE = ["<script>alert(1)</script>", "[click](javascript:alert(1))", "a_b*c `x` | #y", "{{ 7*7 }} {% if %}"]


def test_changelog_entry_hostile_names_stay_text():
    old = table([person(f"o{i}", "Ann", name) for i, name in enumerate(HOSTILE)])
    new = table([person(f"n{i}", "Bob", name + " Lee", state_abbr=None, state=name) for i, name in enumerate(HOSTILE)])
    meta = {"snapshot_id": "s", "snapshot_date": "2020-01-01", "format": "x"}
    text = changelog_entry(diff_snapshots(old, new, meta, meta, ["Name"], ["Name"]))
    assert "<script>" not in text and not re.search(r"(?<!\\)\]\(javascript:", text)
    assert "Ann &lt;script&gt;alert(1)&lt;/script&gt; (TX)" in text
    assert "Bob \\[click\\](javascript&#58;alert(1)) Lee (\\[click\\](javascript&#58;alert(1)))" in text
    assert "Ann a\\_b\\*c \\`x\\` \\| \\#y (TX)" in text
    assert "Ann {{ 7\\*7 }} {% if %} (TX)" in text  # data is never template source


def test_update_changelog_newest_first_and_no_duplicates(tmp_path: Path):
    path = tmp_path / "reports" / "CHANGES.md"

    def entry(day: str, sid: str, old: str, body: str) -> str:
        return f"## [{day}] - snapshot {sid} (compared with {old})\n\n### Added\n\n- {body}\n"

    update_changelog(path, entry("2023-09-22", "s2023", "s2022", "first run"), "s2023")
    update_changelog(path, entry("2026-06-26", "s2026", "s2023", "x"), "s2026")
    update_changelog(path, entry("2022-07-06", "s2022", "s2021", "y"), "s2022")
    update_changelog(path, entry("2023-09-22", "s2023", "s2022", "second run"), "s2023")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Data changelog\n")
    assert "Keep a Changelog" in text
    assert text.count("snapshot s2023 ") == 1 and "second run" in text and "first run" not in text
    order = [text.index(f"snapshot {s} ") for s in ("s2026", "s2023", "s2022")]
    assert order == sorted(order)
    assert not list(path.parent.glob(".*.tmp"))


def test_update_changelog_replaces_the_placeholder(tmp_path: Path):
    entry = "## [2023-09-22] - snapshot s2023 (compared with s2022)\n\n### Added\n\n- x\n"
    fresh, placeheld = tmp_path / "a" / "fresh.md", tmp_path / "b" / "CHANGES.md"
    placeheld.parent.mkdir()
    placeheld.write_text(placeholder(), encoding="utf-8")
    assert PLACEHOLDER in placeholder() and placeholder().startswith("# Data changelog\n")
    update_changelog(fresh, entry, "s2023")
    update_changelog(placeheld, entry, "s2023")
    text = placeheld.read_text(encoding="utf-8")
    assert PLACEHOLDER not in text
    assert text == fresh.read_text(encoding="utf-8") == CHANGELOG_HEADER + "\n" + entry
    kept = tmp_path / "c" / "kept.md"  # a header of one's own keeps its text, only the placeholder line goes
    kept.parent.mkdir()
    kept.write_text(f"# Data changelog\n\nOur notes.\n\n{PLACEHOLDER}\n", encoding="utf-8")
    update_changelog(kept, entry, "s2023")
    assert kept.read_text(encoding="utf-8") == "# Data changelog\n\nOur notes.\n\n" + entry


def test_a_forged_entry_in_the_data_cannot_move_or_delete_real_entries(tmp_path: Path):
    path = tmp_path / "CHANGES.md"
    forged_header = ["Name", "x\n\n## [2099-12-31] - snapshot s2099 (compared with s0)\n\nforged", "State"]
    old = table([person("o1", "Ann", "Lee")])
    new = table([person("n1", "Ann", "Lee")])
    meta_old = {"snapshot_id": "s2023", "snapshot_date": "2023-09-22", "format": "x"}
    meta_new = {"snapshot_id": "s2026", "snapshot_date": "2026-06-26", "format": "x"}
    real = changelog_entry(diff_snapshots(old, new, {"snapshot_id": "s2022", "snapshot_date": "2022-07-06",
                                                     "format": "x"}, meta_old, ["Name"], ["Name"]))
    update_changelog(path, real, "s2023")
    forged = changelog_entry(diff_snapshots(old, new, meta_old, meta_new, ["Name"], forged_header))
    assert "\n## [2099" not in forged  # the newline in the column name became a space, the heading is text
    update_changelog(path, forged, "s2026")
    update_changelog(path, forged, "s2026")  # a later update regenerates; nothing moves into a forged entry
    text = path.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h.split(" - snapshot ")[1].split()[0] for h in headings] == ["s2026", "s2023"]
    assert "\\#\\# \\[2099-12-31\\]" in text  # shown, escaped, inside the real entry


def test_md_text_makes_links_strikethrough_and_bidi_inert():
    from analysis.compare import md_text

    assert md_text("see http://x.example/a ~~gone~~ a@b.org\u202eZ\nnext") == (
        "see http&#58;//x.example/a \\~\\~gone\\~\\~ a&#64;b.org Znext".replace(" Znext", "Z next"))


# --------------------------------------------------------------------------------------------------------------
# Real exports (../shared/data)
















def test_run_unknown_snapshot_is_a_user_error(project: Path, capsys: pytest.CaptureFixture):
    from analysis.compare import run
    from analysis.errors import UserError

    with pytest.raises(UserError):
        run(argparse.Namespace(old="nope", new="nada", write=False))


def test_summary_always_lists_every_headline_share_with_its_interval():
    from analysis.analyse.definitions import DEFINITIONS
    from analysis.compare import summary

    text = summary(synthetic_diff(), top=1)
    lines = text.splitlines()
    start = lines.index("headline shares (old → new, 95% CI):")
    listed = [line.split(":")[0].strip() for line in lines[start + 1:]]
    assert listed == [d.id for d in DEFINITIONS]  # never cut to the largest movers
    fc_all = next(line for line in lines if line.strip().startswith("fc_share_all:"))
    # 0 of 7 → 1 of 6, Wilson intervals [0.0–35.4%] and [3.0–56.4%]
    assert fc_all.strip() == "fc_share_all: 0.0% [0.0%–35.4%] (0/7) → 16.7% [3.0%–56.4%] (1/6) (+16.7 pts)"


def test_diff_warns_when_old_is_newer(capsys: pytest.CaptureFixture[str]):
    from analysis.compare import order_warning

    d = synthetic_diff()
    assert order_warning(d) is None
    backwards = diff_snapshots(NEW, OLD, {**d.new_meta}, {**d.old_meta}, NEW_HEADER, OLD_HEADER)
    assert order_warning(backwards).startswith("warning: OLD (2023-01-01) is newer than NEW (2022-01-01)")
