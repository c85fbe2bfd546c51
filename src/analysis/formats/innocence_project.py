"""Readers for the two Innocence Project (IP) JSON formats seen (see ``../shared/data/SOURCES.md`` section 5).

``ip_roster``
    A JSON array of ``{"name", "slug", "state", "exoneration_year"}`` objects, as scraped from
    ``https://innocenceproject.org/all-cases/``. ``exoneration_year`` is a string or null. One row per object.
``ip_ajax``
    The "all cases" page's ``admin-ajax`` reply: one object ``{"cases_cat", "custom_cat", "type", "count",
    "msg"}`` whose ``msg`` is an HTML fragment with one card per case (name in ``<h3>``, a
    ``/cases/<slug>/`` link, a background-image photo, "Time served: N years"). One row per card.
    ``count`` is the total number of cases in the category, not the number on this page.

Neither format carries an export date, so ``snapshot_date`` is None and the evidence says what bounds it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from analysis.errors import FormatError
from analysis.formats import ExportRead

ROSTER_KEYS = ("name", "slug", "state", "exoneration_year")
AJAX_KEYS = ("cases_cat", "custom_cat", "type", "count", "msg")
AJAX_COLUMNS = ("name", "slug", "photo_url", "time_served_years")

_CASE_PATH = re.compile(r"/cases/([^/?#]+)/?$")
_TIME_SERVED = re.compile(r"time\s+served:\s*(\d+)\s*years?\b", re.IGNORECASE)
_BACKGROUND_URL = re.compile(
    r"background(?:-image)?\s*:\s*url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)", re.IGNORECASE
)
_UPLOAD_MONTH = re.compile(r"/wp-content/uploads/(\d{4})/(\d{2})/")


def read_innocence_project(path: Path, data: bytes) -> ExportRead:
    """Read an Innocence Project JSON file (``data`` is its whole content) as ``ip_roster`` or ``ip_ajax``.

    Raises ``FormatError`` naming what was found when the JSON is neither format.
    """
    name = Path(path).name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{name}: not UTF-8 text, so not an Innocence Project JSON file ({exc.reason} "
                          f"at byte {exc.start})") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise FormatError(f"{name} is not a registry export or Innocence Project roster: it starts like JSON but is "
                          f"not valid JSON ({exc.msg} at {where})") from None
    except RecursionError:
        raise FormatError(f"{name}: JSON nested far deeper than any Innocence Project file; not read") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits (Python's limit on int conversion)
        raise FormatError(f"{name}: JSON with a value Python refuses to read ({str(exc).splitlines()[0][:120]})") \
            from None
    if isinstance(payload, list):
        return read_roster(payload, name)
    if isinstance(payload, dict):
        return read_ajax(payload, name)
    raise FormatError(f"{name}: JSON {_json_type(payload)} at the top level; expected an Innocence Project "
                      "roster (array of cases) or an all-cases admin-ajax reply (object with 'msg')")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    return "object"


# --- ip_roster -------------------------------------------------------------------------------------------


def read_roster(records: list[Any], name: str = "roster") -> ExportRead:
    """Rows of an ``ip_roster`` array: one per case, columns ``name, slug, state, exoneration_year`` as text.

    Every element must be an object with those four keys; extra keys are kept as further columns.
    """
    if not records:
        raise FormatError(f"{name}: an empty JSON array; expected Innocence Project roster records "
                          f"with keys {', '.join(ROSTER_KEYS)}")
    extra: list[str] = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise FormatError(f"{name}: JSON array whose element {i} is a {_json_type(record)}, not an "
                              "object; expected Innocence Project roster records with keys "
                              f"{', '.join(ROSTER_KEYS)}")
        missing = [k for k in ROSTER_KEYS if k not in record]
        if missing:
            found = ", ".join(list(record)[:8]) or "no keys"
            raise FormatError(f"{name}: JSON array of objects with keys {found}; record {i} lacks "
                              f"{', '.join(missing)}, so it is not an Innocence Project roster")
        for key in record:
            if key not in ROSTER_KEYS and key not in extra:
                extra.append(key)
    columns = [*ROSTER_KEYS, *extra]
    rows = [{k: _as_text(record.get(k)) for k in columns} for record in records]
    frame = pd.DataFrame(rows, columns=columns, dtype="str")
    years = [int(y) for y in frame["exoneration_year"].dropna() if str(y).strip().isdigit()]
    null_years = int(frame["exoneration_year"].isna().sum())
    notes = [f"{len(frame)} roster records; exoneration_year is null in {null_years}"]
    if extra:
        notes.append(f"extra keys kept as columns: {', '.join(extra)}")
    duplicates = int(frame["slug"].duplicated().sum())
    if duplicates:
        notes.append(f"{duplicates} duplicate slugs")
    evidence = "the roster carries no export date"
    if years:
        evidence += f"; the latest exoneration_year is {max(years)}, so it dates from {max(years)} or later"
    return ExportRead(
        format="ip_roster",
        source="ip",
        frame=frame,
        snapshot_date=None,
        snapshot_date_evidence=evidence,
        container="json",
        encoding="utf-8",
        notes=notes,
    )


def _as_text(value: Any) -> str | None:
    """JSON scalar as published text; null stays missing, numbers become their JSON spelling."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# --- ip_ajax ---------------------------------------------------------------------------------------------


def read_ajax(payload: dict[str, Any], name: str = "ajax reply") -> ExportRead:
    """Rows of an ``ip_ajax`` reply: one per case card in ``msg``; ``count`` and ``cases_cat`` go to notes.

    Columns: ``name`` (the ``<h3>`` text), ``slug`` (from the ``/cases/<slug>/`` link), ``photo_url`` (the
    card's background image, missing when the card has none) and ``time_served_years`` (the integer N in
    "Time served: N years", missing when the card does not say).
    """
    ajax_like = "type" in payload and bool({"msg", "code", "cases_cat", "count"} & set(payload))
    if ajax_like and payload.get("type") != "ok":
        detail = f" (code {payload['code']!r})" if "code" in payload else ""
        raise FormatError(f"{name}: an Innocence Project admin-ajax reply of type {payload.get('type')!r}"
                          f"{detail}: it holds no cases")
    if not ajax_like or "msg" not in payload:
        found = ", ".join(list(payload)[:10]) or "no keys"
        raise FormatError(f"{name}: JSON object with keys {found}; expected an Innocence Project all-cases "
                          f"admin-ajax reply with keys {', '.join(AJAX_KEYS)}")
    msg = payload["msg"]
    if not isinstance(msg, str):
        raise FormatError(f"{name}: admin-ajax reply whose 'msg' is a {_json_type(msg)}, not an HTML string")
    cases = _case_cards(msg)
    if not cases:
        raise FormatError(f"{name}: admin-ajax reply whose HTML has no /cases/<slug>/ links")
    rows = []
    unparsed_captions = []
    for case in cases:
        caption = " ".join(case["caption"].split())
        match = _TIME_SERVED.search(caption)
        if caption and not match:
            unparsed_captions.append(caption)
        rows.append({
            "name": " ".join(case["name"].split()) or None,
            "slug": case["slug"],
            "photo_url": case["photo_url"],
            "time_served_years": int(match.group(1)) if match else None,
        })
    frame = pd.DataFrame(rows, columns=list(AJAX_COLUMNS))
    for column in ("name", "slug", "photo_url"):
        frame[column] = frame[column].astype("str")
    frame["time_served_years"] = frame["time_served_years"].astype("Int64")
    cats = payload.get("cases_cat")
    cats_text = ", ".join(map(str, cats)) if isinstance(cats, list) else str(cats)
    custom = payload.get("custom_cat")
    notes = [
        f"count: {payload.get('count')} (cases in the category in total; this page holds {len(frame)})",
        f"cases_cat: {cats_text}",
    ]
    if custom:
        notes.append(f"custom_cat: {', '.join(map(str, custom)) if isinstance(custom, list) else custom}")
    missing_time = int(frame["time_served_years"].isna().sum())
    if missing_time:
        notes.append(f"no 'Time served' on {missing_time} card(s)")
    if unparsed_captions:
        notes.append(f"captions not read as years: {'; '.join(sorted(set(unparsed_captions))[:5])}")
    months = sorted(set(_UPLOAD_MONTH.findall(msg)))
    evidence = "the admin-ajax reply carries no date"
    if months:
        year, month = months[-1]
        evidence += (f"; the newest photo upload folder is {year}/{month}, so it dates from {year}-{month} "
                     "or later")
    return ExportRead(
        format="ip_ajax",
        source="ip",
        frame=frame,
        snapshot_date=None,
        snapshot_date_evidence=evidence,
        container="json",
        encoding="utf-8",
        notes=notes,
    )


def _case_cards(msg: str) -> list[dict[str, Any]]:
    """One case per outermost ``<a href=".../cases/<slug>/">`` element: h3 text, caption text, photo URL.

    A case link inside another case card is part of that card, not a new case. Text goes to the nearest
    ``<h3>`` or ``class="caption"`` element around it (nested links do not count); the photo is the first
    background-image ``style`` or ``<img src>`` inside the card.
    """
    soup = BeautifulSoup(msg, "html.parser")
    cases = []
    for link in soup.find_all("a"):
        slug = _case_slug(link.get("href") or "")
        if slug is None or any(_case_slug(a.get("href") or "") for a in link.find_parents("a")):
            continue
        case: dict[str, Any] = {"slug": slug, "name": "", "caption": "", "photo_url": None}
        for node in link.descendants:
            if isinstance(node, Tag):
                if case["photo_url"] is None and node.name != "a":
                    case["photo_url"] = _photo_url(node)
            elif not isinstance(node, PreformattedString):  # text, not a comment, CDATA or doctype
                key = _text_field(node, link)
                if key:
                    case[key] += str(node)
        cases.append(case)
    return cases


def _text_field(text: NavigableString, card: Tag) -> str | None:
    """``"name"`` or ``"caption"`` when the innermost h3 / caption element around ``text`` in ``card`` is one."""
    for parent in text.parents:
        if parent is card:
            return None
        if parent.name == "h3":
            return "name"
        if parent.name != "a" and "caption" in parent.get_attribute_list("class"):
            return "caption"
    return None


def _photo_url(tag: Tag) -> str | None:
    """The URL in ``tag``'s ``background(-image): url(...)`` style, else an ``<img>``'s ``src``, else None."""
    photo = _BACKGROUND_URL.search(tag.get("style") or "")
    if photo:
        return photo.group(1).strip()
    src = tag.get("src") if tag.name == "img" else None
    return src.strip() if src else None


def _case_slug(href: str) -> str | None:
    """``<slug>`` of an ``.../cases/<slug>/`` link (absolute or relative), else None."""
    try:
        path = urlsplit(href.strip()).path
    except ValueError:  # e.g. "http://[::1/cases/x/": a malformed IPv6 host is not a case link
        return None
    match = _CASE_PATH.search(path)
    return match.group(1) if match else None
