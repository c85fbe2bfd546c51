"""Golden counts for every NRE file in ../shared/data/nre, checked by hand.

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
"""

# file name: (records in the canonical table, post-1989 records, dna, fc, dna and fc, homicide, juvenile)
NRE_COUNTS = {
    "nre-publicspreadsheet-2015-01.csv": (1535, 1535, 390, 192, 82, 684, 138),
    "nre-publicspreadsheet-2017-02.csv": (1983, 1983, 436, 236, 96, 819, 173),
    "nre-publicspreadsheet-2017-07-06.xlsx": (2060, 2060, 449, 243, 99, 843, 182),
    "nre-publicspreadsheet-2018-10-15.xlsx": (2280, 2280, 478, 284, 112, 934, 202),
    "nre-detaillist-scrape-2019-12.csv": (2522, 2522, 500, 309, 121, 1019, 218),
    "nre-publicspreadsheet-2021-04-07.xlsx": (2765, 2765, 534, 336, 127, 1117, 245),
    "nre-publicspreadsheet-2022-07-06.xlsx": (3178, 3178, 560, 371, 133, 1215, 276),
    "nre-publicspreadsheet-2023-09.csv": (3385, 3385, 583, 420, 137, 1331, 303),
    "nre-publicspreadsheet-2024-03-11.xlsx": (3486, 3486, 596, 440, 143, 1391, 320),
    "nre-publicspreadsheet-2024-04-10.csv": (3497, 3497, 596, 441, 143, 1399, 321),
    "nre-publicspreadsheet-2024-04-10.xlsx": (3497, 3497, 596, 441, 143, 1399, 321),
    "nre-fullcsv-2026-06.csv": (4311, 3835, 647, 487, 162, 1557, 347),
}

# file name: (format, snapshot date inferred from the data, evidence kind); SOURCES.md "Snapshot date" lines.
NRE_SNAPSHOT = {
    "nre-publicspreadsheet-2015-01.csv": ("nre_public_spreadsheet", "2015-01-20", "Posting Date"),
    "nre-publicspreadsheet-2017-02.csv": ("nre_public_spreadsheet", "2017-02-13", "Posting Date"),
    "nre-publicspreadsheet-2017-07-06.xlsx": ("nre_public_spreadsheet", "2017-07-06", "Posting Date"),
    "nre-publicspreadsheet-2018-10-15.xlsx": ("nre_public_spreadsheet", "2018-10-15", "Posting Date"),
    "nre-detaillist-scrape-2019-12.csv": ("nre_detail_list", None, "no posting"),
    "nre-publicspreadsheet-2021-04-07.xlsx": ("nre_public_spreadsheet", "2021-04-07", "sheet name"),
    "nre-publicspreadsheet-2022-07-06.xlsx": ("nre_public_spreadsheet", "2022-07-06", "sheet name"),
    "nre-publicspreadsheet-2023-09.csv": ("nre_public_spreadsheet", "2023-09-22", "Posting Date"),
    "nre-publicspreadsheet-2024-03-11.xlsx": ("nre_public_spreadsheet", "2024-03-11", "sheet name"),
    # the csv copy lost the sheet name; its latest Posting Date is 2024-04-07
    "nre-publicspreadsheet-2024-04-10.csv": ("nre_public_spreadsheet", "2024-04-07", "Posting Date"),
    "nre-publicspreadsheet-2024-04-10.xlsx": ("nre_public_spreadsheet", "2024-04-10", "sheet name"),
    "nre-fullcsv-2026-06.csv": ("nre_full_export", "2026-06-26", "Last Update Date"),
}
