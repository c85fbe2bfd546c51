"""The one golden table: every file in ../shared/data, with every number checked by hand.

Where they come from:
* records, DNA, FC, DNA-and-FC: SOURCES.md section 6 (hand-checked by the data curator), except the 2019-12
  list view, whose 2,523 raw rows include a repeat of the first row (Abbitt, a DNA case): 2,522 records and 500
  DNA cases after the exact duplicate is dropped (SOURCES.md: "2523 (2522 distinct; the last row repeats the
  first row, Abbitt)").
* homicide and juveniles: counted on 2026-11-26 straight from the raw files with Python's csv module and
  python-calamine, not with project code: rows whose ``Tags`` contain ``H`` (``Homicide`` in ``Case
  Characteristics`` in 2026); where the file predates the H tag (2015-01) rows whose ``Worst Crime Display`` is
  Murder or Manslaughter (684); juveniles: rows with 0 < Age < 18.
* 2026-06: post-1989 rows only (``Pre-1989`` = No), as in SOURCES.md section 6.
* source, bytes, sha256, format and snapshot date: SOURCES.md (file list and "Snapshot date" lines), except the
  2024-04-10 csv: SOURCES.md dates it 2024-04-10 by its identity with the xlsx, but the csv has no sheet name and
  the latest date the reader can see in it is its latest Posting Date, 2024-04-07.
* evidence: what the snapshot date was read from.
"""

from __future__ import annotations

from typing import NamedTuple


class Golden(NamedTuple):
    """One shared file and its hand-checked numbers (None: not applicable, e.g. counts of a roster)."""

    source: str
    bytes: int
    sha256: str
    records: int
    snapshot_date: str | None
    format: str
    evidence: str | None = None
    post_1989: int | None = None
    dna: int | None = None
    fc: int | None = None
    dna_fc: int | None = None
    homicide: int | None = None
    juvenile: int | None = None


FILES: dict[str, Golden] = {
    "nre-publicspreadsheet-2015-01.csv": Golden(
        "nre", 284130, "5aabf8bea2bb3b54d6041fd7d960bc94892a710e06b0a50df82e52f3c4e930ee",
        1535, "2015-01-20", "nre_public_spreadsheet", "Posting Date",
        post_1989=1535, dna=390, fc=192, dna_fc=82, homicide=684, juvenile=138),
    "nre-publicspreadsheet-2017-02.csv": Golden(
        "nre", 247741, "2553904416a07e215759935e4e52b9ab4f697dc7db158fe7d3ae33ae810b44fb",
        1983, "2017-02-13", "nre_public_spreadsheet", "Posting Date",
        post_1989=1983, dna=436, fc=236, dna_fc=96, homicide=819, juvenile=173),
    "nre-publicspreadsheet-2017-07-06.xlsx": Golden(
        "nre", 284064, "c20152c1e35cd0d13347355feb5f0930cc4f193874e54a6012bc3af9bf460ace",
        2060, "2017-07-06", "nre_public_spreadsheet", "Posting Date",
        post_1989=2060, dna=449, fc=243, dna_fc=99, homicide=843, juvenile=182),
    "nre-publicspreadsheet-2018-10-15.xlsx": Golden(
        "nre", 323791, "86a346f5ae0d416ebb4ec11bb3907a068e923ac9a3008961cbccd6dfc62d6221",
        2280, "2018-10-15", "nre_public_spreadsheet", "Posting Date",
        post_1989=2280, dna=478, fc=284, dna_fc=112, homicide=934, juvenile=202),
    "nre-publicspreadsheet-2021-04-07.xlsx": Golden(
        "nre", 385452, "95a72e3a2f4f3645b48540555d31c84419783653867c515039ee2e5f1b352f52",
        2765, "2021-04-07", "nre_public_spreadsheet", "sheet name",
        post_1989=2765, dna=534, fc=336, dna_fc=127, homicide=1117, juvenile=245),
    "nre-publicspreadsheet-2022-07-06.xlsx": Golden(
        "nre", 442846, "956d090794b313d4647b23d9a443b3f0ef23ca5ed2daa99390ff6e6e16ab4e96",
        3178, "2022-07-06", "nre_public_spreadsheet", "sheet name",
        post_1989=3178, dna=560, fc=371, dna_fc=133, homicide=1215, juvenile=276),
    "nre-publicspreadsheet-2023-09.csv": Golden(
        "nre", 485431, "593c02c5bf55878f0483989276d3f7acdb108d4da42da359a1dafb8f27c3b12f",
        3385, "2023-09-22", "nre_public_spreadsheet", "Posting Date",
        post_1989=3385, dna=583, fc=420, dna_fc=137, homicide=1331, juvenile=303),
    "nre-publicspreadsheet-2024-03-11.xlsx": Golden(
        "nre", 449265, "3051b0e14badbe71a142af90a47e6146f3a0cd0ccb13bd7f98ca66a5618e2174",
        3486, "2024-03-11", "nre_public_spreadsheet", "sheet name",
        post_1989=3486, dna=596, fc=440, dna_fc=143, homicide=1391, juvenile=320),
    "nre-publicspreadsheet-2024-04-10.xlsx": Golden(
        "nre", 490409, "a3e715026141594aa647634edc0f996feebee79b86d9bd53ed90211a642fe5f8",
        3497, "2024-04-10", "nre_public_spreadsheet", "sheet name",
        post_1989=3497, dna=596, fc=441, dna_fc=143, homicide=1399, juvenile=321),
    "nre-publicspreadsheet-2024-04-10.csv": Golden(
        "nre", 530713, "358aaa8d561e2943f3814c2f25607513fc8fdac97721f9ce23ff3cd54411791d",
        3497, "2024-04-07", "nre_public_spreadsheet", "Posting Date",
        post_1989=3497, dna=596, fc=441, dna_fc=143, homicide=1399, juvenile=321),
    "nre-detaillist-scrape-2019-12.csv": Golden(
        "nre", 244182, "4fb9ffa66d4e6fc5d8434dd8dfe388ead8c791ff1e6d87214c23917d63225387",
        2522, None, "nre_detail_list", "no posting",
        post_1989=2522, dna=500, fc=309, dna_fc=121, homicide=1019, juvenile=218),
    "nre-fullcsv-2026-06.csv": Golden(
        "nre", 1972001, "d3738287136daf271c5b957c41b96932c9e35961e680d7b0ccfa58c7f92fd809",
        4311, "2026-06-26", "nre_full_export", "Last Update Date",
        post_1989=3835, dna=647, fc=487, dna_fc=162, homicide=1557, juvenile=347),
    "ip-all-cases-roster-2026-07.json": Golden(
        "ip", 28490, "78bfa0ab89f503de42b216b420b0435a48f303a2c54940b40bbd2f43e2d0091e",
        248, None, "ip_roster"),
    "ip-all-cases-ajax-exonerated-by-dna-page1-2017-07.json": Golden(
        "ip", 30088, "4fc663e1651810215e00907bf95f8603ae647f26dbbed1bee8c3bd9f53880f7d",
        20, None, "ip_ajax"),
}

NRE_FILES = {name: g for name, g in FILES.items() if g.source == "nre"}
