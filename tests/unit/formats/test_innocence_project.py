"""Innocence Project readers: the roster array (ip_roster) and the all-cases admin-ajax reply (ip_ajax).

Golden values from ../shared/data/SOURCES.md section 5: the roster has 248 records, 2 with a null
``exoneration_year``, the latest year 2025; the ajax page holds 20 cases (Abbitt to Beaver) with
``count`` "350" and ``cases_cat`` ["exonerated-by-dna"].
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import FormatError
from analysis.formats.innocence_project import read_innocence_project
from tests.conftest import shared_file

ROSTER = [
    {"name": "A.B. Butler", "slug": "a-b-butler", "state": "Texas", "exoneration_year": "2000"},
    {"name": "Melissa Lucio", "slug": "melissa-lucio", "state": "Texas", "exoneration_year": None},
    {"name": "Ada JoAnn Taylor", "slug": "ada-joann-taylor", "state": "Nebraska", "exoneration_year": "2009"},
]

CARD = """<div class="col-md-6 left-single-case"><div class="col-md-12 filtered-item ivory-section one ">
  <a href="https://www.innocenceproject.org/cases/{slug}/">
    <div class="row">
      <div class="col-md-4 col-xs-3 no-padding">{photo}</div>
      <div class="col-md-6 col-xs-7">
        <h3>{name}</h3>
        {caption}
      </div>
      <div class="col-md-2 col-xs-2"><i class="fa fa-chevron-right"></i></div>
    </div>
  </a>
</div></div>"""
PHOTO = '<div class="has-background" style="background-image: url({url});"></div>'


def card(slug: str, name: str, years: str | None, photo: str | None) -> str:
    return CARD.format(
        slug=slug,
        name=name,
        caption=f'<div class="caption"> Time served: {years}</div>' if years else "",
        photo=PHOTO.format(url=photo) if photo else "",
    )


def ajax(msg: str, **extra: object) -> dict[str, object]:
    return {"cases_cat": ["exonerated-by-dna"], "custom_cat": [], "type": "ok", "count": "350", "msg": msg,
            **extra}


def read(payload: object, name: str = "ip.json") -> object:
    return read_innocence_project(Path(name), json.dumps(payload).encode("utf-8"))


# --- roster ----------------------------------------------------------------------------------------------


def test_roster_small() -> None:
    got = read(ROSTER)
    assert got.format == "ip_roster"
    assert got.source == "ip"
    assert got.container == "json"
    assert got.rows == 3
    assert list(got.frame.columns) == ["name", "slug", "state", "exoneration_year"]
    assert got.frame["exoneration_year"].tolist()[0] == "2000"  # text, as published
    assert got.frame["exoneration_year"].isna().tolist() == [False, True, False]
    assert got.snapshot_date is None
    assert "no export date" in got.snapshot_date_evidence
    assert "2009 or later" in got.snapshot_date_evidence


def test_roster_with_bom_and_extra_key() -> None:
    records = [{**r, "dna": True} for r in ROSTER]
    got = read_innocence_project(Path("r.json"), b"\xef\xbb\xbf" + json.dumps(records).encode())
    assert list(got.frame.columns)[-1] == "dna"
    assert got.frame["dna"].tolist() == ["true"] * 3
    assert any("extra keys" in note for note in got.notes)


def test_roster_real_file() -> None:
    path = shared_file("innocence_project", "ip-all-cases-roster-2026-07.json")
    got = read_innocence_project(path, path.read_bytes())
    assert (got.format, got.source, got.rows) == ("ip_roster", "ip", 248)
    assert int(got.frame["exoneration_year"].isna().sum()) == 2
    assert set(got.frame.loc[got.frame["exoneration_year"].isna(), "slug"]) == {"melissa-lucio", "thomas-siller"}
    assert got.frame["slug"].is_unique
    assert got.snapshot_date is None
    assert "latest exoneration_year is 2025" in got.snapshot_date_evidence
    assert got.frame.iloc[0].to_dict() == {"name": "A.B. Butler", "slug": "a-b-butler", "state": "Texas",
                                           "exoneration_year": "2000"}


# --- ajax ------------------------------------------------------------------------------------------------


def test_ajax_small() -> None:
    msg = "".join([
        card("joseph-abbitt", "Joseph Abbitt", "14 years", "https://x.org/wp-content/uploads/2016/02/a.jpeg"),
        card("habib-wahir-abdal", "Habib Wahir Abdal", "16 years", None),
        card("donovan-allen", "Donovan Allen", None, "https://x.org/wp-content/uploads/2017/05/d.jpg"),
        card("o-brien", "Michael O&#8217;Brien &amp; Co", "1 year", None),
    ])
    got = read(ajax(msg))
    assert got.format == "ip_ajax"
    assert got.source == "ip"
    assert got.rows == 4
    assert list(got.frame.columns) == ["name", "slug", "photo_url", "time_served_years"]
    assert got.frame["slug"].tolist() == ["joseph-abbitt", "habib-wahir-abdal", "donovan-allen", "o-brien"]
    assert got.frame["name"].tolist()[3] == "Michael O\u2019Brien & Co"  # entities decoded
    assert got.frame["time_served_years"].tolist()[:2] == [14, 16]
    assert pd.isna(got.frame["time_served_years"].iloc[2])
    assert got.frame["time_served_years"].iloc[3] == 1
    assert str(got.frame["time_served_years"].dtype) == "Int64"
    assert got.frame["photo_url"].iloc[0] == "https://x.org/wp-content/uploads/2016/02/a.jpeg"
    assert pd.isna(got.frame["photo_url"].iloc[1])
    assert "count: 350 (cases in the category in total; this page holds 4)" in got.notes
    assert "cases_cat: exonerated-by-dna" in got.notes
    assert got.snapshot_date is None
    assert "2017-05 or later" in got.snapshot_date_evidence


def test_ajax_relative_links_and_quoted_photo_url() -> None:
    msg = ('<a href="/cases/jane-doe/"><div style="background-image:url(\'/p/j.png\')"></div>'
           '<h3> Jane  Doe </h3><div class="caption">Time served: 7 years</div></a>'
           '<a href="/about/">About</a>')
    got = read(ajax(msg))
    assert got.frame.to_dict("records") == [
        {"name": "Jane Doe", "slug": "jane-doe", "photo_url": "/p/j.png", "time_served_years": 7}
    ]


def test_ajax_real_file() -> None:
    path = shared_file("innocence_project", "ip-all-cases-ajax-exonerated-by-dna-page1-2017-07.json")
    got = read_innocence_project(path, path.read_bytes())
    assert (got.format, got.source, got.rows) == ("ip_ajax", "ip", 20)
    frame = got.frame
    assert frame["name"].iloc[0] == "Joseph Abbitt"
    assert frame["name"].iloc[-1] == "Antonio Beaver"
    assert frame["slug"].iloc[0] == "joseph-abbitt"
    assert frame["slug"].is_unique
    assert frame["time_served_years"].iloc[0] == 14
    assert int(frame["time_served_years"].notna().sum()) == 19  # Donovan Allen's card has no caption
    assert int(frame["photo_url"].notna().sum()) == 16
    assert frame.loc[frame["name"] == "Donovan Allen", "time_served_years"].isna().all()
    assert any(note.startswith("count: 350 ") for note in got.notes)
    assert "cases_cat: exonerated-by-dna" in got.notes
    assert got.snapshot_date is None


# --- rejections ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", r"^ip\.json is not a registry export or Innocence Project roster: it starts like JSON "
                       r"but is not valid JSON \(Expecting property name"),
        (b"\xff\xfe{", r"not UTF-8"),
        (b'"a string"', r"JSON string at the top level"),
        (b"42", r"JSON number at the top level"),
        (b"[]", r"an empty JSON array"),
        (b"[1, 2]", r"element 0 is a number, not an object"),
        (b'[{"name": "x", "slug": "x"}]', r"keys name, slug; record 0 lacks state, exoneration_year"),
        (b'{"data": [], "meta": {}}', r"JSON object with keys data, meta; expected .*admin-ajax"),
        (b'{"type": "error", "code": "no_more"}', r"admin-ajax reply of type 'error' \(code 'no_more'\): it holds "
         r"no cases"),
        (b'{"type": "ok", "count": "1", "msg": 5}', r"'msg' is a number, not an HTML string"),
        (b'{"type": "ok", "count": "0", "msg": "<p>No cases</p>"}', r"has no /cases/<slug>/ links"),
    ],
)
def test_rejections_name_what_was_found(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read_innocence_project(Path("ip.json"), data)
